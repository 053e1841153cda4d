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
    // Nearest-rank percentile: the smallest sample with at least p of the samples at or below it.
    const at = (p: number) =>
      sorted[Math.min(this.size - 1, Math.max(0, Math.ceil(p * this.size) - 1))];
    const mean = sorted.reduce((a, b) => a + b, 0) / this.size;
    return { count: this.size, p50: at(0.5), p95: at(0.95), p99: at(0.99), mean };
  }
}
