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
 * lags and their limits are unchanged).
 */
import { fitStationTimes, type LagMeasurement } from './closure';

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
 * Each station's window offset, seconds (its arrival time against the others', centred so the
 * largest moves are as small as possible), or undefined when the pairs do not link every live
 * station or no window would move by MIN_WINDOW_SHIFT_SAMPLES. `lags` index stations as `live`
 * lists them (candidate indices); stations not in `live` get 0.
 */
export function windowOffsetsS(
  stations: number,
  live: readonly number[],
  lags: readonly (LagMeasurement & { atEdge: boolean })[],
  sampleRateHz: number,
): number[] | undefined {
  const index = new Map(live.map((s, i) => [s, i]));
  const good = lags
    .filter((l) => !l.atEdge && Number.isFinite(l.lagS) && l.sigmaS > 0 && l.sigmaS < Infinity)
    .map((l) => ({ ...l, a: index.get(l.a)!, b: index.get(l.b)! }));
  if (!linksAll(live.length, good)) return undefined;
  const { timesS } = fitStationTimes(live.length, good);
  const lo = Math.min(...timesS);
  const hi = Math.max(...timesS);
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return undefined;
  if (((hi - lo) / 2) * sampleRateHz < MIN_WINDOW_SHIFT_SAMPLES) return undefined;
  const out = new Array<number>(stations).fill(0);
  live.forEach((s, i) => (out[s] = timesS[i] - (hi + lo) / 2));
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
 * The span the grid's blocks may cover once each station's window is moved by its offset: every
 * station must still hold the samples of every block.
 */
export function shrunkSpan(
  span: { startS: number; endS: number },
  offsetsS: readonly number[],
): { startS: number; endS: number } {
  return {
    startS: span.startS + Math.max(0, -Math.min(...offsetsS)),
    endS: span.endS - Math.max(0, Math.max(...offsetsS)),
  };
}
