import type { Receiver } from '../core/modelMetadata';
import { stationListChoice } from '../core/scene/placement';
import type { Placement, Station } from '../core/scene/types';
import { removeRecording } from '../state/fileActions';
import { recordingLabel } from '../state/fileIdentity';
import { useStore } from '../state/store';
import type { FileError, FileStamp, RecordingEntry } from '../state/types';
import { errorHint } from '../ui/errorText';
import { formatBytes, formatUtc } from '../ui/format';

interface Props {
  recordings: RecordingEntry[];
  receivers: Receiver[];
  /**
   * The operator's station list: a recording can be placed at any of them too, since the
   * any-network model and TDoA serve any station with a position.
   */
  stations: readonly Station[];
  /** Where the worker placed each recording, by id (workers/groupScenes.ts). */
  placements: Record<string, Placement | null>;
  errors: FileError[];
}

/** What "auto" says: the model's receiver, else the station the station list or SigMF places. */
function autoText(placement: Placement | null | undefined): string {
  if (!placement) return 'no match';
  const name = placement.station.name ?? placement.station.id;
  if (placement.source === 'station-list') return `${name} (station list)`;
  if (placement.source === 'sigmf-geolocation') return `${name} (its own position)`;
  return name;
}

/** Which file on disk it is, for files of the same name: "1.2 MiB, modified 2026-… UTC". */
function stampText(stamp: FileStamp): string {
  const size = formatBytes(stamp.sizeBytes);
  return stamp.lastModifiedMs === undefined
    ? size
    : `${size}, modified ${formatUtc(stamp.lastModifiedMs)}`;
}

/**
 * Every file: what was read, which station it is assigned to (operator can override), errors; each
 * can be removed on its own.
 */
export function RecordingsList({ recordings, receivers, stations, placements, errors }: Props) {
  const override = useStore((s) => s.overrideReceiver);
  const errorsByFile = new Map<string, FileError[]>();
  for (const e of errors) errorsByFile.set(e.file, [...(errorsByFile.get(e.file) ?? []), e]);
  const unopened = errors.filter((e) => !recordings.some((r) => r.name === e.file));
  return (
    <ul className="file-list" data-testid="file-list">
      {unopened.map((e, i) => (
        <li key={`err-${e.file}-${i}`} data-file={e.file}>
          <div className="file-name">{e.file}</div>
          <ErrorLine error={e} />
        </li>
      ))}
      {recordings.map((r) => {
        const auto = placements[r.id];
        const label = recordingLabel(r);
        return (
          <li key={r.id} data-file={r.name}>
            <div className="row" style={{ justifyContent: 'space-between' }}>
              <span className="file-name" title={r.file && stampText(r.file)}>
                {label}
              </span>
              <label>
                <span className="visually-hidden">Receiver of {label}</span>
                <select
                  value={r.overrideReceiverId ?? ''}
                  onChange={(e) => override(r.id, e.currentTarget.value || undefined)}
                >
                  <option value="">auto: {autoText(auto)}</option>
                  {receivers.length > 0 && (
                    <optgroup label="Model's network">
                      {receivers.map((x) => (
                        <option key={x.id} value={x.id}>
                          {x.name}
                        </option>
                      ))}
                    </optgroup>
                  )}
                  {stations.length > 0 && (
                    <optgroup label="Station list">
                      {stations.map((x) => (
                        <option key={x.id} value={stationListChoice(x.id)}>
                          {x.name ? `${x.name} (${x.id})` : x.id}
                        </option>
                      ))}
                    </optgroup>
                  )}
                </select>
              </label>
              <button
                type="button"
                onClick={() => removeRecording(r.id)}
                aria-label={`Remove ${label}`}
              >
                Remove
              </button>
            </div>
            <div className="muted">
              {r.info.format} · {r.info.datatype} · {(r.info.sampleRateHz / 1000).toFixed(1)} kHz ·{' '}
              {r.info.captureTime ? formatUtc(Date.parse(r.info.captureTime)) : 'no capture time'}
            </div>
            {(errorsByFile.get(r.name) ?? []).map((e, i) => (
              <ErrorLine key={i} error={e} />
            ))}
          </li>
        );
      })}
    </ul>
  );
}

function ErrorLine({ error }: { error: FileError }) {
  return (
    <div className="file-error" role="alert" data-testid="file-error">
      {error.error.name}: {error.error.message}
      <span className="hint">{errorHint(error.error)}</span>
    </div>
  );
}
