import { useStore } from '../state/store';
import type { SceneView } from '../state/types';

/** A scene's state in fixed-size space (bar + one line), so streaming results never shift rows. */
export function RunCell({ scene }: { scene: SceneView }) {
  const run = useStore((s) => s.runs[scene.id]);
  const prediction = useStore((s) => s.predictions[scene.id]);
  // Missing receivers matter only when no model locates the scene without them.
  if (scene.missingReceiverIds.length > 0 && scene.model === null && !run) {
    const names = scene.missingReceiverIds.map(
      (id) => scene.receivers.find((r) => r.id === id)?.name ?? id,
    );
    return (
      <div
        className="run-status error-text"
        data-testid="run-status"
        title={`missing ${names.join(', ')}`}
      >
        missing {names.join(', ')}
      </div>
    );
  }
  if (scene.problem && scene.missingReceiverIds.length === 0 && !run && !prediction) {
    // No model serves the scene (one receiver, too many): said on its row, nothing is run.
    const text = `${scene.problem.name}: ${scene.problem.message}`;
    return (
      <div
        className="run-status error-text"
        data-testid="run-status"
        data-status="unserved"
        title={text}
      >
        {text}
      </div>
    );
  }
  const status = run?.status ?? (prediction ? 'done' : 'ready');
  const progress = status === 'done' || status === 'error' ? 1 : (run?.progress ?? 0);
  const label =
    status === 'error'
      ? `${run?.error?.name}: ${run?.error?.message}`
      : status === 'done' && prediction
        ? `done · ${prediction.cache === 'hit' ? 'cache hit' : 'computed'}`
        : status === 'running'
          ? (run?.stage ?? 'running')
          : status;
  return (
    <div data-testid="run-status" data-status={status}>
      <div
        className={`progress ${status}`}
        role="progressbar"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(progress * 100)}
        aria-label={`scene ${scene.id}`}
      >
        <span style={{ width: `${progress * 100}%` }} />
      </div>
      <div className={`run-status${status === 'error' ? ' error-text' : ' muted'}`} title={label}>
        {label}
      </div>
    </div>
  );
}
