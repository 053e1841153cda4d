/**
 * Rows of a scrolling waterfall from a receiver's live IQ: consecutive blocks of nFft samples
 * (Hann window, no overlap: about 23 rows a second at 12 kS/s), power spectrum with negative
 * frequencies on the left, pooled to `width` columns by the maximum (a narrow carrier stays
 * visible), in dB of mean power per bin (the same scaling as the model's log-mel).
 */
import { FramePower } from '../core/dsp/framePower';
import { median } from '../core/stats';

const FLOOR_DB = -200;

export class WaterfallRows {
  private readonly frame: FramePower;
  /** The block being filled, interleaved I/Q. */
  private readonly block: Float32Array;
  private pending = 0;

  constructor(
    readonly width = 256,
    readonly nFft = 512,
  ) {
    this.frame = new FramePower(nFft);
    this.block = new Float32Array(2 * nFft);
  }

  /** Feeds interleaved I/Q; calls `emit` with each completed row (dB, `width` values). */
  push(iq: Float32Array, emit: (rowDb: Float32Array) => void): void {
    const n = iq.length / 2;
    for (let j = 0; j < n; j++) {
      this.block[2 * this.pending] = iq[2 * j];
      this.block[2 * this.pending + 1] = iq[2 * j + 1];
      if (++this.pending === this.nFft) {
        this.pending = 0;
        emit(this.row());
      }
    }
  }

  /** Drop a partial block (the stream restarted). */
  reset(): void {
    this.pending = 0;
  }

  private row(): Float32Array {
    const power = this.frame.compute(this.block);
    const out = new Float32Array(this.width).fill(FLOOR_DB);
    const binsPerColumn = this.nFft / this.width;
    for (let k = 0; k < this.nFft; k++) {
      // fftshift: bin nFft/2 (-fs/2) goes to the left edge.
      const shifted = (k + this.nFft / 2) % this.nFft;
      const db = 10 * Math.log10(Math.max(power[k], 1e-20));
      const col = Math.floor(shifted / binsPerColumn);
      if (db > out[col]) out[col] = db;
    }
    return out;
  }
}

/** Median of a row: the receiver's noise floor while no strong signal fills the band. */
export function rowMedianDb(row: Float32Array): number {
  return median(row);
}
