import type { Preprocessing } from './modelMetadata';
import { LogMel } from './dsp/logMel';
import { normalizeScene } from './features';

/**
 * The whole feature path for one scene, as serving runs it: one log-mel per receiver (model
 * order), then the joint normalisation. Training exports its dataset through this same function.
 */
export class SceneFeaturizer {
  private readonly logMel: LogMel;

  constructor(readonly preprocessing: Preprocessing) {
    this.logMel = new LogMel(preprocessing);
  }

  /** Raw log-mel in dBFS, (nMels, nFrames) per receiver, for display and for the model. */
  logMels(iqPerReceiver: readonly Float32Array[], start = 0): Float32Array[] {
    return iqPerReceiver.map((iq) => this.logMel.compute(iq, start));
  }

  /** Per-receiver power spectra averaged over the window (for the classical baseline). */
  averagedPowerSpectra(iqPerReceiver: readonly Float32Array[], start = 0): Float64Array[] {
    return iqPerReceiver.map((iq) => this.logMel.averagedPowerSpectrum(iq, start));
  }

  /** Model input for one scene: (nReceivers, nMels, nFrames) float32. */
  modelInput(iqPerReceiver: readonly Float32Array[], start = 0, out?: Float32Array): Float32Array {
    return normalizeScene(this.logMels(iqPerReceiver, start), this.preprocessing, out);
  }
}
