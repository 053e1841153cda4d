import { describe, expect, it } from 'vitest';
import {
  configurations,
  prepareLikelihood,
  preparedLogLikelihood,
  stationLogLikelihood,
} from '../../src/core/tdoa/stationLikelihood';

/** A small deterministic generator (mulberry32): the same residuals on every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe("prepared likelihood (the grids' per-cell path)", () => {
  it('gives exactly stationLogLikelihood, with and without the multipath configurations', () => {
    const next = random(7);
    for (const n of [3, 4, 6]) {
      const variances = Array.from({ length: n }, () => (0.2 + next()) ** 2 * 1e-12);
      const weights = Float64Array.from(variances, (v) => 1 / v);
      const shares = variances.map((_, i) => (i === 1 ? 0 : 0.05 + 0.2 * next()));
      const configs = configurations(variances, { share: shares, extraS2: 9e-10, maxCount: 2 });
      const gaussian = prepareLikelihood(weights);
      const mixture = prepareLikelihood(weights, configs);
      for (let trial = 0; trial < 500; trial++) {
        // Residuals from a fraction of a microsecond to a millisecond: near and far cells.
        const scale = 10 ** (-7 + 4 * next());
        const r = Float64Array.from({ length: n }, () => (next() - 0.5) * scale);
        expect(preparedLogLikelihood(r, gaussian)).toBe(stationLogLikelihood(r, weights));
        expect(preparedLogLikelihood(r, mixture)).toBe(stationLogLikelihood(r, weights, configs));
      }
    }
  });
});
