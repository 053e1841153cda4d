import { describe, expect, it } from 'vitest';
import {
  parseStationPosition,
  readCoordinate,
  readCoordinatePair,
  type Axis,
} from '../../src/core/coordinates';

const deg = (text: string, axis: Axis) => {
  const r = readCoordinate(text, axis);
  if (!r.ok) throw new Error(`${text}: ${r.problem}`);
  return r.deg;
};
const problem = (text: string, axis: Axis) => {
  const r = readCoordinate(text, axis);
  return r.ok ? `read as ${r.deg}` : r.problem;
};

// HB9ODP of the DCF77 set, 46.499351 N 8.798828 E: 46°29'57.6636" N, 8°47'55.7808" E.
const LAT = 46.499351;
const LON = 8.798828;

describe('readCoordinate', () => {
  it('reads decimal degrees with a point, a decimal comma, a sign or a hemisphere letter', () => {
    expect(deg('46.499351', 'lat')).toBe(LAT);
    expect(deg(' 46,499351 ', 'lat')).toBe(LAT);
    expect(deg('+8.798828', 'lon')).toBe(LON);
    expect(deg('-8.798828', 'lon')).toBe(-LON);
    expect(deg('\u22128.798828', 'lon')).toBe(-LON);
    expect(deg('8.798828 W', 'lon')).toBe(-LON);
    expect(deg('8.798828e', 'lon')).toBe(LON);
    expect(deg('S 33.9', 'lat')).toBe(-33.9);
    expect(deg('46.499351°N', 'lat')).toBe(LAT);
    expect(deg('0', 'lat')).toBe(0);
    // As the editor shows a stored number (String(1e-7) is "1e-7"); "8.8e" is 8.8 east.
    expect(deg(String(1e-7), 'lon')).toBe(1e-7);
    expect(deg('-2.5E-7', 'lat')).toBe(-2.5e-7);
    expect(Object.is(deg('-0', 'lat'), -0)).toBe(false);
  });

  it('reads degrees, minutes and seconds in the forms they are written', () => {
    const dms = 46 + 29 / 60 + 57.6636 / 3600;
    for (const text of [
      `46°29'57.6636"N`,
      '46° 29′ 57.6636″ N',
      '46º29’57.6636”N',
      '46 29 57.6636 N',
      "46°29'57,6636''N",
      'N 46°29\'57.6636"',
    ]) {
      expect(deg(text, 'lat'), text).toBeCloseTo(dms, 12);
    }
    expect(deg("8°47.92968'E", 'lon')).toBeCloseTo(8 + 47.92968 / 60, 12);
    expect(deg('8 47', 'lon')).toBeCloseTo(8 + 47 / 60, 12);
    expect(deg(`33°52'S`, 'lat')).toBeCloseTo(-(33 + 52 / 60), 12);
    expect(deg(`-33°52'`, 'lat')).toBeCloseTo(-(33 + 52 / 60), 12);
    // The DCF77 set's answer, as its README and a map would give it.
    expect(deg('50°00\'54.72"N', 'lat')).toBeCloseTo(50.0152, 10);
  });

  it('refuses what is not a coordinate of its axis, saying why', () => {
    expect(problem('', 'lat')).toBe('is empty');
    expect(problem('   ', 'lon')).toBe('is empty');
    expect(problem('8.8 N', 'lon')).toBe("has N, a latitude's hemisphere");
    expect(problem('46.5 E', 'lat')).toBe("has E, a longitude's hemisphere");
    expect(problem('-46.5 S', 'lat')).toBe('has both a sign and a hemisphere letter');
    expect(problem('N 46.5 S', 'lat')).toBe('has a hemisphere letter at both ends');
    expect(problem('91', 'lat')).toBe('is beyond ±90°');
    expect(problem('-180.5', 'lon')).toBe('is beyond ±180°');
    expect(problem("46°60'", 'lat')).toBe('has minutes or seconds of 60 or more');
    expect(problem(`46°29'60"`, 'lat')).toBe('has minutes or seconds of 60 or more');
    expect(problem("46.5°29'", 'lat')).toBe('has a fraction of a degree and minutes');
    expect(problem(`46°29.5'10"`, 'lat')).toBe('has a fraction of a minute and seconds');
    expect(problem('46,5,1', 'lat')).toMatch(/not a coordinate/);
    expect(problem('46.5, 8.7', 'lat')).toMatch(/not a coordinate/);
    expect(problem('abc', 'lat')).toBe('is not a coordinate');
    expect(problem('4 6 . 5 x', 'lat')).toBe('is not a coordinate');
    expect(problem('1e3', 'lon')).toBe('is beyond ±180°');
  });
});

describe('readCoordinatePair', () => {
  it('reads a pair as map services and station pages copy it', () => {
    const pairs = [
      '46.499351, 8.798828',
      '46.499351,8.798828',
      '46.499351 8.798828',
      '46,499351 8,798828',
      '46.499351; 8.798828',
      `46°29'57.6636"N 8°47'55.7808"E`,
      `46°29'57.6636"N, 8°47'55.7808"E`,
      `8°47'55.7808"E 46°29'57.6636"N`,
      '46.499351N 8.798828E',
    ];
    for (const text of pairs) {
      const p = readCoordinatePair(text);
      expect(p, text).toBeDefined();
      expect(p!.lat, text).toBeCloseTo(LAT, 9);
      expect(p!.lon, text).toBeCloseTo(LON, 9);
    }
    expect(readCoordinatePair('-33.9, -70.6')).toEqual({ lat: -33.9, lon: -70.6 });
  });

  it('does not take one coordinate for two', () => {
    // A decimal comma, degrees and minutes, one number: a latitude alone.
    for (const text of ['46,5', '46 29', '46', '46°29\'57"N', '']) {
      expect(readCoordinatePair(text), text).toBeUndefined();
    }
    // Both halves must be coordinates of their axes.
    expect(readCoordinatePair('95.1, 8.7')).toBeUndefined();
    expect(readCoordinatePair('8.7E 8.7E')).toBeUndefined();
  });
});

describe('parseStationPosition', () => {
  it('reads the two fields, or a pair pasted into the first with the second empty', () => {
    expect(parseStationPosition('HB9ODP', '46,499351', '8°47\'55.7808"E').lat).toBe(LAT);
    expect(parseStationPosition('HB9ODP', '46.499351, 8.798828', ' ')).toEqual({
      lat: LAT,
      lon: LON,
    });
  });

  it('names the station, the field, what was typed and what is wrong', () => {
    expect(() => parseStationPosition('HB9ODP', '46.5', '')).toThrow(
      /^station HB9ODP: the longitude is empty \(decimal degrees/,
    );
    expect(() => parseStationPosition('HB9ODP', '46,5', '')).toThrow(/the longitude is empty/);
    expect(() => parseStationPosition('pa0rdt', '8.8 E', '52.1')).toThrow(
      /^station pa0rdt: the latitude "8.8 E" has E, a longitude's hemisphere/,
    );
    try {
      parseStationPosition('x', '', '1');
    } catch (err) {
      expect((err as Error).name).toBe('ConfigError');
    }
    expect.assertions(4);
  });
});
