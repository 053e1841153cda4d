/**
 * Absolute times that keep sub-microsecond precision: whole Unix seconds plus a fraction. A Unix
 * time as one double keeps about 0.24 us; differences of such doubles lose more, so the TDoA code
 * carries a scene epoch (whole seconds) and works in seconds relative to it.
 */
import { GPS_EPOCH_UNIX_MS, GPS_UTC_LEAP_SECONDS, GPS_WEEK_S } from '../kiwi/gpsTime';
import type { SplitTime } from './types';

const GPS_EPOCH_UNIX_S = GPS_EPOCH_UNIX_MS / 1000;

/** Normalises so that 0 <= fracS < 1. */
export function splitTime(sec: number, fracS: number): SplitTime {
  const whole = Math.floor(fracS);
  return { sec: sec + whole, fracS: fracS - whole };
}

/** `t` in seconds relative to the whole second `epochSec`. */
export function secondsSince(t: SplitTime, epochSec: number): number {
  return t.sec - epochSec + t.fracS;
}

/** The split time `offsetS` seconds after the whole second `epochSec`. */
export function splitAt(epochSec: number, offsetS: number): SplitTime {
  return splitTime(epochSec, offsetS);
}

export function splitToIso(t: SplitTime): string {
  const micro = Math.round(t.fracS * 1e6);
  const base = new Date((t.sec + Math.floor(micro / 1e6)) * 1000).toISOString().slice(0, 19);
  return `${base}.${String(micro % 1_000_000).padStart(6, '0')}Z`;
}

/**
 * A GPS time of week (what a KiwiSDR stamps) as UTC, choosing the week that puts it nearest
 * `nearUnixMs` (the file name's clock). GPS runs ahead of UTC by the leap seconds since 1980.
 */
export function splitFromGpsTimeOfWeek(
  towSec: number,
  towNs: number,
  nearUnixMs: number,
  leapSeconds = GPS_UTC_LEAP_SECONDS,
): SplitTime {
  const nearGpsS = nearUnixMs / 1000 - GPS_EPOCH_UNIX_S + leapSeconds;
  let gpsS = Math.floor(nearGpsS / GPS_WEEK_S) * GPS_WEEK_S + towSec;
  if (gpsS - nearGpsS > GPS_WEEK_S / 2) gpsS -= GPS_WEEK_S;
  else if (nearGpsS - gpsS > GPS_WEEK_S / 2) gpsS += GPS_WEEK_S;
  return splitTime(gpsS + GPS_EPOCH_UNIX_S - leapSeconds, towNs / 1e9);
}

const RFC3339 = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(\.\d+)?Z$/;

/**
 * An RFC 3339 UTC time (SigMF core:datetime) with all its fractional digits, or undefined when
 * it is not one or names no real instant (30 February: Date.parse would roll it into March).
 */
export function parseRfc3339Split(text: string): SplitTime | undefined {
  const m = RFC3339.exec(text);
  if (!m) return undefined;
  const ms = Date.parse(`${m[1]}Z`);
  if (!Number.isFinite(ms) || new Date(ms).toISOString().slice(0, 19) !== m[1]) return undefined;
  return { sec: ms / 1000, fracS: m[2] ? Number(`0${m[2]}`) : 0 };
}
