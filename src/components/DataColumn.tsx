import { useConstellation } from '../hooks/useConstellation';
import { useScenes } from '../hooks/useScenes';
import { useTdoaView } from '../hooks/useTdoaView';
import { recordingLabel } from '../state/fileIdentity';
import { stationsOf } from '../state/scenes';
import { useStore, useTdoaStore } from '../state/store';
import { BatchBar } from './BatchBar';
import { DropZone } from './DropZone';
import { ExportButtons } from './ExportButtons';
import { RawParamsForm } from './RawParamsForm';
import { RecordingsList } from './RecordingsList';
import { ScenesTable } from './ScenesTable';

/** Left column: getting data in, the grouping, the batch and the exports. */
export function DataColumn() {
  const recordings = useStore((s) => s.recordings);
  const fileErrors = useStore((s) => s.fileErrors);
  const pendingRaw = useStore((s) => s.pendingRaw);
  const stations = useTdoaStore((s) => s.stations);
  const constellation = useConstellation();
  const { scenes, errors, placements } = useScenes();
  const receivers = constellation?.receivers ?? [];
  const columns = stationsOf(scenes, receivers);
  const names = new Map(recordings.map((r) => [r.id, recordingLabel(r)]));
  // A recording TDoA locates needs no model receiver: the model's "unknown receiver" is no error.
  const tdoaIds = new Set(useTdoaView().scenes.flatMap((sc) => sc.recordingIds));
  const tdoaNames = new Set(recordings.filter((r) => tdoaIds.has(r.id)).map((r) => r.name));
  const modelErrors = errors.filter(
    (e) => !(e.error.name === 'ReceiverUnknownError' && tdoaNames.has(e.file)),
  );
  const allErrors = [...fileErrors, ...modelErrors];
  const openNames = new Set(recordings.map((r) => r.name));
  const unopened = new Set(fileErrors.filter((e) => !openNames.has(e.file)).map((e) => e.file))
    .size;
  return (
    <section className="data-column" aria-label="Recordings and scenes">
      <div className="section">
        <DropZone />
      </div>
      {pendingRaw.length > 0 && <RawParamsForm files={pendingRaw} />}
      <div className="section">
        <h2>
          Scenes <span className="num">{scenes.length}</span>
        </h2>
        <BatchBar scenes={scenes} />
        <div style={{ marginTop: 8 }}>
          <ScenesTable scenes={scenes} receivers={columns} recordingNames={names} />
        </div>
      </div>
      <div className="section">
        <h2>Export</h2>
        <ExportButtons scenes={scenes} />
      </div>
      <div className="section">
        <h2>
          Files <span className="num">{recordings.length + unopened}</span>
        </h2>
        {recordings.length === 0 && allErrors.length === 0 ? (
          <p className="muted">No files open.</p>
        ) : (
          <RecordingsList
            recordings={recordings}
            receivers={receivers}
            stations={stations}
            placements={placements}
            errors={allErrors}
          />
        )}
      </div>
    </section>
  );
}
