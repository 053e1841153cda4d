import { describe, expect, it } from 'vitest';
import { resampledLength, resampleIq, resamplerHalfWidth } from '../../src/core/dsp/resample';

const AMPLITUDE = 0.5;

function tone(freqHz: number, rateHz: number, n: number): Float32Array {
  const iq = new Float32Array(2 * n);
  for (let k = 0; k < n; k++) {
    const phase = (2 * Math.PI * freqHz * k) / rateHz;
    iq[2 * k] = AMPLITUDE * Math.cos(phase);
    iq[2 * k + 1] = AMPLITUDE * Math.sin(phase);
  }
  return iq;
}

/** Output sample m lies at input time m / toHz, so the ideal output is the same tone at toHz. */
function compareWithIdeal(out: Float32Array, freqHz: number, toHz: number, edge: number) {
  let gainRe = 0;
  let gainIm = 0;
  let errorPower = 0;
  let count = 0;
  for (let m = edge; m < out.length / 2 - edge; m++) {
    const phase = (2 * Math.PI * freqHz * m) / toHz;
    const [re, im] = [AMPLITUDE * Math.cos(phase), AMPLITUDE * Math.sin(phase)];
    // y * conj(ideal) / |ideal|^2: the complex gain seen by this sample.
    gainRe += (out[2 * m] * re + out[2 * m + 1] * im) / AMPLITUDE ** 2;
    gainIm += (out[2 * m + 1] * re - out[2 * m] * im) / AMPLITUDE ** 2;
    errorPower += (out[2 * m] - re) ** 2 + (out[2 * m + 1] - im) ** 2;
    count++;
  }
  return {
    gainDb: 20 * Math.log10(Math.hypot(gainRe / count, gainIm / count)),
    phaseRad: Math.atan2(gainIm, gainRe),
    errorDb: 10 * Math.log10(errorPower / count / AMPLITUDE ** 2),
  };
}

function powerDb(out: Float32Array, edge: number): number {
  let p = 0;
  let count = 0;
  for (let m = edge; m < out.length / 2 - edge; m++, count++)
    p += out[2 * m] ** 2 + out[2 * m + 1] ** 2;
  return 10 * Math.log10(p / count / AMPLITUDE ** 2);
}

// Output samples near either end see the zero padding beyond the input; skip them.
const EDGE = 300;

const RATIOS: [number, number, number[]][] = [
  // [fromHz, toHz, passband test tones (Hz, complex: negative frequencies too)]
  [24000, 12000, [1000, -2500, 5000]],
  [20250, 12000, [1000, -2500, 5000]],
  [8000, 12000, [1000, -2500, 3400]],
  [48000, 12000, [1000, -2500, 5000]],
  [12001.135, 12000, [1000, -2500, 5000]], // a KiwiSDR's true rate: the interpolated-phase path
];

describe('resampleIq', () => {
  for (const [fromHz, toHz, tones] of RATIOS) {
    for (const f of tones) {
      it(`${fromHz} -> ${toHz} Hz: a ${f} Hz tone keeps its frequency, amplitude (0.1 dB) and phase`, () => {
        const n = Math.round(fromHz); // one second
        const out = resampleIq(tone(f, fromHz, n), fromHz, toHz);
        expect(out.length).toBe(2 * resampledLength(n, fromHz, toHz));
        const { gainDb, phaseRad, errorDb } = compareWithIdeal(out, f, toHz, EDGE);
        expect(Math.abs(gainDb)).toBeLessThan(0.1);
        expect(Math.abs(phaseRad)).toBeLessThan(1e-3);
        // The whole waveform matches the ideal tone at the new rate: right frequency, no images.
        expect(errorDb).toBeLessThan(-60);
      });
    }
  }

  const STOPBAND: [number, number, number[]][] = [
    [24000, 12000, [6500, -7000, 11000]],
    [20250, 12000, [6300, -8000, 10000]],
    [48000, 12000, [6500, -9000, 20000]],
  ];
  for (const [fromHz, toHz, tones] of STOPBAND) {
    for (const f of tones) {
      it(`${fromHz} -> ${toHz} Hz: a ${f} Hz tone above the new Nyquist is attenuated by more than 60 dB`, () => {
        const out = resampleIq(tone(f, fromHz, Math.round(fromHz)), fromHz, toHz);
        expect(powerDb(out, EDGE)).toBeLessThan(-60);
      });
    }
  }

  it('the half-width bounds the edge effect: outputs that far from the ends are clean', () => {
    expect(resamplerHalfWidth(24000, 12000)).toBe(101);
    expect(resamplerHalfWidth(48000, 12000)).toBe(202);
    expect(resamplerHalfWidth(12000, 12000)).toBe(0);
    const [fromHz, toHz] = [48000, 12000];
    const out = resampleIq(tone(1000, fromHz, 48000), fromHz, toHz);
    const edgeOut = Math.ceil((resamplerHalfWidth(fromHz, toHz) * toHz) / fromHz);
    // Clean from the half-width on; the very first output has half its taps missing (about -4 dB).
    expect(compareWithIdeal(out, 1000, toHz, edgeOut).errorDb).toBeLessThan(-80);
    expect(Math.hypot(out[0], out[1]) / AMPLITUDE).toBeLessThan(0.7);
  });

  it('passes samples through unchanged when the rates are equal (as a copy)', () => {
    const iq = tone(1234, 12000, 100);
    const out = resampleIq(iq, 12000, 12000);
    expect(out).toEqual(iq);
    expect(out).not.toBe(iq);
  });

  it('refuses odd lengths and invalid rates', () => {
    expect(() => resampleIq(new Float32Array(3), 24000, 12000)).toThrow(/even/);
    expect(() => resampleIq(new Float32Array(4), 0, 12000)).toThrow(/invalid resampling rates/);
    expect(() => resampledLength(4, 24000, Number.NaN)).toThrow(/invalid resampling rates/);
    expect(() => resampledLength(2.5, 24000, 12000)).toThrow(/sample count/);
  });
});

describe('resampledLength', () => {
  it('is ceil(n * to / from)', () => {
    expect(resampledLength(24000, 24000, 12000)).toBe(12000);
    expect(resampledLength(20250, 20250, 12000)).toBe(12000);
    expect(resampledLength(8000, 8000, 12000)).toBe(12000);
    expect(resampledLength(48000, 48000, 12000)).toBe(12000);
    expect(resampledLength(7, 24000, 12000)).toBe(4);
    expect(resampledLength(5, 8000, 12000)).toBe(8);
    expect(resampledLength(28, 20250, 12000)).toBe(17); // 16.59...
    expect(resampledLength(1200113, 12001.13, 12000)).toBe(1200000);
    expect(resampledLength(0, 48000, 12000)).toBe(0);
  });
});
