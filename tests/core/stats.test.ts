import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng';
import { median, nearestRank, percentile } from '../../src/core/stats';

describe('order statistics', () => {
  it('interpolates percentiles linearly between order statistics (numpy default)', () => {
    expect(percentile([5, 1, 4, 2, 3], 0.9)).toBeCloseTo(4.6, 12);
    expect(percentile([10, 20], 0.25)).toBe(12.5);
    expect(percentile([3], 0.7)).toBe(3);
    expect(percentile([], 0.5)).toBeNaN();
    expect(percentile([1, 2, Infinity], 1)).toBe(Infinity);
  });

  it('takes the middle sample of an odd count and the exact mean of the middle two of an even one', () => {
    expect(median([3, 1, 2])).toBe(2);
    const rng = new Rng(3);
    for (let i = 0; i < 1000; i++) {
      const a = rng.uniform(-1e3, 1e3);
      const b = rng.uniform(-1e3, 1e3);
      expect(median([a, b, Math.min(a, b) - 1, Math.max(a, b) + 1])).toBe((a + b) / 2);
    }
  });

  it('returns an observed sample for nearest rank: the smallest with at least q at or below it', () => {
    const v = [40, 10, 30, 20];
    expect(nearestRank(v, 0.5)).toBe(20);
    expect(nearestRank(v, 0.51)).toBe(30);
    expect(nearestRank(v, 0.95)).toBe(40);
    expect(nearestRank(v, 0)).toBe(10);
    expect(nearestRank([], 0.5)).toBeNaN();
  });

  it('picks the same sample as the index floor(q (n - 1)) the noise floors used, at their q', () => {
    // Why the spectrogram floor (2 %) and the TDoA band noise (10 %) kept their values bit for bit.
    for (const q of [0.02, 0.1]) {
      for (let n = 1; n <= 5000; n++) {
        const v = Array.from({ length: n }, (_, i) => i);
        expect(nearestRank(v, q)).toBe(Math.floor(q * (n - 1)));
      }
    }
    // And as the baseline's floor(0.1 n) for its power-of-two FFT sizes.
    for (let n = 2; n <= 1 << 16; n *= 2) {
      const v = Array.from({ length: n }, (_, i) => i);
      expect(nearestRank(v, 0.1)).toBe(Math.floor(0.1 * n));
    }
  });
});

describe('nearestRank by selection', () => {
  it("returns the sorted copy's sample at every rank: duplicates, NaN, signed zeros, infinities", () => {
    let seed = 11;
    const rand = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    const pool = [0, -0, 1, -1, 2.5, NaN, Infinity, -Infinity, 1e-300, -1e-300];
    for (let trial = 0; trial < 300; trial++) {
      const n = trial % 50 === 0 ? 5000 : 1 + Math.floor(rand() * 60);
      const values = Array.from({ length: n }, () =>
        rand() < 0.5 ? pool[Math.floor(rand() * pool.length)] : Math.round(rand() * 20) - 10,
      );
      const sorted = Float64Array.from(values).sort();
      for (const q of [0, 0.01, 0.1, 0.25, 0.5, 0.51, 0.9, 0.99, 1]) {
        const want = sorted[Math.min(n - 1, Math.max(0, Math.ceil(q * n) - 1))];
        expect(Object.is(nearestRank(values, q), want)).toBe(true);
      }
    }
  });
});
