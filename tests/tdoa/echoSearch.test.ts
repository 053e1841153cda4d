/**
 * The direct-path fit's inner search (echoSearch.ts), against routes written here from the
 * definitions: complex logarithms for the log-channel, finite differences for its derivatives and
 * for the normal equations, a matrix product for the inverse, and the chi-square summed directly
 * over every pair's residual with the pair's weighted line removed.
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng';
import {
  EchoSearch,
  PRIOR_WEIGHT,
  echoLogInto,
  invertInto,
  type EchoSearchData,
} from '../../src/core/tdoa/echoSearch';

const M = 24;
const x = Float64Array.from({ length: M }, (_, q) => 2 * Math.PI * (-2500 + (5000 * q) / (M - 1)));

/** ln(1 + c e^{-i x delta}) by complex arithmetic, [re, im]. */
function logChannel(cRe: number, cIm: number, delayS: number, xq: number): [number, number] {
  const hr = 1 + cRe * Math.cos(xq * delayS) + cIm * Math.sin(xq * delayS);
  const hi = cIm * Math.cos(xq * delayS) - cRe * Math.sin(xq * delayS);
  return [Math.log(Math.hypot(hr, hi)), Math.atan2(hi, hr)];
}

describe('echoLogInto', () => {
  it('gives the complex logarithm of the channel and its derivatives', () => {
    const out = new Float64Array(8 * M);
    const [cRe, cIm, delayS] = [0.31, -0.22, 87e-6];
    echoLogInto(cRe, cIm, delayS, x, out, 3);
    const steps = [1e-6, 1e-6, 1e-11];
    for (let q = 0; q < M; q++) {
      const [lr, li] = logChannel(cRe, cIm, delayS, x[q]);
      expect(out[2 * q]).toBeCloseTo(lr, 12);
      expect(out[2 * q + 1]).toBeCloseTo(li, 12);
      for (let k = 0; k < 3; k++) {
        const p = [cRe, cIm, delayS];
        const n = [cRe, cIm, delayS];
        p[k] += steps[k];
        n[k] -= steps[k];
        const [pr, pi] = logChannel(p[0], p[1], p[2], x[q]);
        const [nr, ni] = logChannel(n[0], n[1], n[2], x[q]);
        const o = 2 * M * (k + 1) + 2 * q;
        const scale = k === 2 ? 1e-5 : 1;
        expect(out[o] * scale).toBeCloseTo(((pr - nr) / (2 * steps[k])) * scale, 6);
        expect(out[o + 1] * scale).toBeCloseTo(((pi - ni) / (2 * steps[k])) * scale, 6);
      }
    }
  });

  it('writes only the derivatives asked for', () => {
    const out = new Float64Array(8 * M).fill(7);
    echoLogInto(0.2, 0.1, 50e-6, x, out, 2);
    expect(out.subarray(6 * M).every((v) => v === 7)).toBe(true);
    expect(out.subarray(0, 6 * M).some((v) => v === 7)).toBe(false);
  });
});

describe('invertInto', () => {
  it('inverts a symmetric positive-definite matrix, pivoting where needed', () => {
    const a = Float64Array.from([1e-3, 2, 0.5, 2, 9, 1, 0.5, 1, 4]);
    const inv = new Float64Array(9);
    invertInto(a, 3, new Float64Array(9), inv);
    for (let r = 0; r < 3; r++)
      for (let c = 0; c < 3; c++) {
        let s = 0;
        for (let k = 0; k < 3; k++) s += a[r * 3 + k] * inv[k * 3 + c];
        expect(s).toBeCloseTo(r === c ? 1 : 0, 12);
      }
  });
});

/** Three stations, three pairs, phases only (no levels: Q = 0), a residual already projected. */
function phaseOnlyScene(seed: number) {
  const rng = new Rng(seed, 5);
  const pairs = [
    { a: 0, b: 1 },
    { a: 0, b: 2 },
    { a: 1, b: 2 },
  ];
  const P = pairs.length;
  const w = Float64Array.from({ length: P * M }, () => rng.uniform(0.5, 2.5));
  // One sub-band without weight, as the pipeline leaves them.
  w[4] = 0;
  const stats = pairs.map((_, p) => {
    let sw = 0;
    let sx = 0;
    for (let q = 0; q < M; q++) {
      sw += w[p * M + q];
      sx += w[p * M + q] * x[q];
    }
    const xb = sx / sw;
    let d = 0;
    for (let q = 0; q < M; q++) d += w[p * M + q] * (x[q] - xb) ** 2;
    return { sw, xb, d };
  });
  /** v with pair p's weighted line removed. */
  const lineRemoved = (v: Float64Array, p: number) => {
    const { sw, xb, d } = stats[p];
    let mean = 0;
    let slope = 0;
    for (let q = 0; q < M; q++) {
      mean += w[p * M + q] * v[q];
      slope += w[p * M + q] * (x[q] - xb) * v[q];
    }
    return v.map((vq, q) => vq - mean / sw - (slope / d) * (x[q] - xb));
  };
  const b = new Float64Array(P * M);
  for (let p = 0; p < P; p++) {
    const raw = Float64Array.from({ length: M }, () => 0.05 * rng.normal());
    b.set(lineRemoved(raw, p), p * M);
  }
  const data: EchoSearchData = {
    x,
    w,
    pairSw: Float64Array.from(stats, (s) => s.sw),
    pairXb: Float64Array.from(stats, (s) => s.xb),
    pairD: Float64Array.from(stats, (s) => s.d),
    memberPairs: [0, 1, 2].map((i) =>
      Int32Array.from(pairs.flatMap((pr, p) => (pr.a === i || pr.b === i ? [p] : []))),
    ),
    memberSigns: [0, 1, 2].map((i) =>
      Float64Array.from(pairs.flatMap((pr) => (pr.b === i ? [1] : pr.a === i ? [-1] : []))),
    ),
    q: [0, 1, 2].map(() => new Float64Array(M * M)),
  };
  let baseChi = 0;
  for (let k = 0; k < P * M; k++) baseChi += w[k] * b[k] * b[k];
  /** The chi-square of an echo on station i, summed directly. */
  const direct = (i: number, cRe: number, cIm: number, delayS: number) => {
    let chi = PRIOR_WEIGHT * (cRe * cRe + cIm * cIm);
    pairs.forEach((pr, p) => {
      const sign = pr.b === i ? 1 : pr.a === i ? -1 : 0;
      const model = lineRemoved(
        Float64Array.from(x, (xq) => sign * logChannel(cRe, cIm, delayS, xq)[1]),
        p,
      );
      for (let q = 0; q < M; q++) chi += w[p * M + q] * (b[p * M + q] - model[q]) ** 2;
    });
    return chi;
  };
  return { data, b, baseChi, direct };
}

describe('EchoSearch', () => {
  it('gives the chi-square summed over the pairs with their lines removed', () => {
    const { data, b, baseChi, direct } = phaseOnlyScene(1);
    const search = new EchoSearch(data);
    for (const i of [0, 1, 2]) {
      search.setBase(i, b, new Float64Array(M), baseChi);
      for (const [cRe, cIm, delayS] of [
        [0.3, 0.1, 40e-6],
        [-0.5, 0.4, 210e-6],
        [0, 0, 5e-6],
      ]) {
        const chi = search.evaluate(cRe, cIm, delayS, 0, 0);
        expect(chi).toBeCloseTo(direct(i, cRe, cIm, delayS), 9);
      }
    }
  });

  it('refines to a minimum: lower than its start and than steps around it', () => {
    const { data, b, baseChi, direct } = phaseOnlyScene(2);
    const search = new EchoSearch(data);
    search.setBase(1, b, new Float64Array(M), baseChi);
    const start = direct(1, 0, 0, 120e-6);
    const f = search.refine(0, 0, 120e-6, 3, 20);
    expect(f.chi).toBeLessThan(start);
    expect(f.chi).toBeCloseTo(direct(1, f.re, f.im, f.delayS), 9);
    for (const [dr, di] of [
      [1e-3, 0],
      [-1e-3, 0],
      [0, 1e-3],
      [0, -1e-3],
    ])
      expect(direct(1, f.re + dr, f.im + di, f.delayS)).toBeGreaterThan(f.chi - 1e-9);
  });
});
