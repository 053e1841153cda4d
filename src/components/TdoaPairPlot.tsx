import type { PairLag } from '../core/tdoa/types';

/** Path difference per microsecond of lag: c = 299 792.458 km/s is 0.2998 km/µs. */
const KM_PER_US = 0.299792458;
const W = 300;
const H = 110;
const PAD = { left: 8, right: 8, top: 18, bottom: 34 };

/** Round tick step (1, 2 or 5 × 10^n) giving about `count` ticks over `span`. */
function tickStep(span: number, count: number): number {
  const raw = span / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const norm = raw / mag;
  return (norm < 1.5 ? 1 : norm < 3.5 ? 2 : norm < 7.5 ? 5 : 10) * mag;
}

/**
 * One pair's cross-correlation around its peak: lag in microseconds below the axis and the path
 * difference in kilometres above it, the measured lag and its ±1 sigma band marked.
 */
export function TdoaPairPlot({ pair }: { pair: PairLag }) {
  const curve = pair.curve;
  const label = `${pair.a} → ${pair.b}`;
  if (!curve || curve.lagUs.length < 2) {
    return (
      <figure className="tdoa-pair" data-testid="tdoa-pair" data-pair={label}>
        <figcaption>
          {label}: lag {pair.lagUs.toFixed(1)} µs ± {pair.sigmaUs.toFixed(1)} µs (no curve)
        </figcaption>
      </figure>
    );
  }
  const x0 = curve.lagUs[0];
  const x1 = curve.lagUs[curve.lagUs.length - 1];
  let vMin = Math.min(...curve.value);
  const vMax = Math.max(...curve.value);
  if (vMax - vMin < 1e-12) vMin = vMax - 1;
  const px = (us: number) => PAD.left + ((us - x0) / (x1 - x0)) * (W - PAD.left - PAD.right);
  const py = (v: number) => PAD.top + (1 - (v - vMin) / (vMax - vMin)) * (H - PAD.top - PAD.bottom);
  const d = curve.lagUs
    .map((us, i) => `${i === 0 ? 'M' : 'L'}${px(us).toFixed(1)},${py(curve.value[i]).toFixed(1)}`)
    .join('');
  const step = tickStep(x1 - x0, 4);
  const ticks: number[] = [];
  for (let t = Math.ceil(x0 / step) * step; t <= x1; t += step) ticks.push(t);
  const kmStep = tickStep((x1 - x0) * KM_PER_US, 4);
  const kmTicks: number[] = [];
  for (let k = Math.ceil((x0 * KM_PER_US) / kmStep) * kmStep; k <= x1 * KM_PER_US; k += kmStep)
    kmTicks.push(k);
  const axisY = H - PAD.bottom;
  const sigmaLo = Math.max(x0, pair.lagUs - pair.sigmaUs);
  const sigmaHi = Math.min(x1, pair.lagUs + pair.sigmaUs);
  return (
    <figure className="tdoa-pair" data-testid="tdoa-pair" data-pair={label}>
      <figcaption>
        <strong>{label}</strong>{' '}
        <span className="num">
          {pair.lagUs.toFixed(1)} µs ± {pair.sigmaUs.toFixed(1)} µs ={' '}
          {(pair.lagUs * KM_PER_US).toFixed(2)} km ± {(pair.sigmaUs * KM_PER_US).toFixed(2)} km
          {pair.peak !== undefined ? ` · peak ${pair.peak.toFixed(2)}` : ''}
        </span>
        {pair.used === false && (
          <span className="error-text"> · left out: {pair.reason ?? 'no reason given'}</span>
        )}
      </figcaption>
      <svg
        viewBox={`0 0 ${W} ${H}`}
        width="100%"
        role="img"
        aria-label={`Cross-correlation of ${label}, peak at ${pair.lagUs.toFixed(1)} microseconds`}
      >
        <rect
          x={px(sigmaLo)}
          y={PAD.top}
          width={Math.max(1, px(sigmaHi) - px(sigmaLo))}
          height={axisY - PAD.top}
          className="tdoa-sigma"
        />
        <path d={d} className="tdoa-curve" />
        <line
          x1={px(pair.lagUs)}
          x2={px(pair.lagUs)}
          y1={PAD.top}
          y2={axisY}
          className="tdoa-peak"
        />
        <line x1={PAD.left} x2={W - PAD.right} y1={axisY} y2={axisY} className="tdoa-axis" />
        {ticks.map((t) => (
          <g key={`us${t}`}>
            <line x1={px(t)} x2={px(t)} y1={axisY} y2={axisY + 4} className="tdoa-axis" />
            <text x={px(t)} y={axisY + 14} textAnchor="middle" className="tdoa-tick">
              {Number(t.toPrecision(6))}
            </text>
          </g>
        ))}
        <text x={W - PAD.right} y={H - 2} textAnchor="end" className="tdoa-tick">
          lag, µs
        </text>
        {kmTicks.map((k) => (
          <g key={`km${k}`}>
            <line
              x1={px(k / KM_PER_US)}
              x2={px(k / KM_PER_US)}
              y1={PAD.top - 4}
              y2={PAD.top}
              className="tdoa-axis"
            />
            <text x={px(k / KM_PER_US)} y={PAD.top - 6} textAnchor="middle" className="tdoa-tick">
              {Number(k.toPrecision(6))}
            </text>
          </g>
        ))}
        <text x={PAD.left} y={H - 2} className="tdoa-tick">
          top: path difference, km
        </text>
      </svg>
    </figure>
  );
}
