import { useStore, type LoadSteps, type StepState } from '../state/store';
import { formatPercent } from '../ui/format';

const MARK: Record<StepState, string> = { waiting: '…', loading: '⟳', done: '✓' };

/** "runtime ✓ · model 40% · first run …": the three start-up steps, which overlap in time. */
function stepsText(s: LoadSteps): string {
  const model =
    s.model === 'loading' && s.modelProgress > 0 && s.modelProgress < 1
      ? formatPercent(s.modelProgress)
      : MARK[s.model];
  return `runtime ${MARK[s.runtime]} · model ${model} · first run ${MARK[s.inference]}`;
}

/** One line on the model's state: loading (each step's progress), ready (version and provider), failed. */
export function EngineStatusChip() {
  const engine = useStore((s) => s.engine);
  const ep = useStore((s) => s.metrics?.executionProvider ?? null);
  let text: string;
  let title: string | undefined;
  switch (engine.state) {
    case 'idle':
      text = 'Model: not loaded';
      break;
    case 'loading':
      text = engine.steps
        ? stepsText(engine.steps)
        : `${engine.message} ${engine.progress > 0 ? formatPercent(engine.progress) : ''}`;
      title = engine.message;
      break;
    case 'ready':
      text = engine.stagingVersion
        ? `Models ${engine.version} / ${engine.stagingVersion} (A/B)`
        : `Model ${engine.version}`;
      // The any-network model beside it locates scenes of other receivers (issue 13).
      if (engine.networkVersion && engine.networkVersion !== engine.version)
        text += ` + ${engine.networkVersion}`;
      if (ep) text += ` · ${ep.toUpperCase()}`;
      break;
    case 'error':
      text = `Model failed: ${engine.error.name}`;
      title = engine.error.message;
      break;
  }
  return (
    <span
      className={`status-chip ${engine.state}`}
      data-testid="engine-status"
      data-state={engine.state}
      title={title ?? text}
    >
      <span className="dot" aria-hidden="true" />
      {text}
    </span>
  );
}
