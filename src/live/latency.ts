/** Capture-to-screen latencies of the last few estimates, summarised for the operator. */
import { nearestRankOfSorted, sortedCopy } from '../core/stats';
import type { LatencySummary } from '../state/liveTypes';

export class LatencyWindow {
  private readonly values: number[] = [];

  constructor(readonly size = 100) {}

  add(ms: number): LatencySummary {
    this.values.push(ms);
    if (this.values.length > this.size) this.values.shift();
    const sorted = sortedCopy(this.values);
    const at = (q: number) => nearestRankOfSorted(sorted, q);
    return { lastMs: ms, p50Ms: at(0.5), p95Ms: at(0.95), count: sorted.length };
  }
}
