/**
 * The direct-path fit (directPath.ts) and the coherent sub-band cross-spectra it reads
 * (coherentCross.ts), on synthetic data with known delays and echoes.
 *
 * The reference values come from an independent route: each pair's "measured" lag is found here
 * by a brute-force maximisation of the weighted correlation |sum_q w_q G_q e^{i w_q tau}| (what
 * the lag estimator does, written from scratch as a scan plus golden-section search), and the
 * direct lag is the simulated one. The fit must turn the first into the second.
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng';
import { coherentCross, subbandOf, subbandStarts } from '../../src/core/tdoa/coherentCross';
import {
  fitDirectPaths,
  type PairSpectrum,
  type StationLevels,
} from '../../src/core/tdoa/directPath';

const M = 32;
/** A 6 kHz band around +500 Hz. */
const omega = Float64Array.from(
  { length: M },
  (_, q) => 2 * Math.PI * (500 - 3000 + (6000 * (q + 0.5)) / M),
);

interface Echo {
  alpha: number;
  delayS: number;
  phi: number;
}

/** H(w) = 1 + alpha e^{i phi} e^{-i w delta}, as [re, im]. */
function channel(w: number, e?: Echo): [number, number] {
  if (!e) return [1, 0];
  const ph = e.phi - w * e.delayS;
  return [1 + e.alpha * Math.cos(ph), e.alpha * Math.sin(ph)];
}

/** arg max over tau of |sum_q w_q G_q e^{i w_q tau}| near 0: a scan, then golden section. */
function correlationPeak(g: Float64Array, weights: Float64Array): number {
  const value = (tau: number) => {
    let re = 0;
    let im = 0;
    for (let q = 0; q < M; q++) {
      const c = Math.cos(omega[q] * tau);
      const s = Math.sin(omega[q] * tau);
      re += weights[q] * (g[2 * q] * c - g[2 * q + 1] * s);
      im += weights[q] * (g[2 * q] * s + g[2 * q + 1] * c);
    }
    return Math.hypot(re, im);
  };
  let best = 0;
  for (let t = -1e-3; t <= 1e-3; t += 1e-6) if (value(t) > value(best)) best = t;
  let lo = best - 1e-6;
  let hi = best + 1e-6;
  const r = (Math.sqrt(5) - 1) / 2;
  for (let i = 0; i < 80; i++) {
    const a = hi - r * (hi - lo);
    const b = lo + r * (hi - lo);
    if (value(a) > value(b)) hi = b;
    else lo = a;
  }
  return (lo + hi) / 2;
}

/**
 * Sub-band cross-spectra of every pair as the pipeline hands them over: the measured lag (found by
 * correlationPeak) removed, plus complex noise of the stated phase variance.
 */
function scene(
  echoes: (Echo | undefined)[],
  timesS: number[],
  noise: number,
  seed = 1,
  /** How the lag estimator weights the band: by each sub-band's phase precision, or by |G|. */
  estimator: 'precision' | 'magnitude' = 'precision',
) {
  const rng = new Rng(seed, 3);
  const pairs: PairSpectrum[] = [];
  const measured: number[] = [];
  const truth: number[] = [];
  const source = Float64Array.from(omega, (_, q) => 1 + 0.6 * Math.cos(q / 3));
  for (let a = 0; a < echoes.length; a++)
    for (let b = a + 1; b < echoes.length; b++) {
      const tau = timesS[b] - timesS[a];
      const g = new Float64Array(2 * M);
      for (let q = 0; q < M; q++) {
        const [har, hai] = channel(omega[q], echoes[a]);
        const [hbr, hbi] = channel(omega[q], echoes[b]);
        // P conj(Ha) Hb e^{-i w tau}
        const xr = har * hbr + hai * hbi;
        const xi = har * hbi - hai * hbr;
        const c = Math.cos(omega[q] * tau);
        const s = -Math.sin(omega[q] * tau);
        g[2 * q] = source[q] * (xr * c - xi * s);
        g[2 * q + 1] = source[q] * (xr * s + xi * c);
      }
      // The estimator's weights times |G| are each sub-band's phase precision (uniform here), as
      // the maximum-likelihood weights of the pipeline are.
      const weights = Float64Array.from({ length: M }, (_, q) =>
        estimator === 'precision' ? 1 / Math.hypot(g[2 * q], g[2 * q + 1]) : 1,
      );
      const lag = correlationPeak(g, weights);
      const cross = new Float64Array(2 * M);
      const phaseVar = new Float64Array(M);
      for (let q = 0; q < M; q++) {
        const c = Math.cos(omega[q] * lag);
        const s = Math.sin(omega[q] * lag);
        const mag = Math.hypot(g[2 * q], g[2 * q + 1]);
        cross[2 * q] = g[2 * q] * c - g[2 * q + 1] * s + noise * mag * rng.normal();
        cross[2 * q + 1] = g[2 * q] * s + g[2 * q + 1] * c + noise * mag * rng.normal();
        phaseVar[q] = noise * noise;
      }
      pairs.push({ a, b, cross, phaseVar });
      measured.push(lag);
      truth.push(tau);
    }
  // Each station's own power per sub-band: the source's times |H|^2, same relative noise.
  const levels: StationLevels[] = echoes.map((e) => ({
    logPower: Float64Array.from(omega, (w, q) => {
      const [hr, hi] = channel(w, e);
      return Math.log(source[q] * (hr * hr + hi * hi)) + 2 * noise * rng.normal();
    }),
    variance: new Float64Array(M).fill(4 * noise * noise),
  }));
  return { pairs, measured, truth, levels };
}

describe('fitDirectPaths', () => {
  const times = [0, 210e-6, -340e-6, 95e-6];

  it('recovers an echo on one station and removes the bias it puts on every lag', () => {
    const echo = { alpha: 0.35, delayS: 90e-6, phi: 1.1 };
    const { pairs, measured, truth, levels } = scene(
      [undefined, echo, undefined, undefined],
      times,
      0.003,
    );
    const fit = fitDirectPaths(4, pairs, omega, levels);
    expect(fit.echoes[0]).toBeUndefined();
    expect(fit.echoes[2]).toBeUndefined();
    expect(fit.echoes[3]).toBeUndefined();
    const e = fit.echoes[1]!;
    expect(Math.hypot(e.re, e.im)).toBeCloseTo(0.35, 1);
    expect(e.delayS * 1e6).toBeGreaterThan(80);
    expect(e.delayS * 1e6).toBeLessThan(100);
    pairs.forEach((p, k) => {
      const before = Math.abs(measured[k] - truth[k]);
      const after = Math.abs(measured[k] + fit.correctionS[k] - truth[k]);
      if (p.a === 1 || p.b === 1) expect(before).toBeGreaterThan(5e-6);
      expect(after).toBeLessThan(1e-6);
      expect(after).toBeLessThan(3 * Math.sqrt(fit.correctionVarS2[k]) + 0.3e-6);
    });
  });

  it('resolves two echoed stations of five', () => {
    const echoes = [
      undefined,
      { alpha: 0.3, delayS: 150e-6, phi: -0.4 },
      undefined,
      { alpha: 0.25, delayS: 60e-6, phi: 2.5 },
      undefined,
    ];
    const { pairs, measured, truth, levels } = scene(echoes, [...times, 400e-6], 0.003, 2);
    const fit = fitDirectPaths(5, pairs, omega, levels);
    expect(fit.echoes.map((e) => e !== undefined)).toEqual([false, true, false, true, false]);
    pairs.forEach((_, k) => {
      expect(Math.abs(measured[k] + fit.correctionS[k] - truth[k])).toBeLessThan(1.5e-6);
    });
  });

  it('hands back the direct lag whatever weights the lag was measured with', () => {
    // The pipeline's estimator weights the band by its own rule (pairLag.ts); here by |G|, the
    // source's uneven spectrum. The echoes' bias on the measured lag then differs from their
    // phase's slope in the fit's weights by microseconds: the correction must not assume them equal.
    const echoes = [
      undefined,
      { alpha: 0.4, delayS: 120e-6, phi: 2 },
      undefined,
      { alpha: 0.4, delayS: 190e-6, phi: 0.5 },
    ];
    const { pairs, measured, truth, levels } = scene(echoes, times, 0.003, 4, 'magnitude');
    const fit = fitDirectPaths(4, pairs, omega, levels);
    expect(fit.echoes.map((e) => e !== undefined)).toEqual([false, true, false, true]);
    pairs.forEach((_, k) => {
      expect(Math.abs(measured[k] + fit.correctionS[k] - truth[k])).toBeLessThan(1.5e-6);
    });
  });

  it('resolves an echo on every station', () => {
    const echoes = [
      { alpha: 0.2, delayS: 45e-6, phi: 0.7 },
      { alpha: 0.4, delayS: 120e-6, phi: 2 },
      { alpha: 0.35, delayS: 65e-6, phi: 1.3 },
      { alpha: 0.4, delayS: 190e-6, phi: 0.5 },
    ];
    const { pairs, measured, truth, levels } = scene(echoes, times, 0.003, 5);
    const fit = fitDirectPaths(4, pairs, omega, levels);
    expect(fit.echoes.every((e) => e !== undefined)).toBe(true);
    pairs.forEach((_, k) => {
      expect(Math.abs(measured[k] + fit.correctionS[k] - truth[k])).toBeLessThan(1.5e-6);
    });
  });

  it('works from the phases alone (no levels), less sharply', () => {
    const echo = { alpha: 0.35, delayS: 90e-6, phi: 1.1 };
    const { pairs, measured, truth } = scene([undefined, echo, undefined, undefined], times, 0.003);
    const fit = fitDirectPaths(4, pairs, omega);
    expect(fit.echoes.map((e) => e !== undefined)).toEqual([false, true, false, false]);
    pairs.forEach((_, k) => {
      expect(Math.abs(measured[k] + fit.correctionS[k] - truth[k])).toBeLessThan(1.5e-6);
    });
  });

  it('leaves clean stations alone: no echo, no correction', () => {
    const { pairs, levels } = scene([undefined, undefined, undefined, undefined], times, 0.01, 3);
    const fit = fitDirectPaths(4, pairs, omega, levels);
    expect(fit.echoes.every((e) => e === undefined)).toBe(true);
    expect(fit.correctionS.every((c) => c === 0)).toBe(true);
    // The chi-square is about its degrees of freedom when the noise is as stated.
    expect(fit.chi2NoEcho / fit.dof).toBeGreaterThan(0.6);
    expect(fit.chi2NoEcho / fit.dof).toBeLessThan(1.5);
  });
});

describe('subbandStarts', () => {
  it("gives each sub-band's contiguous run of bins, as subbandOf assigns them", () => {
    for (const [bins, count] of [
      [2108, 32],
      [24, 6],
      [97, 7],
    ]) {
      const of = subbandOf(bins, count);
      const starts = subbandStarts(of, count);
      expect(starts[0]).toBe(0);
      expect(starts[count]).toBe(bins);
      for (let q = 0; q < count; q++)
        for (let j = 0; j < bins; j++)
          expect(j >= starts[q] && j < starts[q + 1]).toBe(of[j] === q);
    }
  });
});

describe('coherentCross', () => {
  it('keeps the channel phase across the band and measures the phase noise', () => {
    const n = 256;
    const fs = 12000;
    const blocks = 200;
    const bins = Int32Array.from({ length: 96 }, (_, j) => (j - 48 + n) % n).sort();
    // Ascending signed frequency: negative bins first.
    const ordered = Int32Array.from(
      [...bins].sort((x, y) => ((x + n / 2) % n) - ((y + n / 2) % n)),
    );
    const nb = ordered.length;
    const lagSamples = 1.7;
    const echo = { alpha: 0.4, delayS: 120e-6, phi: 0.5 };
    const sigma = 0.05;
    const rng = new Rng(7, 1);
    const specA = new Float32Array(blocks * nb * 2);
    const specB = new Float32Array(blocks * nb * 2);
    for (let k = 0; k < blocks; k++) {
      // Each block: a random source and its own oscillator phases at each station.
      const pa = rng.uniform(0, 2 * Math.PI);
      const pb = rng.uniform(0, 2 * Math.PI);
      for (let j = 0; j < nb; j++) {
        const q = ordered[j] < n / 2 ? ordered[j] : ordered[j] - n;
        const w = (2 * Math.PI * q) / n; // rad/sample
        // A source of flat magnitude and random phase (the additive noise alone then sets the
        // phase scatter; a source whose spectrum changes from block to block adds to it).
        const sp = rng.uniform(0, 2 * Math.PI);
        const sr = Math.SQRT2 * Math.cos(sp);
        const si = Math.SQRT2 * Math.sin(sp);
        const [hr, hi] = channel(w * fs, echo);
        const o = 2 * (k * nb + j);
        specA[o] = sr * Math.cos(pa) - si * Math.sin(pa) + sigma * rng.normal();
        specA[o + 1] = sr * Math.sin(pa) + si * Math.cos(pa) + sigma * rng.normal();
        // B: H S e^{-i w lag} e^{i pb}
        const ph = pb - w * lagSamples;
        const ur = hr * sr - hi * si;
        const ui = hr * si + hi * sr;
        specB[o] = ur * Math.cos(ph) - ui * Math.sin(ph) + sigma * rng.normal();
        specB[o + 1] = ur * Math.sin(ph) + ui * Math.cos(ph) + sigma * rng.normal();
      }
    }
    const out = coherentCross({
      specA,
      specB,
      blocks,
      bins: ordered,
      weights: new Float64Array(nb).fill(1),
      blockSize: n,
      sampleRateHz: fs,
      lagSamples,
      subbands: 8,
      overlap: 1,
    });
    // The phases, up to one constant, follow arg of H summed over each sub-band's bins.
    const resid = Array.from({ length: 8 }, (_, q) => {
      let hr = 0;
      let hi = 0;
      for (let j = q * 12; j < (q + 1) * 12; j++) {
        const b = ordered[j] < n / 2 ? ordered[j] : ordered[j] - n;
        const [r, i] = channel((2 * Math.PI * b * fs) / n, echo);
        hr += r;
        hi += i;
      }
      return Math.atan2(out.cross[2 * q + 1], out.cross[2 * q]) - Math.atan2(hi, hr);
    });
    const mean = resid.reduce((a, b) => a + b, 0) / resid.length;
    for (const r of resid) expect(Math.abs(r - mean)).toBeLessThan(0.01);
    // A sub-band sum over 12 bins of unit power and 200 blocks, noise sigma^2 per component
    // per station: phase variance about (sigma^2 (|Ha|^2 + |Hb|^2) ...) / (2 * 12 * 200) rad^2.
    for (let q = 0; q < 8; q++) {
      const [hr, hi] = channel(out.omegaRadS[q], echo);
      const h2 = hr * hr + hi * hi;
      const expected = (sigma * sigma * (1 + h2)) / (2 * 12 * blocks * h2);
      expect(out.phaseVar[q] / expected).toBeGreaterThan(0.6);
      expect(out.phaseVar[q] / expected).toBeLessThan(1.6);
    }
  });
});
