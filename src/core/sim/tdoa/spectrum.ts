/**
 * The power spectral density of a simulated signal (Welch: Hann windows, half overlap), which the
 * Cramer-Rao bound integrates, and the occupied bandwidth the SNR is defined over.
 */
import FFT from 'fft.js';
import { periodicHann, sumOfSquares } from '../../dsp/framePower';

export interface Psd {
  /** Bin centres, Hz, ascending from -fs/2. */
  freqHz: Float64Array;
  /** Power per Hz; sum(densityPerHz) * binHz is the signal's mean power. */
  densityPerHz: Float64Array;
  binHz: number;
}

/** Welch PSD of interleaved IQ sampled at sampleRateHz, `fftSize` a power of two. */
export function welchPsd(iq: ArrayLike<number>, sampleRateHz: number, fftSize = 4096): Psd {
  const n = iq.length / 2;
  if (n < fftSize) throw new Error(`welchPsd needs at least ${fftSize} samples, got ${n}`);
  const fft = new FFT(fftSize);
  const window = periodicHann(fftSize);
  const windowPower = sumOfSquares(window);
  const input = fft.createComplexArray() as number[];
  const output = fft.createComplexArray() as number[];
  const acc = new Float64Array(fftSize);
  const hop = fftSize / 2;
  let segments = 0;
  for (let start = 0; start + fftSize <= n; start += hop) {
    for (let i = 0; i < fftSize; i++) {
      input[2 * i] = iq[2 * (start + i)] * window[i];
      input[2 * i + 1] = iq[2 * (start + i) + 1] * window[i];
    }
    fft.transform(output, input);
    for (let k = 0; k < fftSize; k++) acc[k] += output[2 * k] ** 2 + output[2 * k + 1] ** 2;
    segments++;
  }
  const binHz = sampleRateHz / fftSize;
  const freqHz = new Float64Array(fftSize);
  const densityPerHz = new Float64Array(fftSize);
  // Scaling: |X_k|^2 / (sum w^2 * fs) is power per Hz, so that sum * binHz = mean power.
  for (let i = 0; i < fftSize; i++) {
    const k = (i + hop) % fftSize; // fftshift: index i holds frequency -fs/2 + i * binHz
    freqHz[i] = (i - hop) * binHz;
    densityPerHz[i] = acc[k] / (segments * windowPower * sampleRateHz);
  }
  return { freqHz, densityPerHz, binHz };
}

/** Mean power held by the PSD. */
export function psdPower(psd: Psd): number {
  let sum = 0;
  for (const d of psd.densityPerHz) sum += d;
  return sum * psd.binHz;
}

/**
 * Occupied bandwidth (ITU-R SM.328): the band outside which 0.5 % of the power lies on each
 * side, Hz.
 */
export function occupiedBandwidthHz(psd: Psd, outsideFraction = 0.01): number {
  const total = psdPower(psd) / psd.binHz;
  const tail = (total * outsideFraction) / 2;
  let lo = 0;
  for (let acc = 0; lo < psd.densityPerHz.length && acc + psd.densityPerHz[lo] < tail; lo++)
    acc += psd.densityPerHz[lo];
  let hi = psd.densityPerHz.length - 1;
  for (let acc = 0; hi > lo && acc + psd.densityPerHz[hi] < tail; hi--) acc += psd.densityPerHz[hi];
  return (hi - lo + 1) * psd.binHz;
}
