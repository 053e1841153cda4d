import { useStore } from '../state/store';
import { formatPercent } from '../ui/format';

/** One line on the model's state: loading (with progress), ready (version and provider), failed. */
export function EngineStatusChip() {
  const engine = useStore((s) => s.engine);
  const ep = useStore((s) => s.metrics?.executionProvider ?? null);
  let text: string;
  switch (engine.state) {
    case 'idle':
      text = 'Model: not loaded';
      break;
    case 'loading':
      text = `${engine.message} ${engine.progress > 0 ? formatPercent(engine.progress) : ''}`;
      break;
    case 'ready':
      text = engine.stagingVersion
        ? `Models ${engine.version} / ${engine.stagingVersion} (A/B)`
        : `Model ${engine.version}`;
      if (ep) text += ` · ${ep.toUpperCase()}`;
      break;
    case 'error':
      text = `Model failed: ${engine.error.name}`;
      break;
  }
  return (
    <span
      className={`status-chip ${engine.state}`}
      data-testid="engine-status"
      title={engine.state === 'error' ? engine.error.message : text}
    >
      <span className="dot" aria-hidden="true" />
      {text}
    </span>
  );
}
