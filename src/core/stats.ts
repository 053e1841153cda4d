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

/**
 * nearestRankOfSorted(sortedCopy(values), q), found by selection instead of a sort: the same
 * sample, in linear time (a TDoA solve takes a dozen noise floors of 4096 bins: issue 12,
 * item 10). The order is the typed-array sort's: NaN after every number, -0 before +0.
 */
export function nearestRank(values: ArrayLike<number>, q: number): number {
  const n = values.length;
  if (n === 0) return NaN;
  const k = Math.min(n - 1, Math.max(0, Math.ceil(q * n) - 1));
  // The numbers first, NaN after them, as the sort leaves them.
  const a = new Float64Array(n);
  let m = 0;
  for (let i = 0; i < n; i++) if (!Number.isNaN(values[i])) a[m++] = values[i];
  if (k >= m) return NaN;
  const v = selectKth(a, m, k);
  if (v !== 0) return v;
  // Zeros compare equal here but sort -0 first: which one sits at k.
  let below = 0;
  let negativeZeros = 0;
  for (let i = 0; i < m; i++) {
    if (a[i] < 0) below++;
    else if (a[i] === 0 && Object.is(a[i], -0)) negativeZeros++;
  }
  return k < below + negativeZeros ? -0 : 0;
}

/**
 * The value of rank k (0-based) among a[0 .. m) (numbers, no NaN), by Hoare's selection with a
 * median-of-three pivot; a is reordered.
 */
function selectKth(a: Float64Array, m: number, k: number): number {
  let lo = 0;
  let hi = m - 1;
  while (hi > lo) {
    const mid = (lo + hi) >> 1;
    // Median of three as the pivot: sorted a[lo] <= a[mid] <= a[hi].
    if (a[mid] < a[lo]) swap(a, mid, lo);
    if (a[hi] < a[lo]) swap(a, hi, lo);
    if (a[hi] < a[mid]) swap(a, hi, mid);
    const pivot = a[mid];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        swap(a, i, j);
        i++;
        j--;
      }
    }
    // Now a[lo .. j] <= pivot <= a[i .. hi], and a[j + 1 .. i - 1] equal the pivot.
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k];
  }
  return a[k];
}

function swap(a: Float64Array, i: number, j: number): void {
  const t = a[i];
  a[i] = a[j];
  a[j] = t;
}
