import FFT from 'fft.js';
import type { Preprocessing } from '../modelMetadata';
import { HeimdallError } from '../errors';
import { melBank, type MelFilter } from './melBank';

export type LogMelParams = Omit<Preprocessing, 'normalization'>;

/** Samples one model window needs: nFft + hop * (nFrames - 1). */
export function windowSamples(p: Pick<Preprocessing, 'nFft' | 'hop' | 'nFrames'>): number {
  return p.nFft + p.hop * (p.nFrames - 1);
}

/**
 * A reusable log-mel extractor: the FFT plan, window and filters are built once per
 * preprocessing definition (a model version) and reused for every receiver and scene.
 */
export class LogMel {
  readonly params: LogMelParams;
  private readonly fft: FFT;
  private readonly window: Float64Array;
  private readonly filters: MelFilter[];
  private readonly powerScale: number;
  private readonly floorPower: number;
  private readonly input: Float64Array;
  private readonly spectrum: Float64Array;
  private readonly power: Float64Array;

  constructor(params: LogMelParams) {
    const { nFft } = params;
    if (!Number.isInteger(Math.log2(nFft))) {
      throw new HeimdallError('ConfigError', `nFft must be a power of two, got ${nFft}`);
    }
    this.params = params;
    this.fft = new FFT(nFft);
    this.window = new Float64Array(nFft);
    let sumSq = 0;
    for (let n = 0; n < nFft; n++) {
      // Periodic Hann: the DFT-even form used for spectral analysis (scipy.signal.get_window('hann')).
      this.window[n] = 0.5 - 0.5 * Math.cos((2 * Math.PI * n) / nFft);
      sumSq += this.window[n] ** 2;
    }
    // |X_k|^2 / (nFft * sum w^2): by Parseval the bins then sum to the window-weighted mean power.
    this.powerScale = 1 / (nFft * sumSq);
    this.floorPower = 10 ** (params.dbFloor / 10);
    this.filters = melBank(params);
    this.input = new Float64Array(2 * nFft);
    this.spectrum = new Float64Array(2 * nFft);
    this.power = new Float64Array(nFft);
  }

  /**
   * Log-mel of one receiver's window. `iq` is interleaved I/Q at params.sampleRateHz with full
   * scale 1.0; the window starts at sample `start`. Returns dB, row-major (nMels, nFrames).
   */
  compute(iq: Float32Array, start = 0, out?: Float32Array): Float32Array {
    const { nFrames, nMels } = this.params;
    this.checkLength(iq, start);
    const result = out ?? new Float32Array(nMels * nFrames);
    for (let t = 0; t < nFrames; t++) {
      this.framePower(iq, start, t);
      for (let m = 0; m < nMels; m++) {
        const { bins, weights } = this.filters[m];
        let e = 0;
        for (let j = 0; j < bins.length; j++) e += weights[j] * this.power[bins[j]];
        result[m * nFrames + t] = 10 * Math.log10(Math.max(e, this.floorPower));
      }
    }
    return result;
  }

  /** Power per FFT bin (natural order, mean-power units) averaged over the window's frames. */
  averagedPowerSpectrum(iq: Float32Array, start = 0): Float64Array {
    this.checkLength(iq, start);
    const mean = new Float64Array(this.params.nFft);
    for (let t = 0; t < this.params.nFrames; t++) {
      this.framePower(iq, start, t);
      for (let k = 0; k < mean.length; k++) mean[k] += this.power[k] / this.params.nFrames;
    }
    return mean;
  }

  private checkLength(iq: Float32Array, start: number): void {
    const needed = windowSamples(this.params);
    if (iq.length / 2 - start < needed) {
      throw new HeimdallError(
        'TooShortError',
        `needs ${needed} samples from sample ${start}, has ${iq.length / 2 - start}`,
      );
    }
  }

  /** Fills this.power with frame t's power spectrum. */
  private framePower(iq: Float32Array, start: number, t: number): void {
    const { nFft, hop } = this.params;
    const offset = 2 * (start + t * hop);
    for (let n = 0; n < nFft; n++) {
      const w = this.window[n];
      this.input[2 * n] = iq[offset + 2 * n] * w;
      this.input[2 * n + 1] = iq[offset + 2 * n + 1] * w;
    }
    this.fft.transform(this.spectrum, this.input);
    for (let k = 0; k < nFft; k++) {
      const re = this.spectrum[2 * k];
      const im = this.spectrum[2 * k + 1];
      this.power[k] = (re * re + im * im) * this.powerScale;
    }
  }
}
