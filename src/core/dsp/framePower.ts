import FFT from 'fft.js';

/**
 * The power spectrum of one frame of nFft complex samples: periodic Hann window, FFT, and
 * |X_k|^2 / (nFft * sum w^2), so that by Parseval the bins sum to the window-weighted mean power
 * (full scale 1.0 = 0 dBFS). The model's log-mel and the live waterfall both use it, so a
 * waterfall row and a model feature agree on what a level means.
 */
/** Periodic Hann: the DFT-even form used for spectral analysis (scipy.signal.get_window('hann')). */
export function periodicHann(n: number): Float64Array {
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) w[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / n);
  return w;
}

/** Sum of the squared window taps, the power a unit-amplitude tone keeps through it. */
export function sumOfSquares(w: Float64Array): number {
  let sumSq = 0;
  for (let i = 0; i < w.length; i++) sumSq += w[i] * w[i];
  return sumSq;
}

export class FramePower {
  /** Power per bin in natural FFT order (bin 0 = DC), overwritten by each `compute`. */
  readonly power: Float64Array;
  private readonly fft: FFT;
  private readonly window: Float64Array;
  private readonly powerScale: number;
  private readonly input: Float64Array;
  private readonly spectrum: Float64Array;

  constructor(readonly nFft: number) {
    this.fft = new FFT(nFft);
    this.window = periodicHann(nFft);
    this.powerScale = 1 / (nFft * sumOfSquares(this.window));
    this.input = new Float64Array(2 * nFft);
    this.spectrum = new Float64Array(2 * nFft);
    this.power = new Float64Array(nFft);
  }

  /** Power of the frame of interleaved I/Q `iq` that starts at complex sample `first`. */
  compute(iq: Float32Array, first = 0): Float64Array {
    const offset = 2 * first;
    for (let n = 0; n < this.nFft; n++) {
      const w = this.window[n];
      this.input[2 * n] = iq[offset + 2 * n] * w;
      this.input[2 * n + 1] = iq[offset + 2 * n + 1] * w;
    }
    this.fft.transform(this.spectrum, this.input);
    for (let k = 0; k < this.nFft; k++) {
      const re = this.spectrum[2 * k];
      const im = this.spectrum[2 * k + 1];
      this.power[k] = (re * re + im * im) * this.powerScale;
    }
    return this.power;
  }
}
