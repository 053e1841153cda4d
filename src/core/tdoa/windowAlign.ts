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

/**
 * When windows move. A spectral line's pull on a lag is a share s of what is left of the windows'
 * misalignment (up to about a third: a keyed carrier's first lags), so a move m leaves a pull of
 * about s m / (1 - s), and s shows in the moves themselves: each is s times the one before. So the
 * first move is made when some station's window would move by WINDOW_SHIFT_SIGMA_SHARE of the
 * finest timing error in play (the pairs' smallest sigma, or the solver's model error where that
 * is larger); a later one while the pull it would remove, from the ratio of the two moves, is half
 * that or more; and any move of half a sample or more is made. A strong signal's lags are good to
 * nanoseconds: with every move under a fixed half sample (42 us at 12 kHz) left undone, a keyed
 * carrier 60-90 dB above the noise was left up to 4.6 us off, 1.2 km on the ground, outside its
 * 95 % region (`npm run eval:tdoa -- --snr 60:90 --clean`). On the real DCF77 set the second move
 * would be 0.9 us after a first of 431 us: a pull of 2 ns, not worth a round.
 */
export const WINDOW_SHIFT_SIGMA_SHARE = 0.5;
/** A move of this many samples or more is always made. */
const MAX_STILL_SAMPLES = 0.5;
/** The moves' ratio is read as at most this (a larger one is noise, not a line's pull). */
const MAX_PULL_SHARE = 0.9;
/**
 * At most this many moves. The first lags of a keyed carrier fall short by a share of themselves
 * (up to a third on eval:tdoa's CW scenes), so the windows they place are that share short, and
 * each move brings the shortfall down to that share of what is left (at a third, six moves take
 * a 3 ms lag's shortfall from 1 ms to 1.4 us; a strong carrier's lines pull by less).
 */
export const MAX_WINDOW_MOVES = 6;

/**
 * The smallest first move worth making, seconds: WINDOW_SHIFT_SIGMA_SHARE of the finest timing
 * error (the lags' smallest sigma or `floorS`, whichever is larger), at most half a sample.
 */
export function windowShiftThresholdS(
  lags: readonly { sigmaS: number }[],
  sampleRateHz: number,
  floorS: number,
): number {
  let finest = Infinity;
  for (const l of lags) if (l.sigmaS > 0 && l.sigmaS < finest) finest = l.sigmaS;
  return Math.min(
    MAX_STILL_SAMPLES / sampleRateHz,
    WINDOW_SHIFT_SIGMA_SHARE * Math.max(finest, floorS),
  );
}

/**
 * Whether to move the windows from `current` to `next` (seconds per station); `previous` are the
 * windows before `current` (undefined while the windows are still on the grid).
 */
export function movesWindows(
  next: readonly number[],
  current: readonly number[],
  previous: readonly number[] | undefined,
  minShiftS: number,
  sampleRateHz: number,
): boolean {
  return next.some((o, s) => {
    const move = Math.abs(o - current[s]);
    if (move * sampleRateHz >= MAX_STILL_SAMPLES) return true;
    const last = previous ? Math.abs(current[s] - previous[s]) : 0;
    if (last === 0) return move >= minShiftS;
    const share = Math.min(move / last, MAX_PULL_SHARE);
    return (share * move) / (1 - share) >= minShiftS / 2;
  });
}

/**
 * Each station's window offset, seconds: its arrival time against the first live station's (whose
 * blocks then stay as they are, so it needs no new transform), or undefined when the pairs do not
 * link every live station, no window would move by `minShiftS` (windowShiftThresholdS), or one
 * would move by `maxOffsetS` or more (the lags disagree: the windows stay on the grid). `lags` index stations
 * as `live` lists them (candidate indices); stations not in `live` get 0.
 */
export function windowOffsetsS(
  stations: number,
  live: readonly number[],
  lags: readonly (LagMeasurement & { atEdge: boolean })[],
  minShiftS: number,
  maxOffsetS: number,
): number[] | undefined {
  const index = new Map(live.map((s, i) => [s, i]));
  const good = lags
    .filter((l) => !l.atEdge && Number.isFinite(l.lagS) && l.sigmaS > 0 && l.sigmaS < Infinity)
    .map((l) => ({ ...l, a: index.get(l.a)!, b: index.get(l.b)! }));
  if (!linksAll(live.length, good)) return undefined;
  const { timesS } = fitStationTimes(live.length, good);
  const largest = Math.max(...timesS.map(Math.abs));
  if (!(largest < maxOffsetS) || largest < minShiftS) return undefined;
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
