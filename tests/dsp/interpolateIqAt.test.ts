/**
 * interpolateIqAt (the resampler read at any fractional input index, as tdoa/resampleOnClock.ts
 * uses it) against the kernel evaluated directly: the Kaiser-windowed sinc of the header of
 * dsp/resample.ts, computed here at each tap's exact distance from the position, normalised to
 * unit sum like the table's rows. The fast path blends tabulated phases and sums in its own
 * order; both only move the output by the table's blending error (1e-7 to 1e-5 here). A tap off
 * by one, a phase mirrored or shifted by one table step, or a lost sample at the input's edge
 * moves it by 1e-4 or more.
 */
import { describe, expect, it } from 'vitest';
import { interpolateIqAt, resampleIq, resamplerHalfWidth } from '../../src/core/dsp/resample';
import { Rng } from '../../src/core/rng';

const STOPBAND_DB = 80;
const BETA = 0.1102 * (STOPBAND_DB - 8.7);

function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  for (let k = 1; k < 60; k++) {
    term *= (x * x) / 4 / (k * k);
    sum += term;
  }
  return sum;
}

/** Half-width K and cutoff fc (cycles per input sample) from the design rules, independently. */
function kernelDesign(fromHz: number, toHz: number): { halfTaps: number; fc: number } {
  const fMin = Math.min(fromHz, toHz);
  const transition = (0.05 * fMin) / fromHz;
  const length = (STOPBAND_DB - 7.95) / (2.285 * 2 * Math.PI * transition) + 1;
  return { halfTaps: Math.ceil(length / 2), fc: (0.475 * fMin) / fromHz };
}

/** The band-limited input at fractional index t: the 2K taps nearest t, zeros beyond the input. */
function direct(iq: Float32Array, offset: number, t: number, fromHz: number, toHz: number) {
  const { halfTaps, fc } = kernelDesign(fromHz, toHz);
  const first = Math.floor(t) - halfTaps + 1;
  let sum = 0;
  let re = 0;
  let im = 0;
  for (let n = first; n < first + 2 * halfTaps; n++) {
    const u = t - n;
    const r = u / halfTaps;
    const window = Math.abs(r) < 1 ? besselI0(BETA * Math.sqrt(1 - r * r)) / besselI0(BETA) : 0;
    const x = 2 * fc * u;
    const h = 2 * fc * (x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x)) * window;
    sum += h;
    const i = n - offset;
    if (i >= 0 && 2 * i < iq.length) {
      re += h * iq[2 * i];
      im += h * iq[2 * i + 1];
    }
  }
  return [re / sum, im / sum];
}

function noise(n: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  return Float32Array.from({ length: 2 * n }, () => rng.uniform(-0.5, 0.5));
}

describe('interpolateIqAt', () => {
  // [fromHz, toHz, largest difference allowed from the direct kernel for inputs within +-0.5]:
  // the table's blending error, measured 2.6e-7, 1.8e-7 and 5.8e-6 (the last at the widest
  // cutoff, 0.475 cycles per input sample, where the taps curve most between phases).
  for (const [fromHz, toHz, tolerance] of [
    [20250, 12001, 1e-6],
    [48000, 12001, 1e-6],
    [12001.135, 12000, 2e-5],
  ]) {
    it(`${fromHz} -> ${toHz} Hz: is the directly evaluated kernel, to ${tolerance}, at any position`, () => {
      const { halfTaps } = kernelDesign(fromHz, toHz);
      expect(resamplerHalfWidth(fromHz, toHz)).toBe(halfTaps);
      const n = 2000;
      const offset = 5000; // iq holds input samples 5000..6999
      const iq = noise(n, 3);
      const rng = new Rng(11);
      // Inside, across both edges (part of the taps on zeros), and beyond them (all on zeros).
      const positions = Float64Array.from({ length: 600 }, (_, k) =>
        k < 500
          ? rng.uniform(offset - halfTaps - 3, offset + n + halfTaps + 3)
          : offset + (k % 2 ? n + halfTaps + 50 : -halfTaps - 50) + rng.uniform(0, 1),
      );
      positions[0] = offset + 1000; // on a sample: phase 0, weight 0
      positions[1] = offset + 1000.5; // half way
      // Only the last tap on the input's first sample; only the first on its last.
      positions[2] = offset - halfTaps + 0.5;
      positions[3] = offset + n + halfTaps - 1.5;
      const out = interpolateIqAt(iq, offset, positions, fromHz, toHz, new Float32Array(1200));
      let worst = 0;
      positions.forEach((t, k) => {
        const [re, im] = direct(iq, offset, t, fromHz, toHz);
        worst = Math.max(worst, Math.abs(out[2 * k] - re), Math.abs(out[2 * k + 1] - im));
      });
      expect(worst).toBeLessThan(tolerance);
      for (const k of [2, 3]) {
        const [re, im] = direct(iq, offset, positions[k], fromHz, toHz);
        expect(Math.abs(re) + Math.abs(im)).toBeGreaterThan(0);
        expect(Math.abs(out[2 * k] - re) + Math.abs(out[2 * k + 1] - im)).toBeLessThan(
          1e-3 * (Math.abs(re) + Math.abs(im)),
        );
      }
      expect(Array.from(out.subarray(1000))).toEqual(new Array(200).fill(0));
    });
  }

  it('agrees with resampleIq (the same table, summed in its order) at its output instants', () => {
    // 12001.135 Hz has no small exact ratio: resampleIq blends phases too, at m * from / to.
    const [fromHz, toHz] = [12001.135, 12000];
    const iq = noise(6000, 5);
    const expected = resampleIq(iq, fromHz, toHz);
    const positions = Float64Array.from(
      { length: expected.length / 2 },
      (_, m) => (m * fromHz) / toHz,
    );
    const out = interpolateIqAt(iq, 0, positions, fromHz, toHz, new Float32Array(expected.length));
    let worst = 0;
    for (let i = 0; i < out.length; i++) worst = Math.max(worst, Math.abs(out[i] - expected[i]));
    // Float32 outputs within +-1: a unit in the last place is 6e-8.
    expect(worst).toBeLessThan(2e-7);
  });
});
