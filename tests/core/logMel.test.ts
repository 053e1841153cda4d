import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LogMel, windowSamples } from '../../src/core/dsp/logMel';
import { melBank } from '../../src/core/dsp/melBank';
import { normalizeScene } from '../../src/core/features';
import { preprocessingSchema } from '../../src/core/modelMetadata';

const dir = new URL('../fixtures/logmel/', import.meta.url);
const preprocessing = preprocessingSchema.parse(
  JSON.parse(readFileSync(new URL('../../training/preprocessing.json', import.meta.url), 'utf8')),
);
const cases = JSON.parse(readFileSync(new URL('cases.json', dir), 'utf8'));

function f32(name: string): Float32Array {
  const b = readFileSync(new URL(name, dir));
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
}

describe('log-mel feature contract (against the numpy reference)', () => {
  const lm = new LogMel(preprocessing);

  for (const name of ['tone_in_noise', 'sweep', 'silence']) {
    it(`${name} agrees with numpy to 1e-4 dB`, () => {
      const expected = f32(`${name}.logmel.f32`);
      const actual = lm.compute(f32(`${name}.iq.f32`));
      expect(actual.length).toBe(expected.length);
      let maxDiff = 0;
      for (let i = 0; i < actual.length; i++) {
        maxDiff = Math.max(maxDiff, Math.abs(actual[i] - expected[i]));
      }
      expect(maxDiff).toBeLessThan(1e-4);
    });
  }

  it('the mel bank matches the reference row sums and leaves no filter empty', () => {
    const bank = melBank(preprocessing);
    const sums = bank.map((f) => f.weights.reduce((a, b) => a + b, 0));
    sums.forEach((s, m) => {
      expect(s).toBeGreaterThan(0);
      expect(s).toBeCloseTo(cases._melbank.rowSums[m], 9);
    });
  });

  it('a full-scale tone reads about 0 dB summed over the bank and its level tracks amplitude', () => {
    const n = windowSamples(preprocessing);
    const tone = (ampDb: number) => {
      const a = 10 ** (ampDb / 20);
      const iq = new Float32Array(2 * n);
      for (let i = 0; i < n; i++) {
        iq[2 * i] = a * Math.cos((2 * Math.PI * 1000 * i) / preprocessing.sampleRateHz);
        iq[2 * i + 1] = a * Math.sin((2 * Math.PI * 1000 * i) / preprocessing.sampleRateHz);
      }
      return lm.compute(iq);
    };
    const peak = (x: Float32Array) => Math.max(...x);
    expect(peak(tone(0)) - peak(tone(-30))).toBeCloseTo(30, 3);
  });

  it('refuses a window that is too short, naming the need', () => {
    expect(() => lm.compute(new Float32Array(100))).toThrow(/needs \d+ samples/);
  });
});

describe('joint normalisation', () => {
  const p = { nMels: 2, nFrames: 2, normalization: preprocessing.normalization };
  it('keeps the level differences between receivers and removes a shared gain', () => {
    const a = Float32Array.from([-100, -100, -100, -100]);
    const b = Float32Array.from([-80, -80, -80, -80]);
    const x = normalizeScene([a, b], p);
    const shifted = normalizeScene(
      [a.map((v) => v + 17), b.map((v) => v + 17)] as Float32Array[],
      p,
    );
    expect(Array.from(x)).toEqual(Array.from(shifted));
    // Receiver 0 stays 20 dB below receiver 1 (scaled by scaleDb).
    expect(x[0] - x[4]).toBeCloseTo(-20 / preprocessing.normalization.scaleDb, 6);
    expect(Math.max(...x)).toBeCloseTo(0, 6);
  });
});
