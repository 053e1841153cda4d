/**
 * A KiwiSDR's sample clock and GPS stamps, as its IQ WAV records them (shared/TDOA_NOTES.md):
 *
 * - the ADC runs at a true rate tens of ppm off the rate the header announces;
 * - the receiver gets a GPS fix every 2-5 s; `last_gps_solution` counts whole seconds since the
 *   last one (255: no fix yet), so a stamp is fresh where the counter drops;
 * - at a fix the receiver's clock model is reset to GPS time (error: the fix's jitter, tens of
 *   ns); until the next fix stamps are extrapolated with the receiver's own rate estimate, which
 *   is slightly off, so extrapolated stamps drift by up to a few hundred ns;
 * - the first block is often bad: all zero, or minutes stale;
 * - a gap loses whole blocks: the stamps jump, the sample count does not.
 *
 * Times here are seconds from the scene's epoch (a whole Unix second), so doubles keep
 * picoseconds over a scene.
 */
import { GPS_WEEK_S, utcMsToGpsTimeOfWeek } from '../../kiwi/gpsTime';
import type { KiwiGpsStamp } from '../../kiwi/sndFrame';
import type { Rng } from '../../rng';
import { KIWI_BLOCK_PAIRS } from '../kiwiWavWriter';

/** last_gps_solution before any fix (rx_sound.cpp). */
export const NO_FIX = 255;
const MAX_COUNTER = 254;

export interface KiwiClockOptions {
  /** True time of the first recorded sample. */
  startS: number;
  /** True sample rate, Hz. */
  sampleRateHz: number;
  blocks: number;
  /** True time of the first GPS fix (before startS: the receiver had a fix already); Infinity: never. */
  firstFixS: number;
  fixIntervalS: { lo: number; hi: number };
  /** Standard deviation of a fix's time error, seconds. */
  stampJitterS: number;
  /** Standard deviation of the receiver's fractional rate error between fixes. */
  rateErrorFraction: number;
  badFirstBlock: 'none' | 'zero' | 'stale';
  gap?: { afterBlock: number; lostBlocks: number };
}

export interface KiwiBlockTiming {
  /** True time of the block's first sample. */
  trueStartS: number;
  /** The stamp as a time (seconds from the epoch), NaN where the block carries no time. */
  stampS: number;
  lastSolution: number;
  /** Whether this block's stamp is a fresh fix (the counter dropped). */
  fresh: boolean;
}

/** Index in the uninterrupted sample stream of recorded sample n (after a gap, samples were lost). */
export function streamIndex(n: number, gap: KiwiClockOptions['gap']): number {
  if (!gap) return n;
  const gapAt = (gap.afterBlock + 1) * KIWI_BLOCK_PAIRS;
  return n >= gapAt ? n + gap.lostBlocks * KIWI_BLOCK_PAIRS : n;
}

export function kiwiBlockTimings(rng: Rng, o: KiwiClockOptions): KiwiBlockTiming[] {
  // Fix schedule, with each fix's clock model: time error and rate error.
  const fixes: { atS: number; errorS: number; rateError: number }[] = [];
  const endS =
    o.startS + ((o.blocks + (o.gap?.lostBlocks ?? 0)) * KIWI_BLOCK_PAIRS) / o.sampleRateHz;
  for (let t = o.firstFixS; t <= endS; t += rng.uniform(o.fixIntervalS.lo, o.fixIntervalS.hi)) {
    fixes.push({
      atS: t,
      errorS: o.stampJitterS * rng.normal(),
      rateError: o.rateErrorFraction * rng.normal(),
    });
  }
  const out: KiwiBlockTiming[] = [];
  let fix = -1;
  // Before the first block nothing is known: its counter never counts as a drop.
  let lastCounter = -1;
  for (let b = 0; b < o.blocks; b++) {
    const t = o.startS + streamIndex(b * KIWI_BLOCK_PAIRS, o.gap) / o.sampleRateHz;
    while (fix + 1 < fixes.length && fixes[fix + 1].atS <= t) fix++;
    if (fix < 0) {
      out.push({ trueStartS: t, stampS: NaN, lastSolution: NO_FIX, fresh: false });
      lastCounter = NO_FIX;
      continue;
    }
    const f = fixes[fix];
    const counter = Math.min(MAX_COUNTER, Math.floor(t - f.atS));
    const stampS = t + f.errorS + (t - f.atS) * f.rateError;
    out.push({ trueStartS: t, stampS, lastSolution: counter, fresh: counter < lastCounter });
    lastCounter = counter;
  }
  if (o.badFirstBlock !== 'none' && out.length > 0) {
    const first = out[0];
    first.fresh = false;
    if (o.badFirstBlock === 'zero') {
      first.stampS = NaN;
      first.lastSolution = 0;
    } else {
      // Minutes to hours stale, as one of the real 2020 recordings shows.
      first.stampS -= rng.uniform(60, 20_000);
      first.lastSolution = 0;
    }
  }
  return out;
}

/** A time (seconds from a whole-second Unix epoch) as the Kiwi's GPS time of week. */
export function gpsStampOf(epochUnixS: number, stampS: number, lastSolution: number): KiwiGpsStamp {
  if (!Number.isFinite(stampS)) return { lastSolution, gpsSec: 0, gpsNsec: 0 };
  const base = utcMsToGpsTimeOfWeek(epochUnixS * 1000).gpsSec;
  const whole = Math.floor(stampS);
  let nsec = Math.round((stampS - whole) * 1e9);
  let sec = base + whole;
  if (nsec >= 1e9) {
    nsec -= 1e9;
    sec += 1;
  }
  return { lastSolution, gpsSec: ((sec % GPS_WEEK_S) + GPS_WEEK_S) % GPS_WEEK_S, gpsNsec: nsec };
}
