/**
 * Receivers' frequency errors. Two receivers tuned to the same frequency see the signal shifted
 * by the difference of their local-oscillator errors. KiwiSDRs with GPS correct theirs to a small
 * fraction of a hertz, but a receiver without it can be hertzes off, and a shift that is a
 * sizeable part of a spectral bin (2.9 Hz here) decorrelates the two spectra bin by bin, so the
 * time-delay estimate fails outright. Each station's shift against the reference station is
 * measured by correlating their SNR spectra (log-compressed, so band edges and carriers count
 * alike) over +-MAX_FREQUENCY_OFFSET_HZ, with a parabola for the fraction of a bin, and removed
 * from its samples before the cross-spectra are formed. This coarse estimate is good to a few
 * tenths of a hertz; where the block spectra are kept, frequencyDrift.ts refines it from the
 * cross-spectrum's phase drift to hundredths.
 *
 * Where the spectra have little structure against their noise (a flat, noise-like signal near
 * 0 dB) the shape correlation is flat and its maximum lands wherever the noise puts it: 10-15 Hz
 * off on simulated 0 dB scenes (eval:tdoa, seed 1), which then decorrelated every pair of that
 * station. So the shift is measured again on each half of the recording (independent noise, the
 * same receivers) and applied only when both halves agree with it (trustedShiftHz).
 */
export const MAX_FREQUENCY_OFFSET_HZ = 20;
/** Shifts below this are not worth removing (a tenth of a 2.9 Hz bin decorrelates < 1 %). */
export const MIN_CORRECTED_SHIFT_BINS = 0.1;

/** The spectrum in increasing frequency, log(1 + SNR), mean removed. */
function shape(snr: Float64Array): Float64Array {
  const n = snr.length;
  const out = new Float64Array(n);
  let mean = 0;
  for (let j = 0; j < n; j++) {
    out[j] = Math.log1p(snr[(j - n / 2 + n) % n]);
    mean += out[j] / n;
  }
  for (let j = 0; j < n; j++) out[j] -= mean;
  return out;
}

/**
 * How far (Hz) `other`'s spectrum is shifted up against `ref`'s, from their per-bin SNRs
 * (natural FFT order). 0 when the spectra have no structure to align.
 */
export function spectralShiftHz(ref: Float64Array, other: Float64Array, binHz: number): number {
  const n = ref.length;
  const a = shape(ref);
  const b = shape(other);
  const maxShift = Math.min(Math.ceil(MAX_FREQUENCY_OFFSET_HZ / binHz), n / 4);
  const corr = new Float64Array(2 * maxShift + 1);
  for (let d = -maxShift; d <= maxShift; d++) {
    let s = 0;
    for (let j = Math.max(0, -d); j < Math.min(n, n - d); j++) s += a[j] * b[j + d];
    corr[d + maxShift] = s;
  }
  let best = 0;
  for (let i = 1; i < corr.length; i++) if (corr[i] > corr[best]) best = i;
  if (!(corr[best] > 0) || best === 0 || best === corr.length - 1) return 0;
  const y0 = corr[best - 1];
  const y1 = corr[best];
  const y2 = corr[best + 1];
  const den = y0 - 2 * y1 + y2;
  const frac = den < 0 ? Math.max(-0.5, Math.min(0.5, (0.5 * (y0 - y2)) / den)) : 0;
  const shiftBins = best - maxShift + frac;
  return Math.abs(shiftBins) < MIN_CORRECTED_SHIFT_BINS ? 0 : shiftBins * binHz;
}

/**
 * The halves' estimates may differ from the whole's by this many bins: a shift the spectra do
 * pin down (a carrier, sharp band edges) repeats to a few hundredths of a bin; noise moves it by
 * bins.
 */
export const MAX_HALF_DISAGREEMENT_BINS = 0.5;

/** SNR spectra of one station: over the whole span and over its first and second halves. */
export interface HalvedSnr {
  whole: Float64Array;
  first: Float64Array;
  second: Float64Array;
}

/**
 * spectralShiftHz of the whole span, or 0 when the estimates from the two halves do not both
 * agree with it within MAX_HALF_DISAGREEMENT_BINS (the spectra do not show the shift; most
 * receivers are close to right, so leaving it is the better bet).
 */
export function trustedShiftHz(ref: HalvedSnr, other: HalvedSnr, binHz: number): number {
  const whole = spectralShiftHz(ref.whole, other.whole, binHz);
  const first = spectralShiftHz(ref.first, other.first, binHz);
  const second = spectralShiftHz(ref.second, other.second, binHz);
  const tolHz = MAX_HALF_DISAGREEMENT_BINS * binHz;
  return Math.abs(first - whole) <= tolHz && Math.abs(second - whole) <= tolHz ? whole : 0;
}
