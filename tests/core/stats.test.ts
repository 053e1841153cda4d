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
