import { describe, expect, it } from 'vitest';
import {
  formatBearingDeg,
  formatDistanceM,
  formatLat,
  formatLon,
  formatMs,
  formatPercent,
  formatUtc,
} from '../../src/ui/format';

describe('format', () => {
  it('writes hemispheres instead of signs', () => {
    expect(formatLat(45.123456)).toBe('45.12346° N');
    expect(formatLat(-0.5)).toBe('0.50000° S');
    expect(formatLon(-7.25)).toBe('7.25000° W');
  });
  it('switches from metres to kilometres and keeps three significant figures', () => {
    expect(formatDistanceM(850.4)).toBe('850 m');
    expect(formatDistanceM(1234)).toBe('1.23 km');
    expect(formatDistanceM(76_840)).toBe('76.8 km');
    expect(formatDistanceM(162_400)).toBe('162 km');
    expect(formatDistanceM(NaN)).toBe('–');
  });
  it('names the compass point of a bearing, wrapping negative and full turns', () => {
    expect(formatBearingDeg(42)).toBe('042° NE');
    expect(formatBearingDeg(-90)).toBe('270° W');
    expect(formatBearingDeg(359.6)).toBe('000° N');
  });
  it('scales durations', () => {
    expect(formatMs(0.042)).toBe('0.04 ms');
    expect(formatMs(21.5)).toBe('21.5 ms');
    expect(formatMs(1530)).toBe('1.53 s');
  });
  it('shows UTC, not local time, and dashes for missing fractions', () => {
    expect(formatUtc(Date.UTC(2026, 0, 1, 12, 0, 10))).toBe('2026-01-01 12:00:10 UTC');
    expect(formatPercent(null)).toBe('–');
    expect(formatPercent(0.954, 1)).toBe('95.4 %');
  });
});
