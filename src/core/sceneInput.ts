import type { Preprocessing } from './modelMetadata';
import type { IqRecording } from './readers/types';
import { HeimdallError } from './errors';
import { windowSamples } from './dsp/logMel';
import { planResampledSpan, resampleSpan } from './dsp/resampledSpan';

/**
 * Reads one model window (the first nFft + hop * (nFrames - 1) samples at the model's rate) of a
 * recording, resampling when the recording's rate differs. Only the samples needed are read.
 */
export async function readModelWindow(rec: IqRecording, p: Preprocessing): Promise<Float32Array> {
  const needed = windowSamples(p);
  const fromHz = rec.info.sampleRateHz;
  // A resampled window starts the resampler's half-width into the recording (a few
  // milliseconds), so that no output sees the edge of what was read.
  const plan = planResampledSpan(needed, fromHz, p.sampleRateHz);
  if (rec.info.totalSamples < plan.inputSamples) throw tooShort(rec, plan.inputSamples);
  const window = resampleSpan(
    await rec.readSamples(0, plan.inputSamples),
    needed,
    fromHz,
    p.sampleRateHz,
  );
  if (!window) throw tooShort(rec, plan.inputSamples);
  return window;
}

function tooShort(rec: IqRecording, needed: number): HeimdallError {
  const seconds = (needed / rec.info.sampleRateHz).toFixed(3);
  return new HeimdallError(
    'TooShortError',
    `has ${rec.info.totalSamples} samples at ${rec.info.sampleRateHz} Hz; the model needs at least ${needed} (${seconds} s)`,
    rec.info.name,
  );
}
