/**
 * Refinement of a grid cell to the position that best fits the arrival times, with exact WGS84
 * geodesic distances (geographiclib). The likelihood is stationLikelihood.ts's (multipath
 * configurations included), maximised by iteratively reweighted least squares: at the current
 * point each station's weight is its precision averaged over the configurations' posterior
 * probabilities (an EM step), then a Gauss-Newton step in east, north and the emission time;
 * a step is kept only if the likelihood rises.
 */
import { fromLocalOffset, geodesicInverse, type LatLon } from '../geodesy';
import { solveSmall } from './closure';
import type { DelayModel } from './posteriorGrid';
import { SPEED_OF_LIGHT_M_S } from './propagation';
import { stationLogLikelihood } from './stationLikelihood';

const STEP_M = 10;
const MAX_ITERATIONS = 20;
const CONVERGED_M = 0.01;

function residuals(model: DelayModel, p: LatLon): Float64Array {
  return Float64Array.from(
    model.stations,
    (s, i) => model.timesS[i] - geodesicInverse(p, s).distanceM / SPEED_OF_LIGHT_M_S,
  );
}

/** Log-likelihood at position p (stationLikelihood.ts, up to a constant). */
export function logLikelihoodAt(model: DelayModel, p: LatLon): number {
  return stationLogLikelihood(residuals(model, p), model.weights, model.configs);
}

/**
 * Each station's posterior probability of carrying the multipath bias at p (0 without the
 * multipath model).
 */
export function biasProbabilities(model: DelayModel, p: LatLon): number[] {
  const n = model.stations.length;
  const out = new Array<number>(n).fill(0);
  const c = model.configs;
  if (!c) return out;
  const post = new Float64Array(c.logConst.length);
  stationLogLikelihood(residuals(model, p), model.weights, c, post);
  for (let k = 0; k < post.length; k++)
    for (let q = c.offsets[k]; q < c.offsets[k + 1]; q++) out[c.members[q]] += post[k];
  return out;
}

/**
 * The Gaussian chi-square at p with each station's variance its effective one (precision averaged
 * over the multipath configurations there) plus `extraS2`.
 */
export function effectiveChi2(model: DelayModel, p: LatLon, extraS2: number): number {
  const r = residuals(model, p);
  const w = effectiveWeights(model, r).map((wi) => 1 / (1 / wi + extraS2));
  return -2 * stationLogLikelihood(r, w);
}

/** Each station's precision averaged over the configurations' posterior at residuals r. */
function effectiveWeights(model: DelayModel, r: Float64Array): Float64Array {
  const w = Float64Array.from(model.weights);
  const c = model.configs;
  if (!c) return w;
  const post = new Float64Array(c.logConst.length);
  stationLogLikelihood(r, model.weights, c, post);
  for (let k = 0; k < post.length; k++)
    for (let q = c.offsets[k]; q < c.offsets[k + 1]; q++) w[c.members[q]] += post[k] * c.deltaW[q];
  return w;
}

/** Reweighted Gauss-Newton (with step halving) from `start`; returns the point and its log L. */
export function refinePosition(model: DelayModel, start: LatLon): { point: LatLon; logL: number } {
  let p = start;
  let r = residuals(model, p);
  let best = stationLogLikelihood(r, model.weights, model.configs);
  const n = model.stations.length;
  for (let it = 0; it < MAX_ITERATIONS; it++) {
    const w = effectiveWeights(model, r);
    const re = residuals(model, fromLocalOffset(p, STEP_M, 0));
    const rn = residuals(model, fromLocalOffset(p, 0, STEP_M));
    // Model of r_i after a move (dE, dN) and emission time t0: r_i + Je dE + Jn dN - t0 = 0.
    const ata = [
      [0, 0, 0],
      [0, 0, 0],
      [0, 0, 0],
    ];
    const atb = [0, 0, 0];
    for (let i = 0; i < n; i++) {
      const row = [(re[i] - r[i]) / STEP_M, (rn[i] - r[i]) / STEP_M, -1];
      for (let a = 0; a < 3; a++) {
        atb[a] -= w[i] * row[a] * r[i];
        for (let b = 0; b < 3; b++) ata[a][b] += w[i] * row[a] * row[b];
      }
    }
    let dx: number[];
    try {
      dx = solveSmall(ata, atb);
    } catch {
      break;
    }
    let step = 1;
    let moved = false;
    while (step > 1e-3) {
      const q = fromLocalOffset(p, dx[0] * step, dx[1] * step);
      const rq = residuals(model, q);
      const l = stationLogLikelihood(rq, model.weights, model.configs);
      if (l >= best) {
        p = q;
        r = rq;
        best = l;
        moved = true;
        break;
      }
      step /= 2;
    }
    if (!moved || Math.hypot(dx[0], dx[1]) * step < CONVERGED_M) break;
  }
  return { point: p, logL: best };
}
