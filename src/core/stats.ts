/**
 * Order statistics, one definition each, for every tree (core, worker, UI, scripts, training):
 *  - `percentile` interpolates linearly between the order statistics around position
 *    q * (n - 1) (numpy's default, 'linear'): summaries of errors and ratios, where a value
 *    between two samples is a fair answer. `median` is its q = 0.5.
 *  - `nearestRank` returns a sample itself: the smallest one with at least a fraction q of the
 *    samples at or below it. Latency summaries (p50/p95/p99) and noise floors, where the answer
 *    must be a value that was observed.
 * Empty input gives NaN.
 */

/** An ascending copy; a typed array's sort is numeric and puts NaN last. */
export function sortedCopy(values: ArrayLike<number>): Float64Array {
  return Float64Array.from(values).sort();
}

/** `percentile` of values already sorted ascending. */
export function percentileOfSorted(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const frac = pos - lo;
  // Weights rather than lo + (hi - lo) * frac: at frac = 0.5 this is exactly (lo + hi) / 2, the
  // textbook median of an even count, and an infinite sample at lo is not turned into NaN.
  return frac === 0 ? sorted[lo] : (1 - frac) * sorted[lo] + frac * sorted[lo + 1];
}

/** `nearestRank` of values already sorted ascending. */
export function nearestRankOfSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  return sorted[Math.min(n - 1, Math.max(0, Math.ceil(q * n) - 1))];
}

export function percentile(values: ArrayLike<number>, q: number): number {
  return percentileOfSorted(sortedCopy(values), q);
}

export function median(values: ArrayLike<number>): number {
  return percentile(values, 0.5);
}

export function nearestRank(values: ArrayLike<number>, q: number): number {
  return nearestRankOfSorted(sortedCopy(values), q);
}
