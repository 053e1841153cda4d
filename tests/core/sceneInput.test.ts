import { describe, expect, it } from 'vitest';
import { LogMel, windowSamples } from '../../src/core/dsp/logMel';
import { readModelWindow } from '../../src/core/sceneInput';
import { trainingConfig } from '../../training/loadConfig';
import { memoryRecording } from '../support/memoryRecording';

const { preprocessing } = trainingConfig();

function toneRecording(rateHz: number, seconds: number, toneHz: number, amp: number) {
  const n = Math.round(rateHz * seconds);
  const iq = new Float32Array(2 * n);
  for (let i = 0; i < n; i++) {
    iq[2 * i] = amp * Math.cos((2 * Math.PI * toneHz * i) / rateHz);
    iq[2 * i + 1] = amp * Math.sin((2 * Math.PI * toneHz * i) / rateHz);
  }
  return memoryRecording(`tone-${rateHz}.cf32`, iq, rateHz);
}

describe('reading one model window', () => {
  const lm = new LogMel(preprocessing);
  const peak = (x: Float32Array) => Math.max(...x);

  it('returns exactly one window at the model rate', async () => {
    const w = await readModelWindow(toneRecording(12000, 1, 1000, 0.1), preprocessing);
    expect(w.length).toBe(2 * windowSamples(preprocessing));
  });

  for (const rate of [24000, 48000, 20250, 8000]) {
    it(`resamples ${rate} Hz without edge distortion: the same features as a native recording`, async () => {
      const native = lm.compute(
        await readModelWindow(toneRecording(12000, 1, 1500, 0.1), preprocessing),
      );
      const resampled = lm.compute(
        await readModelWindow(toneRecording(rate, 1, 1500, 0.1), preprocessing),
      );
      expect(Math.abs(peak(native) - peak(resampled))).toBeLessThan(0.05);
      // Every frame, the first included, holds the tone at full level.
      const frames = preprocessing.nFrames;
      for (let t = 0; t < frames; t++) {
        let best = -Infinity;
        for (let m = 0; m < preprocessing.nMels; m++)
          best = Math.max(best, resampled[m * frames + t]);
        expect(best).toBeGreaterThan(peak(native) - 0.2);
      }
    });
  }

  it('names the file and the need when a recording is too short', async () => {
    await expect(
      readModelWindow(toneRecording(24000, 0.1, 1000, 0.1), preprocessing),
    ).rejects.toThrow(
      /tone-24000\.cf32: has 2400 samples at 24000 Hz; the model needs at least \d+/,
    );
  });
});
