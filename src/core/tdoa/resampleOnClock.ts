/**
 * A recording at a higher sample rate than the rest of its scene, read at the scene's rate on its
 * own time base (issue 12: "any receivers"). KiwiSDRs record IQ at 12 kHz or, in their wide mode,
 * 20.25 kHz; other SDRs at 24, 48 or 192 kHz. The lags are measured on one block plan, so every
 * station must be read at one rate: the lowest of the scene (the band the solver uses is common
 * to all stations, so it lies within the narrowest one's anyway).
 *
 * Output sample k is the input band-limited to half the output rate and evaluated at the input's
 * (fractional) sample index for time t0 + k / rate, taken from the recording's own clock (its GPS
 * stamps or SigMF datetimes): y[k] = sum_n x[n] h(x_k - n), with the resampler the model's
 * preprocessing uses (dsp/resample.ts: a Kaiser-windowed sinc, 80 dB stopband from half the lower
 * rate). The kernel is centred on x_k and symmetric, so resampling adds no delay at any
 * frequency, which is the one thing TDoA cannot tolerate. The result's clock is exact (rate and
 * start), like a GPS-disciplined recorder's.
 */
import { HeimdallError } from '../errors';
import type { IqRecording } from '../readers/types';
import { interpolateIqAt, resamplerHalfWidth } from '../dsp/resample';
import { sampleAtTime, timeOfSample, type SampleClock } from './sampleClock';

/** A recording more than this many times the scene's rate is refused, not resampled. */
export const MAX_RESAMPLE_RATIO = 32;
/** Output samples per cached tile (256 kB), and tiles kept: 128 hold 350 s at 12 kHz (33 MB). */
const TILE_SAMPLES = 1 << 15;
const MAX_TILES = 128;

export interface Resampled {
  recording: IqRecording;
  clock: SampleClock;
}

/**
 * `recording` (timed by `clock`) read at `rateHz`, which must not exceed its own nominal rate.
 * The result covers the part of the clock's trusted span that has the kernel's full length of
 * trusted input on both sides.
 */
export function resampleOnClock(
  recording: IqRecording,
  clock: SampleClock,
  rateHz: number,
): Resampled {
  const inRate = recording.info.sampleRateHz;
  const ratio = inRate / rateHz;
  if (!(ratio >= 1) || ratio > MAX_RESAMPLE_RATIO) {
    throw new HeimdallError(
      'ConfigError',
      `${recording.info.name}: cannot resample ${inRate} Hz to ${rateHz} Hz (ratio at most ${MAX_RESAMPLE_RATIO})`,
    );
  }
  const reach = resamplerHalfWidth(inRate, rateHz) + 1;
  const t0 = timeOfSample(clock, clock.firstSample + reach);
  const tEnd = timeOfSample(clock, clock.endSample - 1 - reach);
  const total = Math.max(0, Math.floor((tEnd - t0) * rateHz));
  const outClock: SampleClock = {
    epochSec: clock.epochSec,
    knotSample: Float64Array.of(0, Math.max(total, 1)),
    knotTimeS: Float64Array.of(t0, t0 + Math.max(total, 1) / rateHz),
    firstSample: 0,
    endSample: total,
  };
  // Tiles of the output, each computed once (the solver reads a station in two or three passes).
  const tiles = new Map<number, Float32Array>();
  let space = new Float32Array(0);
  // Reused from tile to tile (filled after the read, so two reads in flight cannot share it): a
  // fresh 256 kB array per tile cost as much as a tenth of the tile's sums.
  const at = new Float64Array(Math.min(TILE_SAMPLES, total));
  const position = (k: number) => sampleAtTime(clock, t0 + k / rateHz);

  const computeTile = async (index: number): Promise<Float32Array> => {
    const start = index * TILE_SAMPLES;
    const count = Math.min(TILE_SAMPLES, total - start);
    const first = Math.max(0, Math.floor(position(start)) - reach);
    const last = Math.min(
      recording.info.totalSamples,
      Math.ceil(position(start + count - 1)) + reach + 1,
    );
    if (space.length < 2 * (last - first)) space = new Float32Array(2 * (last - first));
    const x = await recording.readSamples(first, last - first, space);
    // A sample that is not a number is named in the recording's own count, not the output's.
    for (let i = 0; i < x.length; i++) {
      if (!Number.isFinite(x[i])) {
        const n = first + (i >> 1);
        throw new HeimdallError(
          'CorruptFileError',
          `${recording.info.name}: sample ${n} is not a finite number (${x[2 * (i >> 1)]}, ${x[2 * (i >> 1) + 1]})`,
        );
      }
    }
    const positions = at.subarray(0, count);
    for (let k = 0; k < count; k++) positions[k] = position(start + k);
    return interpolateIqAt(x, first, positions, inRate, rateHz, new Float32Array(2 * count));
  };

  const tile = async (index: number): Promise<Float32Array> => {
    let t = tiles.get(index);
    if (t) {
      tiles.delete(index); // most recently used last
    } else {
      t = await computeTile(index);
      if (tiles.size >= MAX_TILES) tiles.delete(tiles.keys().next().value as number);
    }
    tiles.set(index, t);
    return t;
  };

  const readSamples = async (
    start: number,
    count: number,
    into?: Float32Array,
  ): Promise<Float32Array> => {
    if (!Number.isInteger(start) || !Number.isInteger(count) || start < 0 || count < 0) {
      throw new HeimdallError(
        'ConfigError',
        `${recording.info.name}: bad sample range ${start}+${count}`,
      );
    }
    if (start + count > total) {
      throw new HeimdallError(
        'TooShortError',
        `${recording.info.name}: samples ${start}..${start + count} run past the end of the resampled recording (${total} samples at ${rateHz} Hz)`,
      );
    }
    const out = into ? into.subarray(0, 2 * count) : new Float32Array(2 * count);
    for (let k = start; k < start + count;) {
      const index = Math.floor(k / TILE_SAMPLES);
      const t = await tile(index);
      const from = k - index * TILE_SAMPLES;
      const take = Math.min(t.length / 2 - from, start + count - k);
      out.set(t.subarray(2 * from, 2 * (from + take)), 2 * (k - start));
      k += take;
    }
    return out;
  };

  return {
    recording: {
      info: {
        ...recording.info,
        sampleRateHz: rateHz,
        totalSamples: total,
        extra: { ...recording.info.extra, resampledFromHz: inRate },
      },
      readSamples,
    },
    clock: outClock,
  };
}
