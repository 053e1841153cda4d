/**
 * Receivers' frequency errors (frequencyOffset.ts): a shift the spectra show is found to a
 * fraction of a bin; a shift the noise makes up (a flat band near 0 dB) is not applied.
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng';
import {
  spectralShiftHz,
  trustedShiftHz,
  type HalvedSnr,
} from '../../src/core/tdoa/frequencyOffset';

const N = 1024;
const BIN_HZ = 12000 / 4096;

/** Per-bin SNR (natural FFT order) of `shape(signed bin)`, plus chi-square noise of K blocks. */
function snr(shape: (f: number) => number, rng?: Rng, blocks = 60): Float64Array {
  return Float64Array.from({ length: N }, (_, i) => {
    const f = i < N / 2 ? i : i - N;
    const s = shape(f);
    if (!rng) return s;
    // Mean of `blocks` exponential powers of mean 1 + s, over a unit floor, minus the floor.
    let p = 0;
    for (let k = 0; k < blocks; k++) p += -Math.log(1 - rng.next()) * (1 + s);
    return Math.max(0, p / blocks - 1);
  });
}

/** Two carriers and a shaped band: structure that pins a shift down. */
const structured = (shiftBins: number) => (f: number) => {
  const x = f - shiftBins;
  return (
    1000 * Math.exp(-0.5 * ((x - 40) / 0.7) ** 2) +
    300 * Math.exp(-0.5 * ((x + 90) / 0.7) ** 2) +
    (Math.abs(x) < 200 ? 5 * (1 + Math.cos(x / 9)) : 0)
  );
};

const same = (a: Float64Array): HalvedSnr => ({ whole: a, first: a, second: a });

describe('receiver frequency errors', () => {
  it('finds a shift the spectra show, to a tenth of a bin, in both halves alike', () => {
    const ref = same(snr(structured(0)));
    const other = same(snr(structured(3.3)));
    expect(trustedShiftHz(ref, other, BIN_HZ) / BIN_HZ).toBeCloseTo(3.3, 1);
    const down = same(snr(structured(-2.6)));
    expect(trustedShiftHz(ref, down, BIN_HZ) / BIN_HZ).toBeCloseTo(-2.6, 1);
  });

  it('leaves a shift alone when a half of the recording does not agree with it', () => {
    const ref = same(snr(structured(0)));
    const other: HalvedSnr = {
      whole: snr(structured(4)),
      first: snr(structured(4)),
      second: snr(structured(1)),
    };
    expect(spectralShiftHz(ref.whole, other.whole, BIN_HZ) / BIN_HZ).toBeCloseTo(4, 1);
    expect(trustedShiftHz(ref, other, BIN_HZ)).toBe(0);
  });

  it('does not make up a shift from the noise of a flat band near 0 dB', () => {
    // A noise-like signal 600 bins wide at 0.6 per bin, no frequency error at all: the whole
    // span's shape correlation is flat and its maximum wanders with the noise; the halves do
    // not repeat it, so nothing is applied (or only what is right to within a bin).
    const flat = (f: number) => (Math.abs(f) < 300 ? 0.6 : 0);
    let madeUp = 0;
    for (let seed = 1; seed <= 12; seed++) {
      const rng = new Rng(seed);
      const halves = () => {
        const first = snr(flat, rng, 30);
        const second = snr(flat, rng, 30);
        const whole = first.map((v, i) => (v + second[i]) / 2);
        return { whole, first, second };
      };
      const ref = halves();
      const other = halves();
      if (Math.abs(spectralShiftHz(ref.whole, other.whole, BIN_HZ)) > BIN_HZ) madeUp++;
      expect(Math.abs(trustedShiftHz(ref, other, BIN_HZ))).toBeLessThanOrEqual(BIN_HZ);
    }
    // The whole-span estimate alone does make shifts up here (what the halves guard against).
    expect(madeUp).toBeGreaterThan(0);
  });
});
