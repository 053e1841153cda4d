/**
 * Least-squares refinement of a grid cell to the position that best fits the time differences,
 * with exact WGS84 geodesic distances (geographiclib), and its Gaussian covariance.
 */
import type { Cov2 } from '../ellipse';
import { fromLocalOffset, geodesicInverse, type LatLon } from '../geodesy';
import { solveSmall } from './closure';
import type { DelayModel } from './posteriorGrid';
import { SPEED_OF_LIGHT_M_S } from './propagation';

const STEP_M = 10;
const MAX_ITERATIONS = 12;
const CONVERGED_M = 0.01;

function predicted(model: DelayModel, p: LatLon): number[] {
  const d = model.stations.map((s) => geodesicInverse(p, s).distanceM);
  return d.slice(1).map((di) => (di - d[0]) / SPEED_OF_LIGHT_M_S);
}

/** Chi-square of the time differences at position p. */
export function chi2(model: DelayModel, p: LatLon): number {
  const r = predicted(model, p).map((v, i) => model.measuredS[i] - v);
  let q = 0;
  for (let i = 0; i < r.length; i++)
    for (let j = 0; j < r.length; j++) q += r[i] * model.covInv[i][j] * r[j];
  return q;
}

/** Gauss-Newton (with step halving) from `start`; returns the point, its covariance and chi2. */
export function refinePosition(
  model: DelayModel,
  start: LatLon,
): { point: LatLon; cov: Cov2; chi2: number } {
  let p = start;
  let best = chi2(model, p);
  let cov: Cov2 = { ee: NaN, en: NaN, nn: NaN };
  for (let it = 0; it < MAX_ITERATIONS; it++) {
    const f0 = predicted(model, p);
    const fe = predicted(model, fromLocalOffset(p, STEP_M, 0));
    const fn = predicted(model, fromLocalOffset(p, 0, STEP_M));
    const J = f0.map((v, i) => [(fe[i] - v) / STEP_M, (fn[i] - v) / STEP_M]);
    const r = f0.map((v, i) => model.measuredS[i] - v);
    // Normal equations J' W J dx = J' W r with W the inverse covariance.
    const jtw = [0, 1].map((a) =>
      r.map((_, i) => J.reduce((s, row, j) => s + row[a] * model.covInv[j][i], 0)),
    );
    const ata = [0, 1].map((a) =>
      [0, 1].map((b) => jtw[a].reduce((s, w, i) => s + w * J[i][b], 0)),
    );
    const atr = [0, 1].map((a) => jtw[a].reduce((s, w, i) => s + w * r[i], 0));
    const det = ata[0][0] * ata[1][1] - ata[0][1] * ata[1][0];
    cov = { ee: ata[1][1] / det, en: -ata[0][1] / det, nn: ata[0][0] / det };
    let dx: number[];
    try {
      dx = solveSmall(ata, atr);
    } catch {
      break;
    }
    let step = 1;
    let moved = false;
    while (step > 1e-3) {
      const q = fromLocalOffset(p, dx[0] * step, dx[1] * step);
      const c = chi2(model, q);
      if (c <= best) {
        p = q;
        best = c;
        moved = true;
        break;
      }
      step /= 2;
    }
    if (!moved || Math.hypot(dx[0], dx[1]) * step < CONVERGED_M) break;
  }
  return { point: p, cov, chi2: best };
}
