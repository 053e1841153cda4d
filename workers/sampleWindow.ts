import { nearestRankOfSorted } from '../src/core/stats';
import type { PercentilesMs } from './types';

/**
 * The last `capacity` samples of a latency, in a ring buffer: memory stays bounded however long
 * the worker lives, and the percentiles describe recent behaviour rather than the whole session.
 */
export class SampleWindow {
  private readonly values: Float64Array;
  private next = 0;
  private size = 0;

  constructor(capacity: number) {
    this.values = new Float64Array(capacity);
  }

  add(value: number): void {
    this.values[this.next] = value;
    this.next = (this.next + 1) % this.values.length;
    this.size = Math.min(this.size + 1, this.values.length);
  }

  summary(): PercentilesMs {
    if (this.size === 0) return { count: 0, p50: 0, p95: 0, p99: 0, mean: 0 };
    const sorted = this.values.slice(0, this.size).sort();
    const at = (p: number) => nearestRankOfSorted(sorted, p);
    const mean = sorted.reduce((a, b) => a + b, 0) / this.size;
    return { count: this.size, p50: at(0.5), p95: at(0.95), p99: at(0.99), mean };
  }
}
