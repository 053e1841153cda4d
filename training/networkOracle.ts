/**
 * The physical limit of power-only location for one scene (issue 13): the posterior mean of the
 * transmitter position given the true propagation law and the true priors, on a grid over that
 * scene's network. It sees each receiver's mean received power at the antenna before fast fading
 * (shadowing and the unknown gain offset included), which no real receiver measures exactly; so
 * it is a bound a model can approach, not one it can beat on average.
 *
 * Priors (those of the simulator, src/core/sim): position uniform in a disc about the centroid
 * whose radius is a uniformly drawn factor times the farthest receiver's distance; transmit power
 * log-uniform (uniform in dBm); path-loss exponent and shadowing sigma uniform in their ranges;
 * gain offsets uniform, folded into the shadowing as their variance (width^2 / 12).
 */
import { pathLossDb, wattsToDbm, type PhysicsRanges } from '../src/core/sim/physics';
import type { NetworkRanges, NetworkScene } from '../src/core/sim/network';

export interface OracleScene {
  /** Receivers east/north of the centroid, m. */
  receiversEN: readonly (readonly [number, number])[];
  /** Observed mean power per receiver, dBm at nominal gain: signal + shadowing + gain offset. */
  observedDbm: readonly number[];
  /** Farthest receiver from the centroid, m. */
  maxRadiusM: number;
  frequencyHz: number;
}

/** What the oracle sees of a simulated scene on a random network. */
export function oracleSceneOf(scene: NetworkScene, positionKm: Float32Array): OracleScene {
  return {
    receiversEN: scene.receivers.map((_, k) => [
      positionKm[2 * k] * 1000,
      positionKm[2 * k + 1] * 1000,
    ]),
    observedDbm: scene.receivers.map((r) => r.signalDbm + r.gainOffsetDb),
    maxRadiusM: scene.network.maxRadiusM,
    frequencyHz: scene.centerFrequencyHz,
  };
}

/** Prior points per axis over the transmitter disc, and per physics parameter. */
const GRID = 81;
const EXPONENT_STEPS = 8;
const SIGMA_STEPS = 5;
const REFERENCE_M = 1000;

const normalCdf = (z: number) => 0.5 * erfc(-z / Math.SQRT2);
function erfc(x: number): number {
  // Numerical Recipes erfcc (Chebyshev), relative error < 1.2e-7 (as in src/core/baseline.ts).
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const c = [
    -1.26551223, 1.00002368, 0.37409196, 0.09678418, -0.18628806, 0.27886807, -1.13520398,
    1.48851587, -0.82215223, 0.17087277,
  ];
  let poly = c[9];
  for (let i = 8; i >= 0; i--) poly = c[i] + t * poly;
  const r = t * Math.exp(-z * z + poly);
  return x >= 0 ? r : 2 - r;
}

const midpoints = (lo: number, hi: number, n: number) =>
  Array.from({ length: n }, (_, i) => lo + ((i + 0.5) * (hi - lo)) / n);

/**
 * Prior density (up to a constant) at distance r from the centroid: a uniform disc whose radius is
 * f * R with f uniform in [f1, f2] integrates to (1 / max(f1, r/R) - 1 / f2) for r < f2 R.
 */
function radialPrior(r: number, maxRadiusM: number, f1: number, f2: number): number {
  const u = r / maxRadiusM;
  if (u >= f2) return 0;
  return 1 / Math.max(f1, u) - 1 / f2;
}

/** Posterior mean east/north of the centroid, m. */
export function oraclePosteriorMean(
  scene: OracleScene,
  physics: PhysicsRanges,
  network: NetworkRanges,
): { eastM: number; northM: number } {
  const { lo: f1, hi: f2 } = network.txRadiusFactor;
  const half = f2 * scene.maxRadiusM;
  const step = (2 * half) / (GRID - 1);
  const n = scene.observedDbm.length;
  const pMin = wattsToDbm(physics.txPowerW.lo);
  const pMax = wattsToDbm(physics.txPowerW.hi);
  const gainVar = (physics.gainOffsetDb.hi - physics.gainOffsetDb.lo) ** 2 / 12;
  const exponents = midpoints(
    physics.pathLossExponent.lo,
    physics.pathLossExponent.hi,
    EXPONENT_STEPS,
  );
  const sigmas = midpoints(physics.shadowingSigmaDb.lo, physics.shadowingSigmaDb.hi, SIGMA_STEPS);
  // Path loss is linear in the exponent beyond the reference distance: L = a + n * b
  // (physics.ts: free space up to 1 km, then 10 n log10(d / 1 km) more).
  const lossAtReference = pathLossDb(REFERENCE_M, scene.frequencyHz, 0);
  const logNorm = sigmas.map((s) => ((n - 1) / 2) * Math.log(s * s + gainVar));
  const r = new Float64Array(n);
  const a = new Float64Array(n);
  const b = new Float64Array(n);
  let sumW = 0,
    sumE = 0,
    sumN = 0;
  for (let gy = 0; gy < GRID; gy++) {
    const y = -half + gy * step;
    for (let gx = 0; gx < GRID; gx++) {
      const x = -half + gx * step;
      const prior = radialPrior(Math.hypot(x, y), scene.maxRadiusM, f1, f2);
      if (prior <= 0) continue;
      for (let i = 0; i < n; i++) {
        const [rx, ry] = scene.receiversEN[i];
        const d = Math.hypot(x - rx, y - ry);
        if (d <= REFERENCE_M) {
          a[i] = pathLossDb(d, scene.frequencyHz, 0);
          b[i] = 0;
        } else {
          a[i] = lossAtReference;
          b[i] = 10 * Math.log10(d / REFERENCE_M);
        }
      }
      let like = 0;
      for (const ex of exponents) {
        // r_i = observed + loss = P_tx + shadowing + gain offset.
        let mean = 0;
        for (let i = 0; i < n; i++) {
          r[i] = scene.observedDbm[i] + a[i] + ex * b[i];
          mean += r[i];
        }
        mean /= n;
        let ss = 0;
        for (let i = 0; i < n; i++) ss += (r[i] - mean) ** 2;
        let k = 0;
        for (const s of sigmas) {
          const v = s * s + gainVar;
          const sd = Math.sqrt(v / n);
          // Gaussian in the residuals, integrated over the uniform transmit power in [pMin, pMax].
          const power = normalCdf((pMax - mean) / sd) - normalCdf((pMin - mean) / sd);
          like += Math.exp(-ss / (2 * v) - logNorm[k++]) * power;
        }
      }
      const w = like * prior;
      sumW += w;
      sumE += w * x;
      sumN += w * y;
    }
  }
  if (!(sumW > 0)) return { eastM: 0, northM: 0 };
  return { eastM: sumE / sumW, northM: sumN / sumW };
}
