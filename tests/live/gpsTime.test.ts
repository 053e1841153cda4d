import { describe, expect, it } from 'vitest';
import {
  gpsTimeOfWeekToUtcMs,
  isGpsStampUsable,
  utcMsToGpsTimeOfWeek,
} from '../../src/core/kiwi/gpsTime';

describe('GPS time of week <-> UTC', () => {
  it('matches a published conversion', () => {
    // 2024-01-01T00:00:00Z is GPS week 2295, Sunday-based TOW 86418 s (1 day + 18 leap seconds).
    const utc = Date.UTC(2024, 0, 1);
    expect(utcMsToGpsTimeOfWeek(utc)).toEqual({ gpsSec: 86418, gpsNsec: 0 });
    expect(gpsTimeOfWeekToUtcMs(86418, 0, utc + 3_000)).toBe(utc);
  });

  it('keeps sub-microsecond detail and picks the right week across a boundary', () => {
    // The GPS week rolls at Saturday/Sunday midnight GPS time = 23:59:42 UTC Saturday.
    const rollover = Date.UTC(2024, 0, 6, 23, 59, 42);
    const justBefore = utcMsToGpsTimeOfWeek(rollover - 0.25);
    expect(justBefore.gpsSec).toBe(604799);
    expect(justBefore.gpsNsec).toBe(999_750_000);
    // Stamp from the old week, arrival already in the new week (and the reverse).
    expect(gpsTimeOfWeekToUtcMs(604799, 999_750_000, rollover + 2000)).toBeCloseTo(
      rollover - 0.25,
      3,
    );
    expect(gpsTimeOfWeekToUtcMs(1, 500_000_000, rollover - 2000)).toBeCloseTo(rollover + 1500, 3);
  });

  it('trusts stamps only with a recent solution and non-blank fields', () => {
    expect(isGpsStampUsable({ lastSolution: 0, gpsSec: 100, gpsNsec: 5 })).toBe(true);
    expect(isGpsStampUsable({ lastSolution: 253, gpsSec: 100, gpsNsec: 5 })).toBe(true);
    expect(isGpsStampUsable({ lastSolution: 254, gpsSec: 100, gpsNsec: 5 })).toBe(false);
    expect(isGpsStampUsable({ lastSolution: 255, gpsSec: 100, gpsNsec: 5 })).toBe(false);
    expect(isGpsStampUsable({ lastSolution: 0, gpsSec: 0, gpsNsec: 0 })).toBe(false);
    expect(isGpsStampUsable({ lastSolution: 10, gpsSec: 100, gpsNsec: 5 }, 5)).toBe(false);
  });
});
