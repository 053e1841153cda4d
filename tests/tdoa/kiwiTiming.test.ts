import { describe, expect, it } from 'vitest';
import { utcMsToGpsTimeOfWeek } from '../../src/core/kiwi/gpsTime';
import type { KiwiStampTable } from '../../src/core/tdoa/kiwiStamps';
import { kiwiSampleTiming } from '../../src/core/tdoa/kiwiTiming';
import { timeOfSample } from '../../src/core/tdoa/sampleClock';

const START_MS = Date.UTC(2020, 7, 13, 6, 52, 20);
const TRUE_RATE = 12001.2; // a real receiver's rate against 12001 announced

/** A stamp table for `blocks` blocks of 512 samples, a fresh fix every `fixEvery` blocks. */
function table(
  blocks: number,
  fixEvery = 80,
  edit?: (t: KiwiStampTable, i: number, trueS: number) => void,
) {
  const t: KiwiStampTable = {
    sampleIndex: new Float64Array(blocks),
    lastSolution: new Uint8Array(blocks),
    gpsSec: new Uint32Array(blocks),
    gpsNsec: new Uint32Array(blocks),
  };
  for (let i = 0; i < blocks; i++) {
    const trueS = (i * 512) / TRUE_RATE + 0.123456789;
    const gps = utcMsToGpsTimeOfWeek(START_MS + Math.floor(trueS * 1000));
    t.sampleIndex[i] = i * 512;
    t.lastSolution[i] = Math.floor(((i % fixEvery) * 512) / TRUE_RATE);
    t.gpsSec[i] = gps.gpsSec;
    t.gpsNsec[i] =
      Math.round((trueS * 1000 - Math.floor(trueS * 1000)) * 1e6) +
      (gps.gpsNsec - (gps.gpsNsec % 1_000_000));
    edit?.(t, i, trueS);
  }
  // Real first blocks: a zero stamp.
  t.gpsSec[0] = 0;
  t.gpsNsec[0] = 0;
  return t;
}

describe('kiwiSampleTiming', () => {
  it('estimates the true rate from fresh stamps and times every sample to a nanosecond', () => {
    const out = kiwiSampleTiming(table(700), 12001, 700 * 512, START_MS);
    if (!out.ok) throw new Error(out.reason);
    expect(out.timing.sampleRateHz).toBeCloseTo(TRUE_RATE, 4);
    expect(out.timing.freshStamps).toBeGreaterThanOrEqual(8);
    const t0 = timeOfSample(out.clock, 512 * 10);
    const t1 = timeOfSample(out.clock, 512 * 600);
    expect(Math.abs(t1 - t0 - (590 * 512) / TRUE_RATE)).toBeLessThan(1e-8);
  });

  it('times a receiver that solves every second (its counter never leaves 0, so never drops)', () => {
    const everySecond = table(700, 23);
    expect(Math.max(...everySecond.lastSolution)).toBe(0);
    const out = kiwiSampleTiming(everySecond, 12001, 700 * 512, START_MS);
    if (!out.ok) throw new Error(out.reason);
    expect(out.timing.sampleRateHz).toBeCloseTo(TRUE_RATE, 4);
    const t0 = timeOfSample(out.clock, 512 * 10);
    const t1 = timeOfSample(out.clock, 512 * 600);
    expect(Math.abs(t1 - t0 - (590 * 512) / TRUE_RATE)).toBeLessThan(1e-8);
  });

  it('excludes a recording with no fix, too few fresh stamps, a gap, or stamps out of range or stuck', () => {
    const noFix = kiwiSampleTiming(
      table(300, 80, (t, i) => (t.lastSolution[i] = 255)),
      12001,
      300 * 512,
      START_MS,
    );
    expect(noFix).toMatchObject({ ok: false, reason: expect.stringMatching(/no GPS fix ever/) });
    const oneFix = kiwiSampleTiming(table(100, 1000), 12001, 100 * 512, START_MS);
    expect(oneFix).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/too few fresh GPS stamps/),
    });
    // 4 blocks lost after block 350: later stamps run 2048 samples ahead of the count.
    const gap = kiwiSampleTiming(
      table(700, 80, (t, i, trueS) => {
        if (i <= 350) return;
        const ns = Math.round((trueS + 2048 / TRUE_RATE) * 1e9) % 1e9;
        t.gpsNsec[i] = ns;
        t.gpsSec[i] = utcMsToGpsTimeOfWeek(START_MS).gpsSec + Math.floor(trueS + 2048 / TRUE_RATE);
      }),
      12001,
      700 * 512,
      START_MS,
    );
    expect(gap).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/a gap in the samples.*2048 samples/),
    });
    // Stamps 5 s back after block 350 (the receiver's time reset): a step back, not a gap.
    const back = kiwiSampleTiming(
      table(700, 80, (t, i) => {
        if (i > 350) t.gpsSec[i] -= 5;
      }),
      12001,
      700 * 512,
      START_MS,
    );
    expect(back).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^the GPS time steps back by \d+ samples \(5000\.\d ms\)/),
    });
    // Stamps out of range (a week has 604800 s, a second 1e9 ns): named, not "no recent fix".
    for (const damage of [
      (t: KiwiStampTable, i: number) => (t.gpsSec[i] += 604_800),
      (t: KiwiStampTable, i: number) => (t.gpsNsec[i] = 1e9 + i),
    ]) {
      expect(kiwiSampleTiming(table(300, 80, damage), 12001, 300 * 512, START_MS)).toEqual({
        ok: false,
        reason:
          'no usable GPS stamp: 299 of its 299 stamps are out of range (seconds of the week from 604800 on, or nanoseconds from 1e9 on: damaged stamps)',
      });
    }
    // Every stamp at one time (stuck stamps): said so, not "stamps imply NaN Hz".
    const stuck = kiwiSampleTiming(
      table(300, 80, (t, i) => {
        t.gpsSec[i] = utcMsToGpsTimeOfWeek(START_MS).gpsSec;
        t.gpsNsec[i] = 0;
      }),
      12001,
      300 * 512,
      START_MS,
    );
    expect(stuck).toMatchObject({
      ok: false,
      reason:
        'the GPS stamps do not advance: none of its 299 valid stamps is later than the one before (stuck stamps time nothing)',
    });
  });

  it('a first fix late in the recording: the samples before it are left out, and the note says the rest is used', () => {
    // No fix for the first 100 blocks (4.3 s), then fresh stamps as usual.
    const late = kiwiSampleTiming(
      table(700, 80, (t, i) => {
        if (i < 100) t.lastSolution[i] = 255;
      }),
      12001,
      700 * 512,
      START_MS,
    );
    if (!late.ok) throw new Error(late.reason);
    expect(late.timing.sampleRateHz).toBeCloseTo(TRUE_RATE, 4);
    expect(late.notes.join(' ')).toMatch(
      /its first 4\.\d s \(\d+ samples\) have no usable GPS time yet and are left out; the rest is used/,
    );
  });

  it('ignores one stale stamp (as the real HB9ODP file has in its second block)', () => {
    const out = kiwiSampleTiming(
      table(700, 80, (t, i) => {
        if (i === 1) t.gpsSec[i] -= 11615;
      }),
      12001,
      700 * 512,
      START_MS,
    );
    if (!out.ok) throw new Error(out.reason);
    expect(out.notes.join(' ')).toMatch(/1 inconsistent GPS stamp/);
    expect(out.timing.sampleRateHz).toBeCloseTo(TRUE_RATE, 4);
  });
});
