import { describe, expect, it } from 'vitest';
import { BINS_PER_DECADE, logHistogram } from '../../src/ui/histogram';

describe('logHistogram', () => {
  it('bins on a log scale and counts every positive sample once', () => {
    const values = [0.1, 0.12, 1, 1.1, 10, 100, 0, -1, NaN];
    const bins = logHistogram(values);
    expect(bins.reduce((n, b) => n + b.count, 0)).toBe(6);
    expect(bins).toHaveLength(3 * BINS_PER_DECADE + 1);
    expect(bins[0].loMs).toBeCloseTo(0.1);
    for (const b of bins) expect(b.hiMs / b.loMs).toBeCloseTo(10 ** (1 / BINS_PER_DECADE));
    const bin = (v: number) => bins.find((b) => v >= b.loMs && v < b.hiMs)!;
    expect(bin(0.11).count).toBe(2);
    expect(bins[bins.length - 1].count).toBe(1); // 100 ms lands in the last bin
  });
  it('is empty without samples', () => {
    expect(logHistogram([])).toEqual([]);
  });
});
