import { getLiveState, useLiveStore } from '../state/store';
import { TDOA_WINDOW_CHOICES_S } from '../state/liveSlice';

/**
 * Live TDoA (issue 12 item 7): the sliding window's length, which the operator picks, and the
 * latest result from the GPS-stamped receivers, shown beside the model's estimate. Streams
 * without GPS stamps (the plain simulated network) say so.
 */
export function LiveTdoaPanel() {
  const windowS = useLiveStore((s) => s.tdoaWindowS);
  const tdoa = useLiveStore((s) => s.tdoa);
  const error = useLiveStore((s) => s.tdoaError);
  const r = tdoa?.result;
  const used = r?.stations.filter((s) => s.used).length ?? 0;
  const e95 = r?.ellipses.find((e) => e.p === 0.95);
  return (
    <section className="section" aria-label="Live TDoA">
      <h2>TDoA (GPS time stamps)</h2>
      <label className="row">
        Window{' '}
        <select
          value={windowS}
          data-testid="live-tdoa-window"
          onChange={(e) => getLiveState().patchLive({ tdoaWindowS: Number(e.target.value) })}
        >
          {TDOA_WINDOW_CHOICES_S.map((s) => (
            <option key={s} value={s}>
              {s} s
            </option>
          ))}
        </select>
      </label>
      {r ? (
        <dl className="kv" data-testid="live-tdoa">
          <dt>Position</dt>
          <dd className="num">
            {r.lat !== undefined && r.lon !== undefined
              ? `${r.lat.toFixed(4)}, ${r.lon.toFixed(4)}`
              : 'a hyperbola (two stations)'}
          </dd>
          {e95 && (
            <>
              <dt>95 % ellipse</dt>
              <dd className="num">
                {(e95.semiMajorM / 1000).toFixed(2)} × {(e95.semiMinorM / 1000).toFixed(2)} km
              </dd>
            </>
          )}
          <dt>Stations</dt>
          <dd className="num">
            {used} of {r.stations.length} · {tdoa.windowS} s to{' '}
            {new Date(tdoa.windowEndMs).toISOString().slice(11, 19)} UTC
          </dd>
          <dt>Solve</dt>
          <dd className="num">{Math.round(tdoa.solveMs)} ms</dd>
        </dl>
      ) : (
        <p className="muted">
          {error ?? `Waiting for ${windowS} s of GPS-stamped IQ from two or more receivers.`}
        </p>
      )}
      {r && error && <p className="warn-text">{error}</p>}
    </section>
  );
}
