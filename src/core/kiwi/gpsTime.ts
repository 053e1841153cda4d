import type { KiwiGpsStamp } from './sndFrame';

/**
 * GPS time of week (what a Kiwi's IQ frame carries) <-> UTC.
 *
 * The Kiwi stamps each IQ frame with `gpssec`, the GPS time of week in seconds (it is computed
 * `fmod(..., gps_week_sec)` in Beagle_SDR_GPS rx/rx_sound.cpp), plus nanoseconds. The week number
 * is not sent, so it is taken from a nearby UTC clock reading (the frame's arrival time), which
 * is unambiguous as long as that clock is within half a week of the truth.
 * GPS time runs ahead of UTC by the leap seconds inserted since 1980-01-06.
 */

/** 1980-01-06T00:00:00Z, the GPS epoch, in Unix milliseconds. */
export const GPS_EPOCH_UNIX_MS = Date.UTC(1980, 0, 6);
export const GPS_WEEK_S = 604_800;
/** GPS - UTC in seconds: 18 since 2017-01-01 (IERS Bulletin C; no leap second announced since). */
export const GPS_UTC_LEAP_SECONDS = 18;
/** last_gps_solution codes (rx_sound.cpp): 254 = no solution for 254 s or more, 255 = no GPS. */
export const GPS_SOLUTION_STALE = 254;

const MS_PER_S = 1000;
const NS_PER_MS = 1_000_000;
const WEEK_MS = GPS_WEEK_S * MS_PER_S;

/**
 * UTC milliseconds of a GPS time of week, choosing the week that puts it nearest `nearUtcMs`.
 * Result precision is that of a double around 1.8e12 ms, about 0.25 microseconds.
 */
export function gpsTimeOfWeekToUtcMs(
  towS: number,
  towNs: number,
  nearUtcMs: number,
  leapSeconds = GPS_UTC_LEAP_SECONDS,
): number {
  const nearGpsMs = nearUtcMs - GPS_EPOCH_UNIX_MS + leapSeconds * MS_PER_S;
  const weekStartMs = Math.floor(nearGpsMs / WEEK_MS) * WEEK_MS;
  let gpsMs = weekStartMs + towS * MS_PER_S + towNs / NS_PER_MS;
  // Near a week boundary the nearby clock and the stamp can sit in adjacent weeks.
  if (gpsMs - nearGpsMs > WEEK_MS / 2) gpsMs -= WEEK_MS;
  else if (nearGpsMs - gpsMs > WEEK_MS / 2) gpsMs += WEEK_MS;
  return gpsMs + GPS_EPOCH_UNIX_MS - leapSeconds * MS_PER_S;
}

/** GPS time of week of a UTC instant (what a Kiwi would stamp); used by the test double. */
export function utcMsToGpsTimeOfWeek(
  utcMs: number,
  leapSeconds = GPS_UTC_LEAP_SECONDS,
): { gpsSec: number; gpsNsec: number } {
  const gpsMs = utcMs - GPS_EPOCH_UNIX_MS + leapSeconds * MS_PER_S;
  const towMs = ((gpsMs % WEEK_MS) + WEEK_MS) % WEEK_MS;
  const gpsSec = Math.floor(towMs / MS_PER_S);
  const gpsNsec = Math.min(999_999_999, Math.round((towMs - gpsSec * MS_PER_S) * NS_PER_MS));
  return { gpsSec, gpsNsec };
}

/**
 * Whether a frame's GPS stamp can be trusted: the Kiwi has (had, recently) a GPS solution and
 * the operator has not blanked the stamps (all three fields zero, also what the very first frame
 * of a connection carries).
 */
export function isGpsStampUsable(
  gps: KiwiGpsStamp,
  maxSolutionAgeS = GPS_SOLUTION_STALE - 1,
): boolean {
  const blank = gps.lastSolution === 0 && gps.gpsSec === 0 && gps.gpsNsec === 0;
  return !blank && gps.lastSolution <= maxSolutionAgeS && gps.gpsSec < GPS_WEEK_S;
}
