import { useMetricsPolling } from '../hooks/useMetricsPolling';
import { useStore } from '../state/store';
import { STAGES } from '../state/types';
import { formatMs, formatPercent } from '../ui/format';
import { LatencyHistogram } from './LatencyHistogram';

/** Engine health: per-stage percentiles and histograms, cache hit rate, provider, per version. */
export function MetricsPanel() {
  useMetricsPolling();
  const m = useStore((s) => s.metrics);
  const predictions = useStore((s) => s.predictions);
  const samples = Object.values(predictions);
  return (
    <div data-testid="metrics-panel">
      <div className="section">
        <h2>Engine</h2>
        <dl className="kv">
          <dt>Execution provider</dt>
          <dd data-testid="metrics-ep">{m?.executionProvider?.toUpperCase() ?? '–'}</dd>
          <dt>Cache hit rate</dt>
          <dd className="num" data-testid="metrics-hit-rate">
            {m
              ? `${formatPercent(m.cache.hitRate)} (${m.cache.hits} of ${m.cache.hits + m.cache.misses})`
              : '–'}
          </dd>
          <dt>Cached entries</dt>
          <dd className="num">{m ? m.cache.entries : '–'}</dd>
          <dt>Requests</dt>
          <dd className="num">
            {m
              ? `${m.requests} (${m.failed} failed, ${m.cancelled} cancelled, ${m.inFlight} in flight)`
              : '–'}
          </dd>
          <dt>Mode</dt>
          <dd>
            {m
              ? m.mode === 'ab'
                ? `A/B: ${m.activeVersion} / ${m.stagingVersion ?? 'none'}`
                : m.mode
              : '–'}
          </dd>
        </dl>
      </div>
      <div className="section">
        <h2>Latency per stage</h2>
        <table>
          <thead>
            <tr>
              <th>Stage</th>
              <th className="right">n</th>
              <th className="right">p50</th>
              <th className="right">p95</th>
              <th className="right">p99</th>
            </tr>
          </thead>
          <tbody>
            {STAGES.map((s) => {
              const p = m?.stagesMs[s];
              return (
                <tr key={s}>
                  <td>{s}</td>
                  <td className="right num">{p ? p.count : '–'}</td>
                  <td className="right num">{p?.count ? formatMs(p.p50) : '–'}</td>
                  <td className="right num">{p?.count ? formatMs(p.p95) : '–'}</td>
                  <td className="right num">{p?.count ? formatMs(p.p99) : '–'}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <div className="section">
        <h2>Histograms (this session’s results)</h2>
        {STAGES.map((s) => (
          <LatencyHistogram key={s} stage={s} valuesMs={samples.map((p) => p.timingsMs[s])} />
        ))}
      </div>
      {m && m.versions.length > 0 && (
        <div className="section">
          <h2>Per version</h2>
          <table>
            <thead>
              <tr>
                <th>Version</th>
                <th>Role</th>
                <th className="right">Requests</th>
                <th className="right">Failed</th>
                <th className="right">Hits</th>
                <th className="right">p50 total</th>
              </tr>
            </thead>
            <tbody>
              {m.versions.map((v) => (
                <tr key={v.version}>
                  <td className="num">{v.version}</td>
                  <td>{v.role}</td>
                  <td className="right num">{v.requests}</td>
                  <td className="right num">{v.failed}</td>
                  <td className="right num">{v.cacheHits}</td>
                  <td className="right num">{v.totalMs.count ? formatMs(v.totalMs.p50) : '–'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
