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

/**
 * The mixture written out from its definition (stationLikelihood.ts): each configuration's
 * Gaussian with the emission time integrated out, weighted by its prior, relative to the base.
 */
function reference(r: Float64Array, variances: number[], shares: number[], extra: number): number {
  const n = r.length;
  const open = shares.map((_, i) => i).filter((i) => shares[i] > 0 && shares[i] < 1);
  const sets: number[][] = [[]];
  for (const i of open) sets.push([i]);
  for (let a = 0; a < open.length; a++)
    for (let b = a + 1; b < open.length; b++) sets.push([open[a], open[b]]);
  const w0 = variances.reduce((s, v) => s + 1 / v, 0);
  const logTerms = sets.map((set) => {
    const v = variances.map((x, i) => (set.includes(i) ? x + extra : x));
    const w = v.map((x) => 1 / x);
    const W = w.reduce((a, b) => a + b, 0);
    let q = 0;
    let m = 0;
    for (let i = 0; i < n; i++) {
      q += w[i] * r[i] * r[i];
      m += w[i] * r[i];
    }
    let prior = 0;
    for (const i of open) prior += set.includes(i) ? Math.log(shares[i]) : Math.log1p(-shares[i]);
    // prod v_i(c)^-1/2 W_c^-1/2 relative to the unbiased configuration's.
    let norm = 0;
    for (const i of set) norm -= 0.5 * Math.log(v[i] / variances[i]);
    norm -= 0.5 * Math.log(W / w0);
    return prior + norm - 0.5 * (q - (m * m) / W);
  });
  const top = Math.max(...logTerms);
  return top + Math.log(logTerms.reduce((s, t) => s + Math.exp(t - top), 0));
}

describe("the grids' prepared likelihood", () => {
  it('is the mixture of its definition, and stationLogLikelihood gives the same number', () => {
    const next = random(7);
    for (const n of [3, 4, 6]) {
      const variances = Array.from({ length: n }, () => (0.2 + next()) ** 2 * 1e-12);
      const weights = Float64Array.from(variances, (v) => 1 / v);
      const shares = variances.map((_, i) => (i === 1 ? 0 : 0.05 + 0.2 * next()));
      const extra = 9e-10;
      const configs = configurations(variances, { share: shares, extraS2: extra, maxCount: 2 });
      const gaussian = prepareLikelihood(weights);
      const mixture = prepareLikelihood(weights, configs);
      for (let trial = 0; trial < 300; trial++) {
        // Residuals from a fraction of a microsecond to a millisecond: near and far cells.
        const scale = 10 ** (-7 + 4 * next());
        const r = Float64Array.from({ length: n }, () => (next() - 0.5) * scale);
        const want = reference(r, variances, shares, extra);
        const got = preparedLogLikelihood(r, mixture);
        expect(Math.abs(got - want)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(want)));
        expect(stationLogLikelihood(r, weights, configs)).toBe(got);
        const plain = reference(
          r,
          variances,
          variances.map(() => 0),
          extra,
        );
        const g = preparedLogLikelihood(r, gaussian);
        expect(Math.abs(g - plain)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(plain)));
        expect(stationLogLikelihood(r, weights)).toBe(g);
      }
    }
  });

  it("gives each configuration's posterior share, summing to one", () => {
    const variances = [0.3e-12, 0.5e-12, 0.4e-12];
    const weights = Float64Array.from(variances, (v) => 1 / v);
    const configs = configurations(variances, { share: 0.1, extraS2: 9e-10, maxCount: 2 });
    const post = new Float64Array(configs.logConst.length);
    // Station 2 off by 20 us: the configurations that bias it carry nearly all the mass.
    stationLogLikelihood(Float64Array.from([0, 0, 20e-6]), weights, configs, post);
    expect(post.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    let withTwo = 0;
    for (let k = 0; k < post.length; k++) {
      const members = configs.members.subarray(configs.offsets[k], configs.offsets[k + 1]);
      if (members.includes(2)) withTwo += post[k];
    }
    expect(withTwo).toBeGreaterThan(0.99);
  });
});
