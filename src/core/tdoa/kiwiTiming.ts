/**
 * The time of every sample of a KiwiSDR IQ WAV from its GPS stamps.
 *
 * What the stamps are (kiwiclient, Beagle_SDR_GPS rx_sound.cpp): the GPS time of the first sample
 * of each 512-sample block; `last_gps_solution` counts seconds since the receiver's last fix (255:
 * never) and between fixes the receiver extrapolates. So only a stamp where the counter drops
 * ("fresh") is a new measurement. Real first blocks are bad (a zero stamp, or one minutes stale;
 * hcab14/TDoA drops the first block, and so do we). The header's rate is nominal: the real rate is
 * estimated from the fresh stamps.
 *
 * A gap (samples lost between the receiver and the file) shows as consecutive stamps whose spacing
 * disagrees with the sample count; such a recording is excluded (issue 12), as hcab14 does.
 * Measured on the three real 2020 DCF77 recordings: a straight line through the fresh stamps leaves
 * residuals of 0.06 us RMS (0.13 us max), far below the microseconds that matter, so a least-squares
 * line (it averages the stamps' jitter) is the model; a receiver whose rate wanders enough to leave
 * more than MAX_LINEAR_RESIDUAL_S gets a piecewise-linear clock through its fresh stamps instead.
 */
import { GPS_SOLUTION_STALE, GPS_WEEK_S } from '../kiwi/gpsTime';
import { median } from '../stats';
import type { KiwiStampTable } from './kiwiStamps';
import type { SampleClock } from './sampleClock';
import { splitFromGpsTimeOfWeek, splitTime } from './splitTime';
import type { SampleTiming } from './types';

/** A stamp spacing may disagree with the sample count by at most this many samples (hcab14: 1). */
export const MAX_STAMP_DISAGREEMENT_SAMPLES = 1;
/** Consecutive stamps further apart than this (in samples) from the count mark a gap. */
export const GAP_SAMPLES = 2;
/** Fresh stamps needed to estimate a rate (two define it; fewer is "too few"). */
export const MIN_FRESH_STAMPS = 2;
/** A rate further than this from the header's nominal rate is implausible (a broken stamp stream). */
export const MAX_RATE_ERROR_PPM = 1000;
/** A linear clock whose fresh-stamp residuals exceed this RMS becomes piecewise linear. */
export const MAX_LINEAR_RESIDUAL_S = 1e-6;

export type TimingOutcome =
  | { ok: true; clock: SampleClock; timing: SampleTiming; notes: string[] }
  | { ok: false; reason: string };

interface Stamp {
  block: number;
  sample: number;
  /** Seconds after the epoch. */
  timeS: number;
  fresh: boolean;
}

function isValid(t: KiwiStampTable, i: number): boolean {
  const blank = t.gpsSec[i] === 0 && t.gpsNsec[i] === 0;
  return (
    !blank &&
    t.lastSolution[i] < GPS_SOLUTION_STALE &&
    t.gpsSec[i] < GPS_WEEK_S &&
    t.gpsNsec[i] < 1e9
  );
}

/** Least-squares line time = a + b * (sample - s0); returns a, b and the residual RMS. */
function fitLine(stamps: Stamp[], s0: number): { a: number; b: number; rmsS: number } {
  const n = stamps.length;
  let mx = 0;
  let my = 0;
  for (const p of stamps) {
    mx += (p.sample - s0) / n;
    my += p.timeS / n;
  }
  let sxx = 0;
  let sxy = 0;
  for (const p of stamps) {
    sxx += (p.sample - s0 - mx) ** 2;
    sxy += (p.sample - s0 - mx) * (p.timeS - my);
  }
  const b = sxy / sxx;
  const a = my - b * mx;
  let ss = 0;
  for (const p of stamps) ss += (p.timeS - a - b * (p.sample - s0)) ** 2;
  return { a, b, rmsS: Math.sqrt(ss / n) };
}

/**
 * Times every sample of a KiwiSDR recording from its stamp table. `nearUnixMs` (the file name's
 * PC clock) picks the GPS week; `epochSec` is the whole second times are expressed after.
 */
export function kiwiSampleTiming(
  table: KiwiStampTable,
  nominalRateHz: number,
  totalSamples: number,
  nearUnixMs: number,
): TimingOutcome {
  const blocks = table.sampleIndex.length;
  if (blocks < 3)
    return { ok: false, reason: `only ${blocks} GPS-stamped block(s); need at least 3` };
  let everFixed = false;
  // Block 0 does not count: a bad first block carries a counter of 0 and no time.
  for (let i = 1; i < blocks; i++) if (table.lastSolution[i] !== 255) everFixed = true;
  if (!everFixed)
    return { ok: false, reason: 'no GPS fix ever (last_gps_solution is 255 in every block)' };

  // The epoch: the whole second of the first valid stamp, so times stay small.
  let epochSec: number | undefined;
  const valid: Stamp[] = [];
  // Block 0 is dropped: real first blocks carry a zero or stale stamp.
  for (let i = 1; i < blocks; i++) {
    if (!isValid(table, i)) continue;
    const t = splitFromGpsTimeOfWeek(table.gpsSec[i], table.gpsNsec[i], nearUnixMs);
    epochSec ??= t.sec;
    valid.push({
      block: i,
      sample: table.sampleIndex[i],
      timeS: t.sec - epochSec + t.fracS,
      fresh: table.lastSolution[i] < table.lastSolution[i - 1],
    });
  }
  if (valid.length < 2 || epochSec === undefined) {
    let outOfRange = 0;
    for (let i = 1; i < blocks; i++)
      if (table.gpsSec[i] >= GPS_WEEK_S || table.gpsNsec[i] >= 1e9) outOfRange++;
    return {
      ok: false,
      reason:
        outOfRange > 0
          ? `no usable GPS stamp: ${outOfRange} of its ${blocks - 1} stamps are out of range (seconds of the week from ${GPS_WEEK_S} on, or nanoseconds from 1e9 on: damaged stamps)`
          : 'no usable GPS stamp (no recent fix, or stamps blanked)',
    };
  }

  // A first rate from consecutive valid stamps: the median is immune to a few bad ones.
  const rates: number[] = [];
  for (let i = 1; i < valid.length; i++) {
    const dt = valid[i].timeS - valid[i - 1].timeS;
    if (dt > 0) rates.push((valid[i].sample - valid[i - 1].sample) / dt);
  }
  if (rates.length === 0) {
    return {
      ok: false,
      reason: `the GPS stamps do not advance: none of its ${valid.length} valid stamps is later than the one before (stuck stamps time nothing)`,
    };
  }
  const roughRate = median(rates);
  if (!(Math.abs(roughRate / nominalRateHz - 1) * 1e6 <= MAX_RATE_ERROR_PPM)) {
    return {
      ok: false,
      reason: `GPS stamps imply ${roughRate.toFixed(3)} Hz against ${nominalRateHz} Hz announced (implausible)`,
    };
  }

  // Split the valid stamps at gaps. A single stamp off on both sides is a glitch, not a gap.
  const disagree = (p: Stamp, q: Stamp) =>
    Math.abs((q.timeS - p.timeS) * roughRate - (q.sample - p.sample));
  const runs: Stamp[][] = [[valid[0]]];
  let glitches = 0;
  for (let i = 1; i < valid.length; i++) {
    const run = runs[runs.length - 1];
    const last = run[run.length - 1];
    if (disagree(last, valid[i]) <= GAP_SAMPLES) run.push(valid[i]);
    else if (i + 1 < valid.length && disagree(last, valid[i + 1]) <= GAP_SAMPLES) glitches++;
    else runs.push([valid[i]]);
  }
  // A lone stamp that agrees with neither neighbour (a stale first stamp) is a bad stamp.
  const lone = runs.filter((r) => r.length === 1).length;
  const solid = runs.filter((r) => r.length > 1);
  glitches += lone;
  if (solid.length > 1) {
    const at = solid[1][0];
    const before = solid[0][solid[0].length - 1];
    const jumpSamples = (at.timeS - before.timeS) * roughRate - (at.sample - before.sample);
    const ms = ((Math.abs(jumpSamples) / roughRate) * 1e3).toFixed(1);
    // A step back is no gap: samples cannot be lost backwards (the receiver's clock was reset).
    return {
      ok: false,
      reason:
        jumpSamples > 0
          ? `a gap in the samples: the GPS time jumps by ${jumpSamples.toFixed(0)} samples (${ms} ms) more than the sample count near sample ${at.sample}`
          : `the GPS time steps back by ${(-jumpSamples).toFixed(0)} samples (${ms} ms) against the sample count near sample ${at.sample} (the receiver's time was reset during the recording)`,
    };
  }
  const best = solid[0] ?? [];
  let fresh = best.filter((p) => p.fresh);
  // A receiver that solves every second or faster never lets its counter pass 0 (the firmware
  // sends whole seconds since the fix), so it never drops: every stamp is under a second from a
  // fix, as good as a fresh one. Only where the counter is 0 throughout: a receiver whose counter
  // climbs without dropping got no new fix, and one whose counter drops keeps its fit.
  const solvesEverySecond = best.every((p) => table.lastSolution[p.block] === 0);
  if (fresh.length < MIN_FRESH_STAMPS && solvesEverySecond) fresh = best;
  if (fresh.length < MIN_FRESH_STAMPS) {
    return {
      ok: false,
      reason: `too few fresh GPS stamps (${fresh.length}; need ${MIN_FRESH_STAMPS}): the receiver got no new fix during the recording`,
    };
  }

  // Reject fresh stamps that disagree with a robust line by more than a sample (hcab14's test).
  const s0 = fresh[0].sample;
  let line = fitLine(fresh, s0);
  const kept = fresh.filter(
    (p) =>
      Math.abs(p.timeS - line.a - line.b * (p.sample - s0)) * roughRate <=
      MAX_STAMP_DISAGREEMENT_SAMPLES,
  );
  const rejected = fresh.length - kept.length;
  if (kept.length < MIN_FRESH_STAMPS) {
    return {
      ok: false,
      reason: `fresh GPS stamps disagree with the sample count by more than ${MAX_STAMP_DISAGREEMENT_SAMPLES} sample`,
    };
  }
  fresh = kept;
  line = fitLine(fresh, s0);

  // Samples before the first valid stamp (no fix yet, a bad first block) have no time.
  const firstSample = best[0].sample;
  const endSample = totalSamples;
  const notes: string[] = [];
  if (firstSample - table.sampleIndex[1] > roughRate) {
    notes.push(
      `its first ${(firstSample / roughRate).toFixed(1)} s (${firstSample} samples) have no usable GPS time yet and are left out; the rest is used`,
    );
  }
  if (glitches + rejected > 0)
    notes.push(`${glitches + rejected} inconsistent GPS stamp(s) ignored`);

  let knotSample: Float64Array;
  let knotTimeS: Float64Array;
  const piecewise = line.rmsS > MAX_LINEAR_RESIDUAL_S && fresh.length >= 3;
  if (piecewise) {
    knotSample = Float64Array.from(fresh, (p) => p.sample);
    knotTimeS = Float64Array.from(fresh, (p) => p.timeS);
    notes.push(
      `clock rate wanders (${(line.rmsS * 1e6).toFixed(2)} us RMS off a line): piecewise-linear clock`,
    );
  } else {
    knotSample = Float64Array.of(firstSample, endSample);
    knotTimeS = Float64Array.of(
      line.a + line.b * (firstSample - s0),
      line.a + line.b * (endSample - s0),
    );
  }
  const clock: SampleClock = { epochSec, knotSample, knotTimeS, firstSample, endSample };
  const t0S = line.a - line.b * s0;
  const lastBlock = best[best.length - 1].block;
  const timing: SampleTiming = {
    t0: splitTime(epochSec, t0S),
    sampleRateHz: 1 / line.b,
    nominalRateHz,
    source: 'gps',
    freshStamps: fresh.length,
    gpsFixAgeS: table.lastSolution[lastBlock],
    residualRmsS: line.rmsS,
  };
  return { ok: true, clock, timing, notes };
}
