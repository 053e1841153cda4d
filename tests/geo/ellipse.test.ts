import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  ellipseFromCovariance,
  ellipsePolygon,
  insideEllipse,
  kForProbability,
  mahalanobis2,
  principalAxes,
  type Cov2,
} from '../../src/core/ellipse';
import { localOffset } from '../../src/core/geodesy';

interface EllipseCase {
  name: string;
  cov: Cov2;
  /** Exact for the given doubles (60-digit arithmetic), rounded once. */
  eigenvaluesM2: [number, number];
  eighEigenvaluesM2: [number, number];
  azimuthDeg: number;
  ellipses: { p: number; semiMajorM: number; semiMinorM: number }[];
  mahalanobis: { eastM: number; northM: number; d2: number }[];
}
const fixture = JSON.parse(
  readFileSync(new URL('../fixtures/geo/ellipse.json', import.meta.url), 'utf8'),
) as {
  k: { p: number; k: number }[];
  cases: EllipseCase[];
};

const relErr = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);
/** Difference of two axis directions, which are only defined modulo 180 degrees. */
const axisDiffDeg = (a: number, b: number) => Math.abs(((((a - b + 90) % 180) + 180) % 180) - 90);

describe('kForProbability', () => {
  it('matches the 2-D chi-square quantiles', () => {
    expect(kForProbability(0.68)).toBeCloseTo(1.5096, 4);
    expect(kForProbability(0.95)).toBeCloseTo(2.4477, 4);
    // The 1-sigma ellipse holds 1 - exp(-1/2) = 39.3 %.
    expect(kForProbability(1 - Math.exp(-0.5))).toBeCloseTo(1, 12);
    for (const { p, k } of fixture.k) expect(relErr(kForProbability(p), k)).toBeLessThan(1e-12);
  });
  it('rejects probabilities outside (0, 1)', () => {
    for (const p of [0, 1, -0.1, 1.5, NaN]) expect(() => kForProbability(p)).toThrow(/probability/);
  });
});

describe('ellipse axes against exact eigenvalues and numpy.linalg.eigh', () => {
  for (const c of fixture.cases) {
    it(`${c.name}: axes and Mahalanobis distances within 1e-13 of exact, 1e-9 of eigh`, () => {
      const axes = principalAxes(c.cov);
      expect(relErr(axes.majorVarM2, c.eighEigenvaluesM2[1])).toBeLessThan(1e-9);
      expect(relErr(axes.minorVarM2, c.eighEigenvaluesM2[0])).toBeLessThan(1e-9);
      expect(relErr(axes.majorVarM2, c.eigenvaluesM2[1])).toBeLessThan(1e-13);
      expect(relErr(axes.minorVarM2, c.eigenvaluesM2[0])).toBeLessThan(1e-13);
      for (const ref of c.ellipses) {
        const e = ellipseFromCovariance(c.cov, ref.p);
        expect(e.p).toBe(ref.p);
        expect(relErr(e.semiMajorM, ref.semiMajorM)).toBeLessThan(1e-13);
        expect(relErr(e.semiMinorM, ref.semiMinorM)).toBeLessThan(1e-13);
        expect(e.azimuthDeg).toBeGreaterThanOrEqual(0);
        expect(e.azimuthDeg).toBeLessThan(180);
        expect(axisDiffDeg(e.azimuthDeg, c.azimuthDeg)).toBeLessThan(1e-9);
      }
      for (const m of c.mahalanobis) {
        expect(relErr(mahalanobis2(c.cov, m.eastM, m.northM), m.d2)).toBeLessThan(1e-13);
      }
    });
  }
});

describe('ellipse conventions', () => {
  it('gives the azimuth of the major axis clockwise from north', () => {
    expect(ellipseFromCovariance({ ee: 2, en: 1, nn: 2 }, 0.95).azimuthDeg).toBeCloseTo(45, 12);
    expect(ellipseFromCovariance({ ee: 2, en: -1, nn: 2 }, 0.95).azimuthDeg).toBeCloseTo(135, 12);
    expect(ellipseFromCovariance({ ee: 9, en: 0, nn: 1 }, 0.95).azimuthDeg).toBeCloseTo(90, 12);
    expect(ellipseFromCovariance({ ee: 1, en: 0, nn: 9 }, 0.95).azimuthDeg).toBe(0);
  });
  it('scales 1-sigma axes by k', () => {
    const e = ellipseFromCovariance({ ee: 100 ** 2, en: 0, nn: 300 ** 2 }, 0.68);
    expect(e.semiMajorM).toBeCloseTo(300 * kForProbability(0.68), 9);
    expect(e.semiMinorM).toBeCloseTo(100 * kForProbability(0.68), 9);
  });
  it('insideEllipse follows the boundary along the major axis', () => {
    const cov = { ee: 2e6, en: 1e6, nn: 2e6 };
    const e = ellipseFromCovariance(cov, 0.95);
    const u = Math.SQRT1_2; // the major axis points north-east
    expect(insideEllipse(cov, 0.999 * e.semiMajorM * u, 0.999 * e.semiMajorM * u, 0.95)).toBe(true);
    expect(insideEllipse(cov, 1.001 * e.semiMajorM * u, 1.001 * e.semiMajorM * u, 0.95)).toBe(
      false,
    );
    expect(insideEllipse(cov, 1.001 * e.semiMajorM * u, 1.001 * e.semiMajorM * u, 0.99)).toBe(true);
  });
  it('rejects covariances that are not positive definite', () => {
    for (const cov of [
      { ee: 1, en: 1, nn: 1 },
      { ee: -1, en: 0, nn: 1 },
      { ee: 1, en: 0, nn: 0 },
      { ee: NaN, en: 0, nn: 1 },
      { ee: 1, en: 2, nn: 1 },
    ]) {
      expect(() => ellipseFromCovariance(cov, 0.95)).toThrow(
        expect.objectContaining({ name: 'InferenceError' }),
      );
      expect(() => mahalanobis2(cov, 1, 1)).toThrow(/positive definite/);
    }
  });
});

describe('ellipsePolygon', () => {
  const centres = [
    { lat: 45, lon: 7 },
    { lat: 70, lon: 20 },
    { lat: -33.9, lon: 151.2 },
  ];
  for (const center of centres) {
    it(`puts every vertex at Mahalanobis distance k around ${center.lat},${center.lon}`, () => {
      for (const c of fixture.cases) {
        for (const p of [0.68, 0.95]) {
          const k = kForProbability(p);
          const ring = ellipsePolygon(center, c.cov, p, 64);
          expect(ring).toHaveLength(65);
          expect(ring[64]).toEqual(ring[0]);
          let twiceArea = 0;
          const local = ring.map(([lon, lat]) => localOffset(center, { lat, lon }));
          for (let i = 0; i < 64; i++) {
            const d = Math.sqrt(mahalanobis2(c.cov, local[i].eastM, local[i].northM));
            expect(Math.abs(d - k)).toBeLessThan(1e-6);
            twiceArea +=
              local[i].eastM * local[i + 1].northM - local[i + 1].eastM * local[i].northM;
          }
          // Counter-clockwise (positive area) is the exterior-ring orientation of GeoJSON and KML.
          expect(twiceArea).toBeGreaterThan(0);
        }
      }
    });
  }

  it('starts on the major axis and keeps longitudes continuous across the antimeridian', () => {
    const cov = { ee: 20e3 ** 2, en: 0, nn: 5e3 ** 2 };
    const ring = ellipsePolygon({ lat: 0, lon: 179.9 }, cov, 0.95);
    expect(ring).toHaveLength(129);
    const lons = ring.map(([lon]) => lon);
    expect(Math.max(...lons)).toBeGreaterThan(180);
    for (let i = 1; i < ring.length; i++) expect(Math.abs(lons[i] - lons[i - 1])).toBeLessThan(0.1);
    expect(ring[0][1]).toBeCloseTo(0, 12); // due east of the centre: on the major axis
  });

  it('rejects too few points', () => {
    expect(() => ellipsePolygon({ lat: 0, lon: 0 }, { ee: 1, en: 0, nn: 1 }, 0.5, 2)).toThrow(
      /points/,
    );
  });
});
