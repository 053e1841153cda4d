import { readFileSync } from 'node:fs';
import FFT from 'fft.js';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng';
import { welchPsd } from '../../src/core/sim/tdoa/spectrum';
import { drawWaveform } from '../../src/core/sim/tdoa/waveforms';
import {
  medianRadialErrorM,
  pairDelayCrbS2,
  radialErrorProbability,
  stationDelayShareS2,
  tdoaPositionCrb,
} from '../../src/core/tdoa/crb';

// Made by training/reference/make_crb_vectors.py (numpy/scipy, independent formulas).
const vectors = JSON.parse(
  readFileSync(new URL('../fixtures/tdoa-sim/crb.json', import.meta.url), 'utf8'),
) as {
  spectra: {
    kind: string;
    freqHz: number[];
    snrA: number[];
    snrB: number[];
    durationS: number;
    binHz: number;
    pairVarianceS2: number;
    shareAS2: number;
    shareBS2: number;
  }[];
  positions: {
    azimuthDeg: number[];
    shareS2: number[];
    clockVarianceS2: number[];
    pairVarianceS2: number[][];
    reference: number;
    cov: { ee: number; en: number; nn: number };
  }[];
  ceps: { cov: { ee: number; en: number; nn: number }; medianRadialErrorM: number }[];
};

const rel = (a: number, b: number) => Math.abs(a / b - 1);

describe('Cramer-Rao bound for TDoA, against numpy/scipy reference vectors', () => {
  it.each(vectors.spectra)('the delay bound and station shares ($kind spectrum)', (v) => {
    expect(
      rel(pairDelayCrbS2(v.freqHz, v.snrA, v.snrB, v.durationS, v.binHz), v.pairVarianceS2),
    ).toBeLessThan(1e-9);
    expect(
      rel(stationDelayShareS2(v.freqHz, v.snrA, v.durationS, v.binHz), v.shareAS2),
    ).toBeLessThan(1e-9);
    expect(
      rel(stationDelayShareS2(v.freqHz, v.snrB, v.durationS, v.binHz), v.shareBS2),
    ).toBeLessThan(1e-9);
    // At high SNR the pair bound splits into the two shares; at any SNR it is at least their sum.
    expect(pairDelayCrbS2(v.freqHz, v.snrA, v.snrB, v.durationS, v.binHz)).toBeGreaterThanOrEqual(
      (v.shareAS2 + v.shareBS2) * (1 - 1e-12),
    );
  });

  it.each(vectors.positions)('the position covariance ($azimuthDeg.length stations)', (v) => {
    const stations = v.azimuthDeg.map((azimuthDeg, k) => ({
      azimuthDeg,
      shareS2: v.shareS2[k],
      clockVarianceS2: v.clockVarianceS2[k],
    }));
    const cov = tdoaPositionCrb(stations, (r, k) => v.pairVarianceS2[r][k], v.reference);
    expect(cov).toBeDefined();
    const scale = Math.sqrt(v.cov.ee * v.cov.nn);
    expect(rel(cov!.ee, v.cov.ee)).toBeLessThan(1e-7);
    expect(rel(cov!.nn, v.cov.nn)).toBeLessThan(1e-7);
    expect(Math.abs(cov!.en - v.cov.en) / scale).toBeLessThan(1e-7);
  });

  it.each(vectors.ceps)('the median radial error of N(0, $cov)', (v) => {
    expect(rel(medianRadialErrorM(v.cov), v.medianRadialErrorM)).toBeLessThan(1e-7);
  });

  it.each(vectors.ceps)('the chance of an error within r, N(0, $cov)', (v) => {
    // scipy's median radial error holds half the mass; the chance grows with r to 1.
    expect(Math.abs(radialErrorProbability(v.cov, v.medianRadialErrorM) - 0.5)).toBeLessThan(1e-7);
    const p = [0.5, 1, 1.5, 3, 6].map((k) =>
      radialErrorProbability(v.cov, k * v.medianRadialErrorM),
    );
    for (let i = 1; i < p.length; i++) expect(p[i]).toBeGreaterThan(p[i - 1]);
    expect(p[p.length - 1]).toBeGreaterThan(0.999);
  });

  it('the chance of an error within r: closed forms and a Monte Carlo count', () => {
    // Round: P(|e| <= r) = 1 - exp(-r^2 / (2 sigma^2)).
    const round = { ee: 4, en: 0, nn: 4 };
    for (const r of [0.5, 2, 4.5]) {
      expect(radialErrorProbability(round, r)).toBeCloseTo(1 - Math.exp(-(r * r) / 8), 12);
    }
    // A line (one axis): P(|x| <= r) for x ~ N(0, 9), by Simpson's rule on the density.
    const line = { ee: 9, en: 0, nn: 0 };
    const simpson = (r: number) => {
      const n = 2000;
      const h = r / n;
      let sum = 0;
      for (let i = 0; i <= n; i++) {
        const w = i === 0 || i === n ? 1 : i % 2 ? 4 : 2;
        sum += w * Math.exp(-((i * h) ** 2) / 18);
      }
      return (((2 * h) / 3) * sum) / Math.sqrt(2 * Math.PI * 9);
    };
    for (const r of [1, 3, 6]) expect(radialErrorProbability(line, r)).toBeCloseTo(simpson(r), 9);
    // A long tilted ellipse, counted over draws.
    const cov = { ee: 5, en: 3.9, nn: 4 };
    const rng = new Rng(7);
    const a = Math.sqrt(cov.ee);
    const b = cov.en / a;
    const c = Math.sqrt(cov.nn - b * b);
    let inside = 0;
    const draws = 200_000;
    for (let i = 0; i < draws; i++) {
      const u = rng.normal();
      const w = rng.normal();
      if (Math.hypot(a * u, b * u + c * w) <= 2) inside += 1;
    }
    // Binomial standard error about 0.0011: four of them.
    expect(Math.abs(radialErrorProbability(cov, 2) - inside / draws)).toBeLessThan(0.0045);
  });

  it('has no position bound from two stations or from stations in line with the transmitter', () => {
    expect(
      tdoaPositionCrb(
        [
          { azimuthDeg: 0, shareS2: 1e-12 },
          { azimuthDeg: 90, shareS2: 1e-12 },
        ],
        () => 2e-12,
      ),
    ).toBeUndefined();
    const inLine = [0, 180, 0].map((azimuthDeg) => ({ azimuthDeg, shareS2: 1e-12 }));
    expect(tdoaPositionCrb(inLine, () => 2e-12)).toBeUndefined();
  });
});

/**
 * The simulator and the bound agree: a maximum-likelihood delay estimator (the peak of the
 * cross-correlation's magnitude, located to 1e-4 samples) on two stations that sample one
 * noise-like signal with a known fractional delay is unbiased and reaches the Knapp & Carter
 * variance. If the simulator's delay were not exact, or the bound off by a factor, this fails.
 */
describe('simulated delays reach the Cramer-Rao bound', () => {
  it('on a wideband signal at 10 dB', () => {
    const fs = 12000;
    const n = 4096;
    const fft = new FFT(2 * n);
    const trueDelayS = 37.3 / fs; // a fractional number of samples
    const errorsS: number[] = [];
    let crbS2 = 0;
    const trials = 40;
    for (let trial = 0; trial < trials; trial++) {
      const rng = new Rng(99, trial);
      const w = drawWaveform(rng, 'noise', { startS: -1, endS: 2 });
      const clean = new Float64Array(2 * n);
      const u = new Float64Array(2);
      const station = (delayS: number) => {
        const x = new Float64Array(2 * n);
        for (let i = 0; i < n; i++) {
          w.at(i / fs - delayS, u);
          x[2 * i] = u[0];
          x[2 * i + 1] = u[1];
        }
        return x;
      };
      const a = station(0);
      const b = station(trueDelayS);
      for (let i = 0; i < 2 * n; i++) clean[i] = a[i];
      const psd = welchPsd(clean, fs, 512);
      let power = 0;
      for (const d of psd.densityPerHz) power += d * psd.binHz;
      // 10 dB in the occupied band (symbol rate * 1.35), unit noise power per sample.
      const bandHz = 2 * w.halfBandwidthHz;
      const amp = Math.sqrt((10 * bandHz) / fs / power);
      const snr = Array.from(psd.densityPerHz, (d) => amp * amp * d * fs);
      crbS2 += pairDelayCrbS2(psd.freqHz, snr, snr, n / fs, psd.binHz) / trials;
      const xa = fft.createComplexArray() as number[];
      const xb = fft.createComplexArray() as number[];
      const ia = fft.createComplexArray() as number[];
      const ib = fft.createComplexArray() as number[];
      for (let i = 0; i < n; i++) {
        ia[2 * i] = amp * a[2 * i] + Math.SQRT1_2 * rng.normal();
        ia[2 * i + 1] = amp * a[2 * i + 1] + Math.SQRT1_2 * rng.normal();
        ib[2 * i] = amp * b[2 * i] + Math.SQRT1_2 * rng.normal();
        ib[2 * i + 1] = amp * b[2 * i + 1] + Math.SQRT1_2 * rng.normal();
      }
      fft.transform(xa, ia);
      fft.transform(xb, ib);
      // R(tau) = sum_k W_k conj(A_k) B_k e^{+j 2 pi f_k tau} peaks at tau = delay(b) - delay(a);
      // W = S / (1 + 2 S) is Knapp & Carter's maximum-likelihood weighting for equal SNRs.
      const g: number[] = [];
      const f: number[] = [];
      for (let k = 0; k < 2 * n; k++) {
        f.push(((k < n ? k : k - 2 * n) * fs) / (2 * n));
        const bin = Math.min(snr.length - 1, Math.round((f[k] - psd.freqHz[0]) / psd.binHz));
        const weight = snr[bin] / (1 + 2 * snr[bin]);
        g.push(weight * (xa[2 * k] * xb[2 * k] + xa[2 * k + 1] * xb[2 * k + 1]));
        g.push(weight * (xa[2 * k] * xb[2 * k + 1] - xa[2 * k + 1] * xb[2 * k]));
      }
      const mag = (tau: number) => {
        let re = 0;
        let im = 0;
        for (let k = 0; k < 2 * n; k++) {
          const ph = 2 * Math.PI * f[k] * tau;
          const c = Math.cos(ph);
          const s = Math.sin(ph);
          re += g[2 * k] * c - g[2 * k + 1] * s;
          im += g[2 * k] * s + g[2 * k + 1] * c;
        }
        return Math.hypot(re, im);
      };
      // Golden-section search within +-1 sample of the true lag (the coarse peak is never far at 10 dB).
      let lo = trueDelayS - 1 / fs;
      let hi = trueDelayS + 1 / fs;
      const phi = (Math.sqrt(5) - 1) / 2;
      for (let it = 0; it < 40; it++) {
        const m1 = hi - phi * (hi - lo);
        const m2 = lo + phi * (hi - lo);
        if (mag(m1) > mag(m2)) hi = m2;
        else lo = m1;
      }
      errorsS.push((lo + hi) / 2 - trueDelayS);
    }
    const mean = errorsS.reduce((s, e) => s + e, 0) / trials;
    const variance = errorsS.reduce((s, e) => s + (e - mean) ** 2, 0) / (trials - 1);
    // Unbiased within 3 standard errors, and the variance at the bound (40 trials: +-22 % at 1 sigma).
    expect(Math.abs(mean)).toBeLessThan(3 * Math.sqrt(variance / trials));
    expect(variance / crbS2).toBeGreaterThan(0.6);
    expect(variance / crbS2).toBeLessThan(1.6);
  });
});
