/**
 * The time of every sample of one recording: a piecewise-linear map from sample index to seconds
 * after a whole-second epoch, over the range of samples whose time is known.
 */

export interface SampleClock {
  /** Whole Unix seconds; knot times are relative to it. */
  epochSec: number;
  /** Sample indices of the knots, increasing (at least two). */
  knotSample: Float64Array;
  /** Seconds after epochSec of each knot. */
  knotTimeS: Float64Array;
  /** Samples [firstSample, endSample) have a trustworthy time. */
  firstSample: number;
  endSample: number;
}

function segmentOf(xs: Float64Array, x: number): number {
  let lo = 0;
  let hi = xs.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (xs[mid] <= x) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Seconds after clock.epochSec of (fractional) sample n; linear beyond the outer knots. */
export function timeOfSample(clock: SampleClock, n: number): number {
  const { knotSample: s, knotTimeS: t } = clock;
  const k = segmentOf(s, n);
  return t[k] + ((n - s[k]) * (t[k + 1] - t[k])) / (s[k + 1] - s[k]);
}

/** The (fractional) sample index at `timeS` seconds after clock.epochSec. */
export function sampleAtTime(clock: SampleClock, timeS: number): number {
  const { knotSample: s, knotTimeS: t } = clock;
  const k = segmentOf(t, timeS);
  return s[k] + ((timeS - t[k]) * (s[k + 1] - s[k])) / (t[k + 1] - t[k]);
}

/** The same clock with its times expressed after another whole-second epoch. */
export function rebaseClock(clock: SampleClock, epochSec: number): SampleClock {
  const shift = clock.epochSec - epochSec;
  return { ...clock, epochSec, knotTimeS: clock.knotTimeS.map((t) => t + shift) };
}

/** Time span [start, end) of the usable samples, seconds after the clock's epoch. */
export function clockSpan(clock: SampleClock): { startS: number; endS: number } {
  return {
    startS: timeOfSample(clock, clock.firstSample),
    endS: timeOfSample(clock, clock.endSample),
  };
}
