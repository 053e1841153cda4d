/**
 * The recent samples of one receiver's live stream, with the time of every sample. Frames that
 * follow each other without a gap ((connectionIndex, sequence) one apart, same rate) extend one
 * contiguous segment whose sample i was captured at startMs + i / sampleRateHz; any discontinuity
 * (lost frames, a reconnect, a rate change) starts a new segment, because the samples on either
 * side of a gap cannot be placed on one time axis. Only the last `maxSeconds` are kept.
 */

export interface StreamFrame {
  connectionIndex: number;
  sequence: number;
  /** UTC ms of the frame's first sample. */
  captureTimeMs: number;
  sampleRateHz: number;
  /** Interleaved I/Q. */
  iq: Float32Array;
}

interface Chunk {
  /** Index of the chunk's first sample within the segment. */
  first: number;
  iq: Float32Array;
}

export class ReceiverStream {
  private chunks: Chunk[] = [];
  private segmentStartMs = 0;
  private rateHz = 0;
  private total = 0;
  private lastKey: { connectionIndex: number; sequence: number } | undefined;
  /** Segments started after a discontinuity (the first segment not counted). */
  restarts = 0;

  constructor(readonly maxSeconds: number) {}

  get sampleRateHz(): number {
    return this.rateHz;
  }

  get isEmpty(): boolean {
    return this.chunks.length === 0;
  }

  /** UTC ms of the oldest sample still held (undefined when empty). */
  get startMs(): number | undefined {
    return this.isEmpty ? undefined : this.timeOf(this.chunks[0].first);
  }

  /** UTC ms just after the newest sample (undefined when empty). */
  get endMs(): number | undefined {
    return this.isEmpty ? undefined : this.timeOf(this.total);
  }

  /** Adds a frame; returns whether it continued the segment or started a new one. */
  push(f: StreamFrame): 'appended' | 'restarted' {
    const continues =
      this.lastKey !== undefined &&
      f.connectionIndex === this.lastKey.connectionIndex &&
      f.sequence === this.lastKey.sequence + 1 &&
      f.sampleRateHz === this.rateHz;
    this.lastKey = { connectionIndex: f.connectionIndex, sequence: f.sequence };
    if (!continues) {
      if (!this.isEmpty) this.restarts++;
      this.chunks = [];
      this.total = 0;
      this.segmentStartMs = f.captureTimeMs;
      this.rateHz = f.sampleRateHz;
    }
    this.chunks.push({ first: this.total, iq: f.iq });
    this.total += f.iq.length / 2;
    this.trim();
    return continues ? 'appended' : 'restarted';
  }

  /** Forget everything (e.g. the receiver's source went away). */
  clear(): void {
    this.chunks = [];
    this.total = 0;
    this.lastKey = undefined;
  }

  /**
   * `count` samples from the one captured nearest `startMs`, interleaved I/Q; undefined when the
   * segment does not hold all of them (not yet arrived, already dropped, or before the segment).
   */
  read(startMs: number, count: number): Float32Array | undefined {
    if (this.isEmpty) return undefined;
    const from = Math.round(((startMs - this.segmentStartMs) / 1000) * this.rateHz);
    if (from < this.chunks[0].first || from + count > this.total) return undefined;
    const out = new Float32Array(2 * count);
    let written = 0;
    for (const c of this.chunks) {
      const n = c.iq.length / 2;
      const lo = Math.max(from, c.first);
      const hi = Math.min(from + count, c.first + n);
      if (hi <= lo) continue;
      out.set(c.iq.subarray(2 * (lo - c.first), 2 * (hi - c.first)), 2 * written);
      written += hi - lo;
    }
    return out;
  }

  private timeOf(sampleIndex: number): number {
    return this.segmentStartMs + (sampleIndex / this.rateHz) * 1000;
  }

  private trim(): void {
    const keepFrom = this.total - this.maxSeconds * this.rateHz;
    while (this.chunks.length > 1 && this.chunks[1].first <= keepFrom) this.chunks.shift();
  }
}
