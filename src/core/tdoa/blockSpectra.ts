/**
 * Every station's samples cut into the same blocks of one time grid. Block k covers grid time
 * [startS + k * hop / fs, ... + n / fs); each station contributes the n samples whose middle is
 * nearest the block's middle, and the remaining fraction of a sample (`deltaSamples`, handed to
 * the caller) is removed exactly as a phase ramp on the bins the caller keeps (advanceBins). So
 * each station is timed by its own clock (its estimated rate, its GPS stamps) without resampling,
 * and the blocks of all stations line up to well under a microsecond. The window itself is
 * centred on the block's exact time, that fraction of a sample off the middle sample (a Hann
 * window is a cosine, so moving it costs nothing per sample): a spectral line is the window's
 * own spectrum, and a window up to half a sample (42 us at 12 kHz) off its place pulled a strong
 * keyed carrier's lags by microseconds (windowAlign.ts).
 *
 * Within a block, a receiver whose ADC runs at fs (1 + eps) against the grid's fs (a Kiwi tens of
 * ppm off its header, or a 12001 Hz Kiwi beside a 12000 Hz recorder) holds its n samples over
 * n / (fs (1 + eps)) seconds: the block is the signal time-scaled about its middle, content u
 * seconds from the middle read eps u too far out. For a steady signal that only moves each
 * frequency f to f (1 - eps); but a signal whose power changes within the block (speech
 * syllables, keying, bursts) has its energy off the middle, and the whole block's content is
 * then read eps u_c late, u_c its energy's centroid: a lag error of (eps_b - eps_a) u_c per pair,
 * up to 6 us at 50 ppm. On eval:tdoa's calibration scene tdoa-2-00005 (AM with a 2-6 Hz syllable
 * rhythm, Kiwis at -36 to +41 ppm) each station's lag was off by -0.025 us per ppm, 7-10 times
 * its bound; with every rate at zero it was at its noise. Removing a frequency shift at the
 * band's centre cannot help: it leaves the slope of the phase error, which is the lag.
 *
 * So each such block is taken back onto the grid's time base to first order in eps (a tenth of a
 * bin at 50 ppm and 2 kHz, where the second order is below a thousandth): with the transforms
 * referred to the block's middle, the grid's spectrum at frequency g is the station's at
 * g (1 - eps), which is Y(g) - eps g Y'(g), and Y' is the transform of -i 2 pi t times the
 * windowed samples. In the FFT's own phase reference that is
 *
 *   X(k) + i 2 pi eps (k / n) T(k),   T = FFT of (i - n / 2) w_i x_i,
 *
 * one more transform per block of a station off the grid's rate (eps from its clock at the
 * block; a recorder on the grid's rate pays nothing). The caller says which stations' blocks
 * need it (`onGrid`): measureLags.ts does it only where the stations' rate spread could bias a
 * lag by a tenth of their timing error (needsStretch), and only for blocks that can become lags.
 *
 * Speed (issue 12, item 10): samples are read in large chunks (one read per few seconds of
 * signal, not one per block), the phase ramps and frequency shifts use rotation recurrences
 * instead of a sine and cosine per sample, nothing is allocated per block, and the blocks are
 * windowed straight into the input of PFFFT's WebAssembly transform (dsp/complexFft.ts), whose
 * float32 output the caller reads in place.
 */
import { complexFft, loadComplexFft } from '../dsp/complexFft';
import { periodicHann, sumOfSquares } from '../dsp/framePower';
import type { IqRecording } from '../readers/types';
import { borrowFloat32, giveBack } from './bufferPool';
import { sampleAtTime, timeOfSample, type SampleClock } from './sampleClock';

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
 * Samples read at least this many at a time (2 MB of float IQ): a few reads per station for a
 * typical 30 s recording instead of one per block, with memory bounded whatever the length.
 */
const CHUNK_SAMPLES = 1 << 18;
/** A rotation recurrence is re-seeded from exact trigonometry this often (keeps it exact to 1e-13). */
const RESEED_EVERY = 512;

/**
 * A recording read forward in large chunks; `window(start, n)` is a view valid until the next
 * call. The chunks go into one array borrowed from the pool (bufferPool.ts): `release()` returns it.
 */
export class ChunkedSamples {
  private buffer: Float32Array = new Float32Array(0);
  private space: Float32Array | undefined;
  private first = 0;
  private count = 0;

  /** Samples at or past `endSample` are never read ahead (a damaged tail the plan never uses). */
  constructor(
    private readonly recording: IqRecording,
    private readonly endSample: number,
  ) {}

  async window(start: number, n: number): Promise<Float32Array> {
    if (start < this.first || start + n > this.first + this.count) {
      const end = Math.min(this.recording.info.totalSamples, this.endSample);
      // Out of range: the reader's own error (it names the file and the range) says why.
      if (start < 0 || start + n > end) return this.recording.readSamples(start, n);
      const count = Math.min(Math.max(n, CHUNK_SAMPLES), end - start);
      if (!this.space || this.space.length < 2 * count)
        this.space = borrowFloat32(2 * Math.max(count, CHUNK_SAMPLES));
      this.buffer = await this.recording.readSamples(start, count, this.space);
      this.first = start;
      this.count = count;
    }
    const o = 2 * (start - this.first);
    return this.buffer.subarray(o, o + 2 * n);
  }

  release(): void {
    giveBack(this.space);
    this.space = undefined;
    this.buffer = new Float32Array(0);
    this.count = 0;
  }
}

/**
 * Moves a block's spectrum later by `delta` samples on the bins listed (natural FFT order),
 * writing re/im pairs to out[2 * outOffset + 2 j]: X(f) e^{i 2 pi f delta / n}. Consecutive
 * signed bins advance the phase by a fixed rotation.
 */
export function advanceBins(
  spectrum: Float32Array | Float64Array,
  /** Where the block's spectrum starts in `spectrum`, in complex bins. */
  specOffset: number,
  bins: Int32Array,
  n: number,
  delta: number,
  out: Float32Array | Float64Array,
  outOffset: number,
): void {
  const step = (2 * Math.PI * delta) / n;
  const sr = Math.cos(step);
  const si = Math.sin(step);
  let cr = 1;
  let ci = 0;
  let prev = Number.NaN;
  for (let j = 0; j < bins.length; j++) {
    const q = signedBin(bins[j], n);
    if (q === prev + 1 && j % RESEED_EVERY !== 0) {
      const t = cr * sr - ci * si;
      ci = cr * si + ci * sr;
      cr = t;
    } else {
      cr = Math.cos(step * q);
      ci = Math.sin(step * q);
    }
    prev = q;
    const re = spectrum[2 * (specOffset + bins[j])];
    const im = spectrum[2 * (specOffset + bins[j]) + 1];
    const o = 2 * (outOffset + j);
    out[o] = re * cr - im * ci;
    out[o + 1] = re * ci + im * cr;
  }
}

/**
 * Calls `onBlock(k, station, spectrum, deltaSamples)` for every block and station; `spectrum`
 * (interleaved, natural FFT order, of the n samples starting at the whole sample nearest the
 * block) is reused between calls, and the block still has to be moved by deltaSamples
 * (advanceBins) where its timing matters. A station whose samples cannot be read or hold a NaN is
 * reported once through `onProblem` and skipped from then on.
 */
export async function forEachBlockSpectrum(
  stations: readonly TimedRecording[],
  plan: BlockPlan,
  onBlock: (k: number, station: number, spectrum: Float32Array, deltaSamples: number) => void,
  onProblem: (station: number, problem: string) => void,
  skip: readonly boolean[] = [],
  /** Per station, a frequency error to remove, Hz (its spectrum is shifted down by it). */
  shiftHz: readonly number[] = [],
  /**
   * Per station, seconds: its window is cut this much later than the grid block (windowAlign.ts),
   * while deltaSamples still refers its phase to the grid block, so lags are measured as before.
   */
  windowOffsetS: readonly number[] = [],
  /**
   * Per station, whether its blocks are taken onto the grid's time base (see the top); absent or
   * false leaves them as sampled, for passes whose use of them (power, phase drift) a tenth of a
   * bin of stretch cannot move.
   */
  onGrid: readonly boolean[] = [],
): Promise<void> {
  const dead = stations.map((_, s) => skip[s] === true);
  const n = plan.blockSize;
  await loadComplexFft();
  const fft = complexFft(n);
  const window = hannWindow(n);
  const trig = windowTrig(n, window);
  const halfS = n / 2 / plan.sampleRateHz;
  // The stretched block and, while it is made, the unstretched one (stretchToGrid).
  const corrected = borrowFloat32(2 * n);
  const plain = borrowFloat32(2 * n);
  // The last sample any block of each station can need (one spare for rounding).
  const lastMiddleS = plan.startS + ((plan.blocks - 1) * plan.hop + n / 2) / plan.sampleRateHz;
  const readers = stations.map(
    (t, s) =>
      new ChunkedSamples(
        t.recording,
        Math.round(sampleAtTime(t.clock, lastMiddleS + (windowOffsetS[s] ?? 0))) + n / 2 + 1,
      ),
  );
  for (let k = 0; k < plan.blocks; k++) {
    const middleS = plan.startS + (k * plan.hop + n / 2) / plan.sampleRateHz;
    for (let s = 0; s < stations.length; s++) {
      if (dead[s]) continue;
      const { recording, clock } = stations[s];
      const offset = windowOffsetS[s] ?? 0;
      // The grid block's centre in station samples (a moved window needs only its own).
      const centre = offset === 0 ? sampleAtTime(clock, middleS) : Number.NaN;
      const exact = offset === 0 ? centre : sampleAtTime(clock, middleS + offset);
      const cut = Math.round(exact);
      const start = cut - n / 2;
      // The station's block lags the grid block by delta samples; the caller advances it. A
      // moved window's block is referred back to the grid by its time, in grid samples: in station
      // samples a receiver eps off the grid's rate would be moved eps * offset too far, and its
      // lags would be off by that (the content sits at the moved block's centre; windowAlign.ts).
      const delta =
        offset === 0 ? centre - cut : (middleS - timeOfSample(clock, cut)) * plan.sampleRateHz;
      let iq: Float32Array;
      try {
        iq = await readers[s].window(start, n);
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
      // The window centred on the block's exact time, not on the whole sample nearest it.
      const frac = exact - cut;
      const bad =
        frac === 0
          ? windowInto(iq, window, fft.input, n)
          : shiftedWindowInto(iq, trig, frac, fft.input);
      if (bad >= 0) {
        dead[s] = true;
        onProblem(
          s,
          `sample ${start + bad} is not a finite number (${iq[2 * bad]}, ${iq[2 * bad + 1]})`,
        );
        continue;
      }
      const shift = shiftHz[s] ?? 0;
      if (shift !== 0) rotate(fft.input, n, (-2 * Math.PI * shift) / plan.sampleRateHz);
      // The station's rate at this block against the grid's (its clock's slope there).
      const eps =
        onGrid[s] === true
          ? (sampleAtTime(clock, middleS + offset + halfS) -
              sampleAtTime(clock, middleS + offset - halfS)) /
              n -
            1
          : 0;
      if (Math.abs(eps) * n < MIN_STRETCH_SAMPLES) {
        fft.run();
        onBlock(k, s, fft.output, delta);
        continue;
      }
      stretchToGrid(fft, n, eps, shift / plan.sampleRateHz, corrected, plain);
      onBlock(k, s, corrected, delta);
    }
  }
  // Not in a finally: an array that is never given back is simply collected.
  for (const r of readers) r.release();
  giveBack(corrected, plain);
}

/**
 * A station whose block spans the grid's to within this many samples end to end (eps n) is left
 * as it is: 1e-4 samples is 8 ns at 12 kHz, and a recorder on the grid's rate is at 0.
 */
export const MIN_STRETCH_SAMPLES = 1e-4;

/**
 * Whether stations with these rate offsets (eps) and timing errors (seconds) need their blocks
 * taken onto the grid's time base: the largest lag bias the stretch removes (the rates' spread
 * times half a block) against `share` of the finest timing error (tdoaDefaults.ts).
 */
export function needsStretch(
  rateOffsets: readonly number[],
  sigmasS: readonly number[],
  halfBlockS: number,
  share: number,
): boolean {
  const spreadBiasS = (Math.max(...rateOffsets) - Math.min(...rateOffsets)) * halfBlockS;
  return spreadBiasS > 0 && spreadBiasS >= share * Math.min(...sigmasS);
}

/** A station's rate against the grid's over its whole clock, eps (its rate is fs (1 + eps)). */
export function rateOffset(clock: SampleClock, plan: BlockPlan): number {
  const last = clock.knotSample.length - 1;
  const rateHz =
    (clock.knotSample[last] - clock.knotSample[0]) / (clock.knotTimeS[last] - clock.knotTimeS[0]);
  return rateHz / plan.sampleRateHz - 1;
}

/**
 * The block in `fft.input` (windowed, shifted) transformed and taken onto the grid's time base
 * (see the top of this file): X(k) + i 2 pi eps (k / n + shift / fs) T(k), where the frequency
 * scaled is the one the receiver saw, before the shift moved it. Written to `out`; `x` is scratch.
 */
function stretchToGrid(
  fft: ReturnType<typeof complexFft>,
  n: number,
  eps: number,
  shiftCycles: number,
  out: Float32Array,
  x: Float32Array,
): void {
  const input = fft.input;
  fft.run();
  x.set(fft.output.subarray(0, 2 * n));
  // The transforms leave their input as it was: weight it by time in place for T.
  for (let i = 0; i < n; i++) {
    const t = i - n / 2;
    input[2 * i] *= t;
    input[2 * i + 1] *= t;
  }
  fft.run();
  const tk = fft.output;
  const perBin = (2 * Math.PI * eps) / n;
  const atZero = 2 * Math.PI * eps * shiftCycles;
  for (let k = 0; k < n; k++) {
    const c = perBin * (k < n / 2 ? k : k - n) + atZero;
    out[2 * k] = x[2 * k] - c * tk[2 * k + 1];
    out[2 * k + 1] = x[2 * k + 1] + c * tk[2 * k];
  }
}

/** cos and sin of 2 pi i / n, and the normalising scale of `window` (hannWindow: its peak). */
function windowTrig(n: number, window: Float64Array) {
  const cos = new Float64Array(n);
  const sin = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    cos[i] = Math.cos((2 * Math.PI * i) / n);
    sin[i] = Math.sin((2 * Math.PI * i) / n);
  }
  return { cos, sin, scale: window[n / 2], n };
}

/**
 * windowInto with hannWindow centred frac samples later, w(i - frac) (|frac| <= 1/2), from the
 * angle-sum identity: no sine or cosine per sample, and no window array written per block.
 */
function shiftedWindowInto(
  iq: Float32Array,
  t: ReturnType<typeof windowTrig>,
  frac: number,
  input: Float32Array,
): number {
  const { cos, sin, n } = t;
  const c0 = 0.5 * t.scale;
  const cc = c0 * Math.cos((2 * Math.PI * frac) / n);
  const cs = c0 * Math.sin((2 * Math.PI * frac) / n);
  for (let i = 0; i < n; i++) {
    const re = iq[2 * i];
    const im = iq[2 * i + 1];
    if (!Number.isFinite(re) || !Number.isFinite(im)) return i;
    const w = c0 - cc * cos[i] - cs * sin[i];
    input[2 * i] = re * w;
    input[2 * i + 1] = im * w;
  }
  return -1;
}

/**
 * Writes the n windowed samples into the transform's input; returns the index of the first
 * sample that is not a finite number (nothing after it is written), or -1. A function of its
 * own, called once per block: the browser's engine optimises it once, where the same loop nested
 * in the block loop was compiled on the stack and discarded at every exit (issue 12, item 10).
 */
function windowInto(
  iq: Float32Array,
  window: Float64Array,
  input: Float32Array,
  n: number,
): number {
  for (let i = 0; i < n; i++) {
    const re = iq[2 * i];
    const im = iq[2 * i + 1];
    if (!Number.isFinite(re) || !Number.isFinite(im)) return i;
    input[2 * i] = re * window[i];
    input[2 * i + 1] = im * window[i];
  }
  return -1;
}

/** Multiplies sample i by e^{i step i} in place (a recurrence, re-seeded every RESEED_EVERY). */
function rotate(iq: Float32Array, n: number, step: number): void {
  const sr = Math.cos(step);
  const si = Math.sin(step);
  let cr = 1;
  let ci = 0;
  for (let i = 0; i < n; i++) {
    if (i % RESEED_EVERY === 0) {
      cr = Math.cos(step * i);
      ci = Math.sin(step * i);
    }
    const re = iq[2 * i];
    const im = iq[2 * i + 1];
    iq[2 * i] = re * cr - im * ci;
    iq[2 * i + 1] = re * ci + im * cr;
    const t = cr * sr - ci * si;
    ci = cr * si + ci * sr;
    cr = t;
  }
}
