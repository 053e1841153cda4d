import type { Preprocessing } from './modelMetadata';
import type { IqRecording } from './readers/types';
import { HeimdallError } from './errors';
import { windowSamples } from './dsp/logMel';
import { resampleIq, resamplerHalfWidth } from './dsp/resample';

/**
 * Reads one model window (the first nFft + hop * (nFrames - 1) samples at the model's rate) of a
 * recording, resampling when the recording's rate differs. Only the samples needed are read.
 */
export async function readModelWindow(rec: IqRecording, p: Preprocessing): Promise<Float32Array> {
  const needed = windowSamples(p);
  const fromHz = rec.info.sampleRateHz;
  if (fromHz === p.sampleRateHz) {
    if (rec.info.totalSamples < needed) throw tooShort(rec, needed);
    return rec.readSamples(0, needed);
  }
  // The filter reaches halfWidth input samples either side of each output, so outputs closer
  // than that to either end of what was read are distorted by the edge: read a margin at both
  // ends and drop the outputs that fall in the leading one. The window then starts a few
  // milliseconds into the recording instead of at sample 0.
  const halfWidth = resamplerHalfWidth(fromHz, p.sampleRateHz);
  const skipOut = Math.ceil((halfWidth * p.sampleRateHz) / fromHz);
  const inputNeeded = Math.ceil(((needed + skipOut) * fromHz) / p.sampleRateHz) + 2 * halfWidth;
  if (rec.info.totalSamples < inputNeeded) throw tooShort(rec, inputNeeded);
  const resampled = resampleIq(await rec.readSamples(0, inputNeeded), fromHz, p.sampleRateHz);
  if (resampled.length / 2 < skipOut + needed) throw tooShort(rec, inputNeeded);
  return resampled.subarray(2 * skipOut, 2 * (skipOut + needed));
}

function tooShort(rec: IqRecording, needed: number): HeimdallError {
  const seconds = (needed / rec.info.sampleRateHz).toFixed(3);
  return new HeimdallError(
    'TooShortError',
    `has ${rec.info.totalSamples} samples at ${rec.info.sampleRateHz} Hz; the model needs at least ${needed} (${seconds} s)`,
    rec.info.name,
  );
}
