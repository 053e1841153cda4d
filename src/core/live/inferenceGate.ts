/**
 * Backpressure between the live windows and the model. At most `maxInFlight` windows are being
 * located at once and at most one waits: a newer window replaces the waiting one (which is
 * dropped as stale), and a waiting window older than maxAgeMs when its turn comes is dropped too.
 * Memory is bounded whatever the speed of the model, and the map always shows the newest
 * estimate the model could keep up with. Every drop is counted so the view can show the rate.
 */

export interface GateCounters {
  offered: number;
  dispatched: number;
  /** Replaced by a newer window while waiting. */
  droppedStale: number;
  /** Too old when its turn came. */
  droppedAge: number;
}

export class InferenceGate<T> {
  private waiting: { item: T; endMs: number } | undefined;
  private inFlight = 0;
  readonly counters: GateCounters = { offered: 0, dispatched: 0, droppedStale: 0, droppedAge: 0 };

  constructor(
    readonly maxAgeMs: number,
    readonly maxInFlight = 1,
  ) {}

  get busy(): number {
    return this.inFlight;
  }

  get hasWaiting(): boolean {
    return this.waiting !== undefined;
  }

  /**
   * A window ending (capture time of its last sample) at endMs is ready to be located. Returns
   * the waiting window it replaced, which is dropped.
   */
  offer(item: T, endMs: number): T | undefined {
    this.counters.offered++;
    const replaced = this.waiting?.item;
    if (this.waiting) this.counters.droppedStale++;
    this.waiting = { item, endMs };
    return replaced;
  }

  /**
   * If a slot is free and a window waits: `run` is the window to locate now (marked in flight),
   * or `expired` the waiting window that was too old and is dropped.
   */
  take(nowMs: number): { run?: T; expired?: T } {
    if (this.inFlight >= this.maxInFlight || !this.waiting) return {};
    const { item, endMs } = this.waiting;
    this.waiting = undefined;
    if (nowMs - endMs > this.maxAgeMs) {
      this.counters.droppedAge++;
      return { expired: item };
    }
    this.inFlight++;
    this.counters.dispatched++;
    return { run: item };
  }

  /** A dispatched window finished (located or failed). */
  done(): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
  }

  /** Dropped windows as a fraction of those offered. */
  get dropRate(): number {
    const { offered, droppedStale, droppedAge } = this.counters;
    return offered === 0 ? 0 : (droppedStale + droppedAge) / offered;
  }
}
