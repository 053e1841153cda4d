import { cancelBatch, locateDueScenes } from '../state/batchActions';
import { clearAll } from '../state/fileActions';
import { dueScenes, locatable } from '../state/scenes';
import { useStore } from '../state/store';
import type { SceneView } from '../state/types';

/** Run, cancel and clear, with the batch's overall progress. */
export function BatchBar({ scenes }: { scenes: SceneView[] }) {
  const running = useStore((s) => s.batchRunning);
  const runs = useStore((s) => s.runs);
  const predictions = useStore((s) => s.predictions);
  const engineReady = useStore((s) => s.engine.state === 'ready');
  // Recordings located by TDoA alone make no model scene, and must be clearable too.
  const hasFiles = useStore((s) => s.recordings.length > 0 || s.fileErrors.length > 0);
  const complete = scenes.filter(locatable);
  const todo = dueScenes(scenes, predictions);
  const done = complete.filter((s) => runs[s.id]?.status === 'done' || predictions[s.id]).length;
  const failed = complete.filter((s) => runs[s.id]?.status === 'error').length;
  return (
    <div className="row" data-testid="batch-bar">
      <button
        type="button"
        className="primary batch-run"
        disabled={!engineReady || running || todo.length === 0}
        onClick={() => void locateDueScenes()}
      >
        Locate {todo.length || ''} scene{todo.length === 1 ? '' : 's'}
      </button>
      <button type="button" disabled={!running} onClick={() => void cancelBatch()}>
        Cancel
      </button>
      <button
        type="button"
        className="danger"
        disabled={running || (scenes.length === 0 && !hasFiles)}
        onClick={() => void clearAll()}
      >
        Clear
      </button>
      <span className="muted num" aria-live="polite">
        {done}/{complete.length} done{failed ? `, ${failed} failed` : ''}
      </span>
    </div>
  );
}
