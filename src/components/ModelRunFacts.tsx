import type { Prediction } from '../state/types';
import { STAGES } from '../state/types';
import { formatMs } from '../ui/format';

/** Which model answered, where it ran, whether from the cache, and how long each stage took. */
export function ModelRunFacts({ prediction: p }: { prediction?: Prediction }) {
  return (
    <>
      <dl className="kv" data-testid="run-facts">
        <dt>Model</dt>
        <dd className="num" data-testid="model-version">
          {p
            ? `${p.modelVersion} (${p.arm}${p.fallbackFrom ? `, fallback from ${p.fallbackFrom}` : ''})`
            : '–'}
        </dd>
        <dt>Runs on</dt>
        <dd data-testid="execution-provider">{p ? p.executionProvider.toUpperCase() : '–'}</dd>
        <dt>Cache</dt>
        <dd data-testid="cache-status">
          {p ? <span className={`badge ${p.cache}`}>{p.cache}</span> : '–'}
        </dd>
      </dl>
      <dl className="timings" data-testid="timings" aria-label="Time per stage">
        {STAGES.map((s) => (
          <div key={s}>
            <dt>{s}</dt>
            <dd className="num">{p ? formatMs(p.timingsMs[s]) : '–'}</dd>
          </div>
        ))}
      </dl>
    </>
  );
}
