import type { Preprocessing } from '../modelMetadata';
import { HeimdallError } from '../errors';
import { FramePower } from './framePower';
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
  private readonly frame: FramePower;
  private readonly filters: MelFilter[];
  private readonly floorPower: number;

  constructor(params: LogMelParams) {
    const { nFft } = params;
    if (!Number.isInteger(Math.log2(nFft))) {
      throw new HeimdallError('ConfigError', `nFft must be a power of two, got ${nFft}`);
    }
    this.params = params;
    this.frame = new FramePower(nFft);
    this.floorPower = 10 ** (params.dbFloor / 10);
    this.filters = melBank(params);
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
      const power = this.framePower(iq, start, t);
      for (let m = 0; m < nMels; m++) {
        const { bins, weights } = this.filters[m];
        let e = 0;
        for (let j = 0; j < bins.length; j++) e += weights[j] * power[bins[j]];
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
      const power = this.framePower(iq, start, t);
      for (let k = 0; k < mean.length; k++) mean[k] += power[k] / this.params.nFrames;
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

  /** Frame t's power spectrum (valid until the next frame is computed). */
  private framePower(iq: Float32Array, start: number, t: number): Float64Array {
    return this.frame.compute(iq, start + t * this.params.hop);
  }
}
