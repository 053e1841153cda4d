/**
 * Every station's samples cut into the same blocks of one time grid. Block k covers grid time
 * [startS + k * hop / fs, ... + n / fs); each station contributes the n samples whose middle is
 * nearest the block's middle, and the remaining fraction of a sample is removed exactly as a
 * phase ramp on the block's spectrum. So each station is timed by its own clock (its estimated
 * rate, its GPS stamps) without resampling, and the blocks of all stations line up to well under
 * a microsecond.
 */
import FFT from 'fft.js';
import { periodicHann, sumOfSquares } from '../dsp/framePower';
import type { IqRecording } from '../readers/types';
import { sampleAtTime, type SampleClock } from './sampleClock';

export interface BlockPlan {
  /** Grid rate, Hz (the recordings' common nominal rate). */
  sampleRateHz: number;
  blockSize: number;
  hop: number;
  /** Grid time of block 0's first sample, seconds after the scene epoch. */
  startS: number;
  blocks: number;
}

export interface TimedRecording {
  recording: IqRecording;
  /** Expressed after the scene epoch. */
  clock: SampleClock;
}

/** Periodic Hann window, normalised so that sum w^2 = 1 (bin powers then read in mean power). */
export function hannWindow(n: number): Float64Array {
  const w = periodicHann(n);
  const scale = 1 / Math.sqrt(sumOfSquares(w));
  for (let i = 0; i < n; i++) w[i] *= scale;
  return w;
}

/** Signed bin number of FFT bin i (0..n-1): frequencies above fs/2 are negative. */
export const signedBin = (i: number, n: number): number => (i < n / 2 ? i : i - n);

/**
 * Calls `onBlock(k, station, spectrum)` for every block and station; `spectrum` (interleaved,
 * natural FFT order) is reused between calls. Samples are read one block at a time, so memory
 * stays at one block per station whatever the recording's length. A station whose samples hold
 * a NaN is reported once through `onProblem` and skipped from then on.
 */
export async function forEachBlockSpectrum(
  stations: readonly TimedRecording[],
  plan: BlockPlan,
  onBlock: (k: number, station: number, spectrum: Float64Array) => void,
  onProblem: (station: number, problem: string) => void,
  skip: readonly boolean[] = [],
  /** Per station, a frequency error to remove, Hz (its spectrum is shifted down by it). */
  shiftHz: readonly number[] = [],
): Promise<void> {
  const dead = stations.map((_, s) => skip[s] === true);
  const n = plan.blockSize;
  const fft = new FFT(n);
  const window = hannWindow(n);
  const input = new Float64Array(2 * n);
  const spectrum = new Float64Array(2 * n);
  for (let k = 0; k < plan.blocks; k++) {
    const middleS = plan.startS + (k * plan.hop + n / 2) / plan.sampleRateHz;
    for (let s = 0; s < stations.length; s++) {
      if (dead[s]) continue;
      const { recording, clock } = stations[s];
      const centre = sampleAtTime(clock, middleS);
      const start = Math.round(centre) - n / 2;
      // The station's block lags the grid block by delta samples; advance it by delta below.
      const delta = centre - Math.round(centre);
      let iq: Float32Array;
      try {
        iq = await recording.readSamples(start, n);
      } catch (err) {
        // A damaged file (a NaN the reader refuses, bytes missing): this station drops out.
        dead[s] = true;
        const message = err instanceof Error ? err.message : String(err);
        onProblem(
          s,
          message.startsWith(`${recording.info.name}: `)
            ? message.slice(recording.info.name.length + 2)
            : message,
        );
        continue;
      }
      let bad = -1;
      for (let i = 0; i < n; i++) {
        const re = iq[2 * i];
        const im = iq[2 * i + 1];
        if (!Number.isFinite(re) || !Number.isFinite(im)) {
          bad = i;
          break;
        }
        input[2 * i] = re * window[i];
        input[2 * i + 1] = im * window[i];
      }
      const shift = shiftHz[s] ?? 0;
      if (shift !== 0 && bad < 0) {
        const step = (-2 * Math.PI * shift) / plan.sampleRateHz;
        for (let i = 0; i < n; i++) {
          const c = Math.cos(step * i);
          const sn = Math.sin(step * i);
          const re = input[2 * i];
          const im = input[2 * i + 1];
          input[2 * i] = re * c - im * sn;
          input[2 * i + 1] = re * sn + im * c;
        }
      }
      if (bad >= 0) {
        dead[s] = true;
        onProblem(
          s,
          `sample ${start + bad} is not a finite number (${iq[2 * bad]}, ${iq[2 * bad + 1]})`,
        );
        continue;
      }
      fft.transform(spectrum, input);
      if (delta !== 0) {
        for (let i = 0; i < n; i++) {
          const phase = (2 * Math.PI * signedBin(i, n) * delta) / n;
          const c = Math.cos(phase);
          const sn = Math.sin(phase);
          const re = spectrum[2 * i];
          const im = spectrum[2 * i + 1];
          spectrum[2 * i] = re * c - im * sn;
          spectrum[2 * i + 1] = re * sn + im * c;
        }
      }
      onBlock(k, s, spectrum);
    }
  }
}
