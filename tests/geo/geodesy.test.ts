import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  bearingDeg,
  distanceKm,
  fromLocalOffset,
  geodesicDirect,
  geodesicInverse,
  localOffset,
  wrapDeg360,
  wrapLonDeg,
  type LatLon,
} from '../../src/core/geodesy';

interface GeodesicCase {
  name: string;
  a: LatLon;
  b: LatLon;
  distanceM: number;
  azimuthDeg: number;
  eastM: number;
  northM: number;
  direct: { azimuthDeg: number; distanceM: number; lat: number; lon: number };
}
const fixture = JSON.parse(
  readFileSync(new URL('../fixtures/geo/geodesic.json', import.meta.url), 'utf8'),
) as {
  cases: GeodesicCase[];
};

const MM = 1e-3;

/** Sideways miss at the far end of a line of length s caused by an azimuth error, metres. */
function azimuthMissM(azA: number, azB: number, s: number): number {
  const d = Math.abs(wrapDeg360(azA - azB + 180) - 180);
  return (d * Math.PI * s) / 180;
}

describe('geodesics against geographiclib (python) reference vectors', () => {
  it('has a useful set of cases', () => {
    expect(fixture.cases.length).toBeGreaterThan(20);
  });

  for (const c of fixture.cases) {
    it(`${c.name}: inverse, direct and local offset agree within 1 mm`, () => {
      const inv = geodesicInverse(c.a, c.b);
      expect(Math.abs(inv.distanceM - c.distanceM)).toBeLessThan(MM);
      expect(inv.azimuthDeg).toBeGreaterThanOrEqual(0);
      expect(inv.azimuthDeg).toBeLessThan(360);
      expect(azimuthMissM(inv.azimuthDeg, c.azimuthDeg, c.distanceM)).toBeLessThan(MM);

      const d = geodesicDirect(c.a, c.direct.azimuthDeg, c.direct.distanceM);
      expect(geodesicInverse(d, c.direct).distanceM).toBeLessThan(MM);

      const off = localOffset(c.a, c.b);
      expect(Math.abs(off.eastM - c.eastM)).toBeLessThan(MM);
      expect(Math.abs(off.northM - c.northM)).toBeLessThan(MM);
    });
  }
});

describe('localOffset / fromLocalOffset', () => {
  for (const origin of [
    { lat: 45, lon: 7 },
    { lat: 70, lon: 20 },
    { lat: -70, lon: 179.9 },
  ]) {
    it(`round-trip within 1 mm around ${origin.lat},${origin.lon}`, () => {
      let worst = 0;
      for (const eastM of [-250e3, -31e3, -1.5, 0, 0.7, 12e3, 199e3]) {
        for (const northM of [-180e3, -4e3, -0.2, 0, 3.3, 50e3, 240e3]) {
          const p = fromLocalOffset(origin, eastM, northM);
          const back = localOffset(origin, p);
          worst = Math.max(worst, Math.hypot(back.eastM - eastM, back.northM - northM));
        }
      }
      expect(worst).toBeLessThan(MM);
    });
  }

  it('keeps metres as metres at high latitude (no degree arithmetic)', () => {
    const origin = { lat: 70, lon: 20 };
    const p = fromLocalOffset(origin, 10e3, 0);
    // 10 km east at 70N spans about 0.262 degrees of longitude, three times what it does at the equator.
    expect(geodesicInverse(origin, p).distanceM).toBeCloseTo(10e3, 6);
    expect(p.lon - origin.lon).toBeGreaterThan(0.25);
    expect(p.lon - origin.lon).toBeLessThan(0.27);
  });

  it('is zero at the origin and continuous across the antimeridian', () => {
    expect(localOffset({ lat: 10, lon: 20 }, { lat: 10, lon: 20 })).toEqual({
      eastM: 0,
      northM: 0,
    });
    const off = localOffset({ lat: 0, lon: 179.99 }, { lat: 0, lon: -179.99 });
    expect(off.eastM).toBeGreaterThan(2200);
    expect(off.eastM).toBeLessThan(2240);
    expect(Math.abs(off.northM)).toBeLessThan(1e-6);
  });
});

describe('azimuth convention and helpers', () => {
  const o = { lat: 45, lon: 10 };
  it('is clockwise from north in [0, 360)', () => {
    expect(bearingDeg(o, { lat: 46, lon: 10 })).toBeCloseTo(0, 9);
    expect(bearingDeg(o, { lat: 44, lon: 10 })).toBeCloseTo(180, 9);
    expect(bearingDeg(o, { lat: 45, lon: 10.01 })).toBeCloseTo(90, 2);
    expect(bearingDeg(o, { lat: 45, lon: 9.99 })).toBeCloseTo(270, 2);
  });
  it('distanceKm is the geodesic distance in km', () => {
    // One degree of latitude at 45N on WGS84 is 111.13 km.
    expect(distanceKm({ lat: 44.5, lon: 10 }, { lat: 45.5, lon: 10 })).toBeCloseTo(111.132, 2);
  });
  it('wraps angles', () => {
    expect(wrapDeg360(-90)).toBe(270);
    expect(wrapDeg360(720)).toBe(0);
    expect(wrapDeg360(-1e-20)).toBe(0);
    expect(wrapLonDeg(181)).toBe(-179);
    expect(wrapLonDeg(180)).toBe(-180);
    expect(wrapLonDeg(-180)).toBe(-180);
  });
  it('rejects impossible coordinates', () => {
    expect(() => geodesicInverse({ lat: 91, lon: 0 }, o)).toThrow(/not a valid coordinate/);
    expect(() => geodesicInverse(o, { lat: NaN, lon: 0 })).toThrow(
      expect.objectContaining({ name: 'ConfigError' }),
    );
    expect(() => geodesicDirect(o, Infinity, 1)).toThrow(/finite/);
  });
});
