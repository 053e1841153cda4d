import type { Station } from '../core/scene/types';
import { useStore } from '../state/store';
import type { SceneView } from '../state/types';
import { formatUtc, shortName } from '../ui/format';
import { RunCell } from './RunCell';

interface Props {
  scenes: SceneView[];
  /** One column per station present in any scene (state/scenes.ts stationsOf). */
  receivers: Station[];
  recordingNames: Map<string, string>;
}

const nameOf = (r: Station) => r.name ?? r.id;

/**
 * The grouping at a glance: one row per scene, one column per station present, what is missing
 * in red; a station that is not part of a scene's network is left blank on its row.
 */
export function ScenesTable({ scenes, receivers, recordingNames }: Props) {
  const selected = useStore((s) => s.selectedSceneId);
  const selectScene = useStore((s) => s.selectScene);
  if (scenes.length === 0) return <p className="muted">No scenes yet.</p>;
  return (
    <table className="scene-table" data-testid="scene-table">
      <thead>
        <tr>
          <th className="time-cell" title="Capture time (UTC)">
            Time
          </th>
          {receivers.map((r) => (
            <th key={r.id} className="rx-cell" title={nameOf(r)} data-receiver={r.id}>
              {shortName(nameOf(r))}
            </th>
          ))}
          <th>Status</th>
        </tr>
      </thead>
      <tbody>
        {scenes.map((s) => (
          <tr
            key={s.id}
            className={s.id === selected ? 'selected' : undefined}
            data-scene-id={s.id}
          >
            <td>
              <button
                type="button"
                className="scene-select num"
                aria-pressed={s.id === selected}
                onClick={() => selectScene(s.id)}
              >
                {formatUtc(s.captureTimeMs).slice(11, 19)}
              </button>
            </td>
            {receivers.map((r) => {
              const column = s.receivers.findIndex((x) => x.id === r.id);
              const id = column >= 0 ? s.recordingIds[column] : undefined;
              if (column < 0) return <td key={r.id} className="rx-cell" />;
              return id ? (
                <td
                  key={r.id}
                  className="rx-cell rx-ok"
                  title={`${nameOf(r)}: ${recordingNames.get(id)}`}
                >
                  <span aria-label={`${nameOf(r)} present`}>✓</span>
                </td>
              ) : (
                <td key={r.id} className="rx-cell rx-missing" title={`${nameOf(r)}: missing`}>
                  <span aria-label={`${nameOf(r)} missing`}>✗</span>
                </td>
              );
            })}
            <td>
              <RunCell scene={s} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
