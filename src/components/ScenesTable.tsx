import type { Receiver } from '../core/modelMetadata';
import { useStore } from '../state/store';
import type { SceneView } from '../state/types';
import { formatUtc } from '../ui/format';
import { RunCell } from './RunCell';

interface Props {
  scenes: SceneView[];
  receivers: Receiver[];
  recordingNames: Map<string, string>;
}

/** The grouping at a glance: one row per scene, one column per receiver, what is missing in red. */
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
            <th key={r.id} className="rx-cell" title={r.name}>
              {r.name.slice(0, 2)}
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
            {receivers.map((r, i) => {
              const id = s.recordingIds[i];
              return id ? (
                <td
                  key={r.id}
                  className="rx-cell rx-ok"
                  title={`${r.name}: ${recordingNames.get(id)}`}
                >
                  <span aria-label={`${r.name} present`}>✓</span>
                </td>
              ) : (
                <td key={r.id} className="rx-cell rx-missing" title={`${r.name}: missing`}>
                  <span aria-label={`${r.name} missing`}>✗</span>
                </td>
              );
            })}
            <td>
              <RunCell scene={s} receivers={receivers} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
