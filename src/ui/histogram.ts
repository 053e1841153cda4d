/**
 * Latency histograms: log-spaced bins, because stage times span from microseconds (a cache
 * lookup) to seconds (a first inference), and linear bins would squash all but the slowest.
 */

export interface HistogramBin {
  loMs: number;
  hiMs: number;
  count: number;
}

/** Bins per factor of 10: fine enough to see two modes, coarse enough for a few dozen samples. */
export const BINS_PER_DECADE = 4;

export function logHistogram(valuesMs: readonly number[]): HistogramBin[] {
  const positive = valuesMs.filter((v) => Number.isFinite(v) && v > 0);
  if (positive.length === 0) return [];
  const lo = Math.floor(Math.log10(Math.min(...positive)) * BINS_PER_DECADE);
  const hi = Math.floor(Math.log10(Math.max(...positive)) * BINS_PER_DECADE);
  const bins: HistogramBin[] = [];
  for (let k = lo; k <= hi; k++) {
    bins.push({
      loMs: 10 ** (k / BINS_PER_DECADE),
      hiMs: 10 ** ((k + 1) / BINS_PER_DECADE),
      count: 0,
    });
  }
  for (const v of positive) {
    const k = Math.min(Math.floor(Math.log10(v) * BINS_PER_DECADE), hi) - lo;
    bins[k].count++;
  }
  return bins;
}
