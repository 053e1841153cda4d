/**
 * Where each station's analysis windows should sit so that every pair's blocks hold the same
 * stretch of the transmitted signal.
 *
 * The blocks of all stations are cut at the same grid times (blockSpectra.ts), so station b's
 * block holds the signal tau_ab later than a's: the window weights a different stretch of it at
 * each station. For a noise-like signal that only costs the fraction |tau| / T of the overlap,
 * but a spectral line (a CW or AM carrier, DCF77's) is the window's own spectrum at the carrier,
 * with one phase, -w0 tau, across all its bins: those bins say "no delay" and pull every lag
 * towards zero. On eval:tdoa's echo-free scenes (`--seed 10`, above 10 dB), CW stations' lag
 * errors were 1.48 times their bound (RMS), with the errors of a scene's far pairs pointing back
 * towards zero (tdoa-10-00040: 180-300 us on lags of 480-740 us, bound 40-50 us); with every
 * station's window moved by its true arrival time, 1.26 (all kinds 1.14 -> 1.06).
 *
 * A receiver eps off the grid's rate shows the same: its block is time-scaled by eps about the
 * block's centre, and with the windows on the grid the content both stations share is centred
 * half the lag away from it, so the lag reads eps L / 2 off (0.5 us at 300 ppm and 3 ms; at
 * 50 ppm, as much again as the noise of a 25 dB wideband lag: tests/tdoa/windowAlign.test.ts).
 *
 * So the lags are measured twice: once on the grid, then with each station's window moved by its
 * arrival time fitted from those first lags (its blocks' phase still referred to the grid, so the
 * lags and their limits are unchanged). That transforms the moved stations' blocks again.
 */
import type { BlockPlan, TimedRecording } from './blockSpectra';
import { fitStationTimes, type LagMeasurement } from './closure';
import { sampleAtTime } from './sampleClock';

/** Windows are moved only when some station's would move by at least this many samples. */
export const MIN_WINDOW_SHIFT_SAMPLES = 0.5;
/**
 * At most this many moves: the first lags of a keyed carrier fall short by a share of themselves
 * (up to a third on eval:tdoa's CW scenes), so the windows they place are that share short, and
 * the second move brings the shortfall down to that share of what is left.
 */
export const MAX_WINDOW_MOVES = 2;

/** Whether any station's window would move by MIN_WINDOW_SHIFT_SAMPLES or more. */
export function movesWindows(
  next: readonly number[],
  current: readonly number[],
  sampleRateHz: number,
): boolean {
  return next.some((o, s) => Math.abs(o - current[s]) * sampleRateHz >= MIN_WINDOW_SHIFT_SAMPLES);
}

/**
 * Each station's window offset, seconds: its arrival time against the first live station's (whose
 * blocks then stay as they are, so it needs no new transform), or undefined when the pairs do not
 * link every live station, no window would move by MIN_WINDOW_SHIFT_SAMPLES, or one would move by
 * `maxOffsetS` or more (the lags disagree: the windows stay on the grid). `lags` index stations
 * as `live` lists them (candidate indices); stations not in `live` get 0.
 */
export function windowOffsetsS(
  stations: number,
  live: readonly number[],
  lags: readonly (LagMeasurement & { atEdge: boolean })[],
  sampleRateHz: number,
  maxOffsetS: number,
): number[] | undefined {
  const index = new Map(live.map((s, i) => [s, i]));
  const good = lags
    .filter((l) => !l.atEdge && Number.isFinite(l.lagS) && l.sigmaS > 0 && l.sigmaS < Infinity)
    .map((l) => ({ ...l, a: index.get(l.a)!, b: index.get(l.b)! }));
  if (!linksAll(live.length, good)) return undefined;
  const { timesS } = fitStationTimes(live.length, good);
  const largest = Math.max(...timesS.map(Math.abs));
  if (!(largest < maxOffsetS) || largest * sampleRateHz < MIN_WINDOW_SHIFT_SAMPLES)
    return undefined;
  const out = new Array<number>(stations).fill(0);
  live.forEach((s, i) => (out[s] = timesS[i]));
  return out;
}

/** Whether the pairs connect stations 0..count-1 into one group. */
function linksAll(count: number, lags: readonly { a: number; b: number }[]): boolean {
  const seen = new Set<number>([0]);
  for (let grew = true; grew;) {
    grew = false;
    for (const l of lags) {
      if (seen.has(l.a) !== seen.has(l.b)) {
        seen.add(l.a);
        seen.add(l.b);
        grew = true;
      }
    }
  }
  return seen.size === count;
}

/**
 * The plan's blocks every moved station can still read once its window is moved: all but the
 * first or the last where a station's moved window would run past its samples (offsets are under
 * a hop, so no other block can).
 */
export function readableBlocks(
  plan: BlockPlan,
  stations: readonly TimedRecording[],
  offsetsS: readonly number[],
  moving: readonly boolean[],
): { first: number; count: number } {
  const n = plan.blockSize;
  const fits = (k: number) =>
    stations.every((t, s) => {
      if (!moving[s]) return true;
      const middleS = plan.startS + (k * plan.hop + n / 2) / plan.sampleRateHz;
      const start = Math.round(sampleAtTime(t.clock, middleS + offsetsS[s])) - n / 2;
      const end = Math.min(t.clock.endSample, t.recording.info.totalSamples);
      return start >= Math.max(0, t.clock.firstSample) && start + n <= end;
    });
  const first = fits(0) ? 0 : 1;
  const last = fits(plan.blocks - 1) ? plan.blocks - 1 : plan.blocks - 2;
  return { first, count: last - first + 1 };
}
