import { describe, expect, it } from 'vitest';
import { planResampledSpan, resampleSpan } from '../../src/core/dsp/resampledSpan';
import { resamplerHalfWidth } from '../../src/core/dsp/resample';
import { ReceiverStream } from '../../src/core/live/receiverStream';
import { WindowAssembler } from '../../src/core/live/windowAssembler';
import { readModelWindow } from '../../src/core/sceneInput';
import { Rng } from '../../src/core/rng';
import { windowSamples } from '../../src/core/dsp/logMel';
import { trainingConfig } from '../../training/loadConfig';
import { memoryRecording } from '../support/memoryRecording';

const MODEL_HZ = 12_000;
const WINDOW = 8448;

describe('planning a resampled span', () => {
  it('reads nothing extra when the rates agree', () => {
    expect(planResampledSpan(WINDOW, MODEL_HZ, MODEL_HZ)).toEqual({
      leadInSamples: 0,
      inputSamples: WINDOW,
      skipOutputs: 0,
    });
  });

  it('rounds the skipped outputs up, so the first kept output is never inside the lead-in', () => {
    // 44.1 kHz: K = 185 input samples = 50.34 outputs, kept from output 51 (rounding to
    // nearest would keep output 50, which still sees the zero padding before the read).
    expect(resamplerHalfWidth(44_100, MODEL_HZ)).toBe(185);
    expect(planResampledSpan(WINDOW, 44_100, MODEL_HZ).skipOutputs).toBe(51);
    // 11999.5 Hz: K = 51 = 51.002 outputs, kept from 52.
    expect(planResampledSpan(WINDOW, 11_999.5, MODEL_HZ).skipOutputs).toBe(52);
  });

  it('reads the window, the skipped outputs and the half-width twice over', () => {
    // 24 kHz: K = 101, skip ceil(50.5) = 51, input 2 * (8448 + 51) + 2 * 101 = 17200.
    expect(planResampledSpan(WINDOW, 24_000, MODEL_HZ)).toEqual({
      leadInSamples: 101,
      inputSamples: 17_200,
      skipOutputs: 51,
    });
    // 8 kHz (upsampling): K = 51, skip ceil(76.5) = 77, input ceil(8525 * 2 / 3) + 102 = 5786.
    expect(planResampledSpan(WINDOW, 8_000, MODEL_HZ)).toEqual({
      leadInSamples: 51,
      inputSamples: 5786,
      skipOutputs: 77,
    });
  });

  it('returns undefined for input shorter than the plan', () => {
    const plan = planResampledSpan(100, 24_000, MODEL_HZ);
    expect(resampleSpan(new Float32Array(2 * plan.inputSamples - 2), 100, 24_000, MODEL_HZ)).toBe(
      undefined,
    );
    expect(
      resampleSpan(new Float32Array(2 * plan.inputSamples), 100, 24_000, MODEL_HZ),
    ).toHaveLength(200);
  });
});

/** White noise: every sample matters, so any offset or rounding difference would show. */
function noise(n: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  return Float32Array.from({ length: 2 * n }, () => rng.uniform(-0.5, 0.5));
}

describe('a recording and a live stream of the same samples', () => {
  const { preprocessing } = trainingConfig();
  for (const rateHz of [MODEL_HZ, 24_000, 8_000, 44_100, 12_001.135, 11_999.5]) {
    it(`give the same window at ${rateHz} Hz, bit for bit`, async () => {
      const iq = noise(Math.ceil(rateHz * 1.5), 7);
      const fromFile = await readModelWindow(
        memoryRecording('noise.cf32', iq, rateHz),
        preprocessing,
      );
      // The file's window starts the lead-in into the recording; place the stream so that the
      // same instant is a live window's start on the UTC grid (0 ms).
      const leadInMs = (planResampledSpan(1, rateHz, MODEL_HZ).leadInSamples / rateHz) * 1000;
      const stream = new ReceiverStream(10);
      stream.push({
        connectionIndex: 1,
        sequence: 1,
        captureTimeMs: -leadInMs,
        sampleRateHz: rateHz,
        iq,
      });
      expect(preprocessing.sampleRateHz).toBe(MODEL_HZ);
      const assembler = new WindowAssembler({
        windowSamples: windowSamples(preprocessing),
        modelRateHz: MODEL_HZ,
        maxWaitMs: 1000,
      });
      const [live] = assembler.poll([stream], 2000).filter((e) => e.kind === 'window');
      expect(live?.kind).toBe('window');
      if (live?.kind !== 'window') return;
      expect(live.startMs === 0).toBe(true); // -0 on the grid when the stream starts before 0

      expect(fromFile).toHaveLength(2 * windowSamples(preprocessing));
      expect(Array.from(live.iq[0])).toEqual(Array.from(fromFile));
    });
  }
});
