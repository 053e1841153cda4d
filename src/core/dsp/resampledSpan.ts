/**
 * Reading a span of samples at one rate from a recording or stream at another: how much input
 * to read and which outputs to keep. One rule for the file path (sceneInput) and the live path
 * (windowAssembler), so a recording and a stream of the same signal give the same window.
 */
import { resampleIq, resamplerHalfWidth } from './resample';

export interface ResampledSpanPlan {
  /**
   * Input samples read before the span's start: the resampler's half-width, so no kept output
   * sees the zero padding before the first sample read.
   */
  leadInSamples: number;
  /** Input samples to read in all, starting leadInSamples before the span. */
  inputSamples: number;
  /**
   * Outputs dropped at the start: rounded up, so the first kept output lies at or after the
   * span's start (never inside the lead-in) and within one output sample of it.
   */
  skipOutputs: number;
}

/** What to read for `outputSamples` samples at `toHz` from an input at `fromHz`. */
export function planResampledSpan(
  outputSamples: number,
  fromHz: number,
  toHz: number,
): ResampledSpanPlan {
  if (fromHz === toHz) return { leadInSamples: 0, inputSamples: outputSamples, skipOutputs: 0 };
  const halfWidth = resamplerHalfWidth(fromHz, toHz);
  const skipOutputs = Math.ceil((halfWidth * toHz) / fromHz);
  // The last kept output needs halfWidth samples after its instant; reading the lead-in's worth
  // more again keeps a margin for a caller whose start is rounded to the nearest input sample.
  const inputSamples = Math.ceil(((outputSamples + skipOutputs) * fromHz) / toHz) + 2 * halfWidth;
  return { leadInSamples: halfWidth, inputSamples, skipOutputs };
}

/**
 * The span's `outputSamples` at `toHz` from `input` (interleaved I/Q, read as `planResampledSpan`
 * says). Returns undefined when the input is shorter than the plan. The result owns its buffer
 * (no view into a larger one), so it can be transferred to a worker as it is.
 */
export function resampleSpan(
  input: Float32Array,
  outputSamples: number,
  fromHz: number,
  toHz: number,
): Float32Array | undefined {
  const plan = planResampledSpan(outputSamples, fromHz, toHz);
  if (input.length / 2 < plan.inputSamples) return undefined;
  if (fromHz === toHz)
    return input.length === 2 * outputSamples ? input : input.slice(0, 2 * outputSamples);
  const resampled = resampleIq(input, fromHz, toHz);
  const end = plan.skipOutputs + outputSamples;
  if (resampled.length / 2 < end) return undefined;
  return resampled.slice(2 * plan.skipOutputs, 2 * end);
}
