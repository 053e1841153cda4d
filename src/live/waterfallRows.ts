/**
 * Rows of a scrolling waterfall from a receiver's live IQ: consecutive blocks of nFft samples
 * (Hann window, no overlap: about 23 rows a second at 12 kS/s), power spectrum with negative
 * frequencies on the left, pooled to `width` columns by the maximum (a narrow carrier stays
 * visible), in dB of mean power per bin (the same scaling as the model's log-mel).
 */
import FFT from 'fft.js';

const FLOOR_DB = -200;

export class WaterfallRows {
  private readonly fft: FFT;
  private readonly window: Float64Array;
  private readonly input: Float64Array;
  private readonly spectrum: Float64Array;
  private readonly scale: number;
  private pending = 0;

  constructor(
    readonly width = 256,
    readonly nFft = 512,
  ) {
    this.fft = new FFT(nFft);
    this.window = Float64Array.from(
      { length: nFft },
      (_, n) => 0.5 - 0.5 * Math.cos((2 * Math.PI * n) / nFft),
    );
    const sumSq = this.window.reduce((a, w) => a + w * w, 0);
    this.scale = 1 / (nFft * sumSq);
    this.input = new Float64Array(2 * nFft);
    this.spectrum = new Float64Array(2 * nFft);
  }

  /** Feeds interleaved I/Q; calls `emit` with each completed row (dB, `width` values). */
  push(iq: Float32Array, emit: (rowDb: Float32Array) => void): void {
    const n = iq.length / 2;
    for (let j = 0; j < n; j++) {
      const w = this.window[this.pending];
      this.input[2 * this.pending] = iq[2 * j] * w;
      this.input[2 * this.pending + 1] = iq[2 * j + 1] * w;
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
    this.fft.transform(this.spectrum, this.input);
    const out = new Float32Array(this.width).fill(FLOOR_DB);
    const binsPerColumn = this.nFft / this.width;
    for (let k = 0; k < this.nFft; k++) {
      // fftshift: bin nFft/2 (-fs/2) goes to the left edge.
      const shifted = (k + this.nFft / 2) % this.nFft;
      const re = this.spectrum[2 * k];
      const im = this.spectrum[2 * k + 1];
      const db = 10 * Math.log10(Math.max((re * re + im * im) * this.scale, 1e-20));
      const col = Math.floor(shifted / binsPerColumn);
      if (db > out[col]) out[col] = db;
    }
    return out;
  }
}

/** Median of a row: the receiver's noise floor while no strong signal fills the band. */
export function rowMedianDb(row: Float32Array): number {
  const sorted = Float32Array.from(row).sort();
  return sorted[sorted.length >> 1];
}
