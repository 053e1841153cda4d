import { formatMs } from '../ui/format';
import { logHistogram } from '../ui/histogram';

/** A small log-binned histogram of one stage's latencies. */
export function LatencyHistogram({ stage, valuesMs }: { stage: string; valuesMs: number[] }) {
  const bins = logHistogram(valuesMs);
  const max = Math.max(1, ...bins.map((b) => b.count));
  return (
    <figure style={{ margin: '0 0 10px' }}>
      <figcaption className="row" style={{ justifyContent: 'space-between', fontSize: 12 }}>
        <span>{stage}</span>
        <span className="muted">{valuesMs.length} samples</span>
      </figcaption>
      <div className="bars" role="img" aria-label={`${stage} latency histogram`}>
        {bins.map((b) => (
          <span
            key={b.loMs}
            style={{ height: `${(b.count / max) * 100}%` }}
            title={`${formatMs(b.loMs)}–${formatMs(b.hiMs)}: ${b.count}`}
          />
        ))}
      </div>
      <div className="histogram-axis muted num">
        <span>{bins.length ? formatMs(bins[0].loMs) : ''}</span>
        <span>{bins.length ? formatMs(bins[bins.length - 1].hiMs) : ''}</span>
      </div>
    </figure>
  );
}
