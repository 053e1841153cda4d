/**
 * The live view's squelch: a window in which no receiver hears a signal is not sent to the model
 * (its estimate would locate noise) and is shown as squelched instead.
 *
 * The rule, per receiver, on the same log-mel the model sees (src/core/dsp/logMel.ts):
 *  1. For each mel filter, average its power over the window's frames (in linear power) and
 *     divide by the filter's noise bandwidth (the sum of its weights over FFT bins), giving a
 *     power per FFT bin. The mel filters are not area-normalised (melBank.ts), so without this
 *     the wide filters at the band edges would always look loudest in white noise.
 *  2. The noise floor is the median over filters; the peak is the maximum.
 *  3. The receiver hears a signal when peak / floor >= thresholdDb ("peak over noise").
 * A window passes the squelch when at least one receiver hears a signal.
 *
 * In white noise the per-filter averages scatter by well under 1 dB (32 frames, one or more bins
 * each), so the largest of ~128 filters sits about 2-3 dB over the median; the default 8 dB
 * threshold leaves a margin against false opening and opens for any signal whose power per bin
 * clears the noise by that much (a carrier or CW at a few dB SNR in 12 kHz, NBFM at about 10 dB).
 * Filters centred within DC_GUARD_HZ of the tuned frequency are ignored: a receiver's DC offset
 * makes a spur there that is no transmitter, and the Hann window spreads it over a few bins
 * (sidelobes -31 dB at 2.5 bins, about -50 dB by 5 bins of 23 Hz). A transmitter that close to
 * the tuned frequency is heard by its wider modulation or not at all (carrier, CW).
 */
import { melBank, melEdgesHz } from '../dsp/melBank';
import type { Preprocessing } from '../modelMetadata';
import { median } from '../stats';

export const DEFAULT_SQUELCH_DB = 8;
const DC_GUARD_HZ = 100;

type MelParams = Pick<Preprocessing, 'nMels' | 'nFrames' | 'nFft' | 'sampleRateHz'>;

export interface SquelchDecision {
  /** Peak over noise per receiver, dB (model order). */
  peakOverNoiseDb: number[];
  /** Per receiver: peak over noise >= threshold. */
  hears: boolean[];
  /** At least one receiver hears a signal: the window goes to the model. */
  open: boolean;
  thresholdDb: number;
}

export class Squelch {
  /** 10 log10 of each filter's weight sum; NaN for filters that are skipped. */
  private readonly bandwidthDb: Float64Array;

  constructor(
    private readonly p: MelParams,
    readonly thresholdDb = DEFAULT_SQUELCH_DB,
  ) {
    const edges = melEdgesHz(p);
    this.bandwidthDb = Float64Array.from(melBank(p), (f, m) => {
      const sum = f.weights.reduce((a, b) => a + b, 0);
      const nearDc = Math.abs(edges[m + 1]) < DC_GUARD_HZ;
      return sum > 0 && !nearDc ? 10 * Math.log10(sum) : Number.NaN;
    });
  }

  /** Peak over noise (dB) of one receiver's log-mel, row-major (nMels, nFrames) in dB. */
  peakOverNoiseDb(logMel: Float32Array): number {
    const { nMels, nFrames } = this.p;
    const perBinDb: number[] = [];
    for (let m = 0; m < nMels; m++) {
      if (Number.isNaN(this.bandwidthDb[m])) continue;
      let mean = 0;
      for (let t = 0; t < nFrames; t++) mean += 10 ** (logMel[m * nFrames + t] / 10);
      perBinDb.push(10 * Math.log10(mean / nFrames) - this.bandwidthDb[m]);
    }
    if (perBinDb.length === 0) return 0;
    return Math.max(...perBinDb) - median(perBinDb);
  }

  decide(logMels: readonly Float32Array[]): SquelchDecision {
    const peakOverNoiseDb = logMels.map((lm) => this.peakOverNoiseDb(lm));
    const hears = peakOverNoiseDb.map((db) => db >= this.thresholdDb);
    return { peakOverNoiseDb, hears, open: hears.some(Boolean), thresholdDb: this.thresholdDb };
  }
}
