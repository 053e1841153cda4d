import { describe, expect, it } from 'vitest';
import { maidenhead, maidenheadToLatLon } from '../../src/core/maidenhead';

// Worked by hand: lon + 180 split into 20 deg fields, 2 deg squares, 5' subsquares; lat + 90 into 10 deg, 1 deg, 2.5'.
const known: [string, number, number, string][] = [
  ['Munich', 48.1467, 11.6083, 'JN58td'],
  ['W1AW, Newington CT', 41.714775, -72.72726, 'FN31pr'],
  ['Sydney', -33.8688, 151.2093, 'QF56od'],
  ['null island', 0, 0, 'JJ00aa'],
  ['south-west corner', -90, -180, 'AA00aa'],
  ['north pole on the antimeridian', 90, 180, 'AR09ax'],
  ['exact square corner', 41, -72, 'FN41aa'],
  ['just west of Greenwich', 51.4779, -0.0015, 'IO91xl'],
];

describe('maidenhead', () => {
  for (const [name, lat, lon, loc] of known) {
    it(`${name} -> ${loc}`, () => {
      expect(maidenhead(lat, lon)).toBe(loc);
    });
  }

  it('gives 1 to 5 pairs', () => {
    expect(maidenhead(48.1467, 11.6083, 1)).toBe('JN');
    expect(maidenhead(48.1467, 11.6083, 2)).toBe('JN58');
    // lon rest 1.6083 - 19/12 = 0.02497 deg = 2.996 of 30"; lat rest 0.1467 - 3/24 = 0.0217 deg = 5.2 of 15".
    expect(maidenhead(48.1467, 11.6083, 4)).toBe('JN58td25');
    expect(maidenhead(48.1467, 11.6083, 5)).toHaveLength(10);
  });

  it('rejects bad input', () => {
    expect(() => maidenhead(91, 0)).toThrow(expect.objectContaining({ name: 'ConfigError' }));
    expect(() => maidenhead(NaN, 0)).toThrow(/locator/);
    expect(() => maidenhead(0, 0, 0)).toThrow(/1 to 5 pairs/);
    expect(() => maidenhead(0, 0, 6)).toThrow(/1 to 5 pairs/);
  });
});

describe('maidenheadToLatLon', () => {
  it('returns the centre of the square', () => {
    const c = maidenheadToLatLon('JN58td');
    expect(c.lon).toBeCloseTo(-180 + 9 * 20 + 5 * 2 + 19 / 12 + 1 / 24, 12);
    expect(c.lat).toBeCloseTo(-90 + 13 * 10 + 8 + 3 / 24 + 1 / 48, 12);
    expect(maidenheadToLatLon('JJ')).toEqual({ lat: 5, lon: 10 });
    expect(maidenheadToLatLon('jn58TD')).toEqual(c);
  });

  it('round-trips: the centre of a locator has that locator and lies within half a square', () => {
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1;
    for (let i = 0; i < 200; i++) {
      const lat = 89.9 * rand();
      const lon = 180 * rand();
      for (let pairs = 1; pairs <= 5; pairs++) {
        const loc = maidenhead(lat, lon, pairs);
        const c = maidenheadToLatLon(loc);
        expect(maidenhead(c.lat, c.lon, pairs)).toBe(loc);
        const cells = [18, 180, 4320, 43200, 1036800][pairs - 1];
        expect(Math.abs(c.lat - lat)).toBeLessThanOrEqual(90 / cells + 1e-9);
        expect(Math.abs(c.lon - lon)).toBeLessThanOrEqual(180 / cells + 1e-9);
      }
    }
  });

  it('rejects malformed locators', () => {
    for (const bad of [
      '',
      'J',
      'JN5',
      'SN',
      'JNA8',
      'JN58ty',
      'JN58td2x',
      'JN58tdß1',
      'JN58td25aa00',
      'J N5',
    ]) {
      expect(() => maidenheadToLatLon(bad)).toThrow(
        expect.objectContaining({ name: 'ConfigError' }),
      );
    }
  });
});
