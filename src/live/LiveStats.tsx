import { useLiveStore } from '../state/store';
import { TimelineLegend, WindowTimeline } from './WindowTimeline';

const ms = (x: number | undefined) => (x === undefined ? '–' : `${Math.round(x)} ms`);
const pct = (x: number) => `${(100 * x).toFixed(1)} %`;

/** Latency, window outcomes and drops: how well the live pipeline keeps up. */
export function LiveStats() {
  const latency = useLiveStore((s) => s.latency);
  const c = useLiveStore((s) => s.counters);
  const current = useLiveStore((s) => s.estimates.at(-1));
  const lastError = useLiveStore((s) => s.lastError);
  // Of the windows that passed the squelch, the share the model could not keep up with.
  const heard = c.located + c.dropped + c.failed;
  const dropRate = heard === 0 ? 0 : c.dropped / heard;
  const e68 = current?.ellipses.find((e) => e.p === 0.68);
  return (
    <>
      <section className="section" aria-label="Current estimate">
        <h2>Estimate</h2>
        {current ? (
          <dl className="kv" data-testid="live-estimate">
            <dt>Position</dt>
            <dd className="num">
              {current.lat.toFixed(4)}, {current.lon.toFixed(4)}
            </dd>
            {e68 && (
              <>
                <dt>68 % ellipse</dt>
                <dd className="num">
                  {(e68.semiMajorM / 1000).toFixed(1)} × {(e68.semiMinorM / 1000).toFixed(1)} km
                </dd>
              </>
            )}
            <dt>Captured</dt>
            <dd className="num">{new Date(current.windowEndMs).toISOString().slice(11, 22)} UTC</dd>
            <dt>Model</dt>
            <dd className="num">
              {current.modelVersion} · {ms(current.inferenceMs)}
            </dd>
          </dl>
        ) : (
          <p className="muted">Waiting for a window in which a receiver hears a signal…</p>
        )}
      </section>
      <section className="section" aria-label="Latency and windows">
        <h2>Latency and windows</h2>
        <dl className="kv" data-testid="live-stats">
          <dt title="From the capture of a window's last sample to its estimate on the map">
            Capture to screen
          </dt>
          <dd className="num" data-testid="latency">
            {latency
              ? `${ms(latency.lastMs)} (p50 ${ms(latency.p50Ms)}, p95 ${ms(latency.p95Ms)})`
              : '–'}
          </dd>
          <dt>Windows</dt>
          <dd className="num">{c.windows}</dd>
          <dt>Located</dt>
          <dd className="num" data-testid="located">
            {c.located}
          </dd>
          <dt>Squelched</dt>
          <dd className="num" data-testid="squelched">
            {c.squelched}
          </dd>
          <dt>Incomplete</dt>
          <dd className="num">{c.incomplete}</dd>
          <dt title="Windows that passed the squelch but were dropped because the model was behind">
            Dropped
          </dt>
          <dd className="num" data-testid="dropped">
            {c.dropped} ({pct(dropRate)})
          </dd>
          {c.failed > 0 && (
            <>
              <dt>Failed</dt>
              <dd className="num error-text">{c.failed}</dd>
            </>
          )}
          <dt title="Frames the relay did not send because this page's connection was full">
            Relay drops
          </dt>
          <dd className="num">{c.relayDropped}</dd>
        </dl>
        <WindowTimeline />
        <TimelineLegend />
        {lastError && <p className="error-text">{lastError}</p>}
      </section>
    </>
  );
}
