import { contours } from 'd3-contour';
import { describe, expect, it } from 'vitest';
import { ellipseFromCovariance } from '../../src/core/ellipse';
import { fromLocalOffset } from '../../src/core/geodesy';
import { covFromEllipse, insideRegion, tdoaRegions } from '../../src/core/tdoaRegions';
import type { TdoaGrid } from '../../src/core/tdoa/types';
import { gaussianGrid, kOf } from './gaussianResult';

const center = { lat: 50.0152, lon: 9.0112 };
const KM_PER_DEG = 111.195;

/** Shoelace area of a [lon, lat] ring, km^2 (flat at the centre's latitude). */
function ringAreaKm2(ring: [number, number][]): number {
  const cos = Math.cos((center.lat * Math.PI) / 180);
  let a = 0;
  for (let i = 0; i + 1 < ring.length; i++) {
    const [x1, y1] = ring[i];
    const [x2, y2] = ring[i + 1];
    a += x1 * cos * y2 - x2 * cos * y1;
  }
  return (Math.abs(a) / 2) * KM_PER_DEG * KM_PER_DEG;
}

describe('TDoA regions (contours of the posterior grid)', () => {
  const sigmaKm = 5;
  const grid = gaussianGrid(center, sigmaKm);
  const regions = tdoaRegions(grid);

  it('gives the 95 % region, then the 68 % one, each a single ring around the centre', () => {
    expect(regions.map((r) => r.p)).toEqual([0.95, 0.68]);
    for (const r of regions) {
      expect(r.coordinates).toHaveLength(1);
      expect(r.coordinates[0]).toHaveLength(1);
    }
  });

  it('holds the area of the Gaussian circle of the same probability (pi (k sigma)^2)', () => {
    for (const r of regions) {
      const expected = Math.PI * (kOf(r.p) * sigmaKm) ** 2;
      // Cells are 1.1 km by 0.7 km: the marching-squares border is good to a few per cent.
      expect(ringAreaKm2(r.coordinates[0][0]) / expected).toBeGreaterThan(0.93);
      expect(ringAreaKm2(r.coordinates[0][0]) / expected).toBeLessThan(1.07);
    }
  });

  it('puts the rings where the posterior is, not mirrored or shifted', () => {
    const ring = regions[1].coordinates[0][0];
    const lats = ring.map((p) => p[1]);
    const lons = ring.map((p) => p[0]);
    expect((Math.max(...lats) + Math.min(...lats)) / 2).toBeCloseTo(center.lat, 2);
    expect((Math.max(...lons) + Math.min(...lons)) / 2).toBeCloseTo(center.lon, 2);
  });

  it('tells inside from outside by the cell a point falls in', () => {
    const at = (km: number) => fromLocalOffset(center, km * 1000, 0);
    const r68 = kOf(0.68) * sigmaKm;
    const r95 = kOf(0.95) * sigmaKm;
    expect(insideRegion(grid, grid.level68, at(r68 * 0.8))).toBe(true);
    expect(insideRegion(grid, grid.level68, at(r68 * 1.2))).toBe(false);
    expect(insideRegion(grid, grid.level95, at(r95 * 0.9))).toBe(true);
    expect(insideRegion(grid, grid.level95, at(r95 * 1.15))).toBe(false);
    expect(insideRegion(grid, grid.level95, { lat: 10, lon: 10 })).toBe(false);
  });

  it('turns an ellipse summary back into the covariance that draws it', () => {
    const e = { p: 0.95, semiMajorM: 9000, semiMinorM: 3000, azimuthDeg: 30 };
    const back = ellipseFromCovariance(covFromEllipse(e), 0.95);
    expect(back.semiMajorM).toBeCloseTo(9000, 6);
    expect(back.semiMinorM).toBeCloseTo(3000, 6);
    expect(back.azimuthDeg).toBeCloseTo(30, 6);
  });

  it('contours only the window around the regions, with the rings of the whole grid', () => {
    // The whole grid through d3-contour, as tdoaRegions did before it kept to the window.
    const whole = (g: TdoaGrid) =>
      [g.level95, g.level68].map((level) =>
        contours()
          .size([g.cols, g.rows])
          .contour(Array.from(g.prob), level)
          .coordinates.map((poly) =>
            poly.map((ring) =>
              ring.map(([x, y]) => [g.west + x * g.lonStepDeg, g.south + y * g.latStepDeg]),
            ),
          ),
      );
    // Two blobs, one with a hole (a ring of low cells), and a third cut by the grid's edge.
    const blobs = gaussianGrid(center, 5);
    const { rows, cols } = blobs;
    const prob = new Float32Array(rows * cols);
    for (let r = 0; r < rows; r++)
      for (let c = 0; c < cols; c++) {
        const d = (r0: number, c0: number) => Math.hypot(r - r0, c - c0);
        const ring = Math.abs(d(60, 60) - 8) < 2 ? 0.05 : 1;
        prob[r * cols + c] =
          ring * Math.exp(-((d(60, 60) / 15) ** 2)) +
          Math.exp(-((d(150, 120) / 10) ** 2)) +
          Math.exp(-((d(100, 0) / 12) ** 2));
      }
    const shaped = { ...blobs, prob, level95: 0.3, level68: 0.6 };
    for (const g of [grid, shaped]) {
      const expected = whole(g);
      const got = tdoaRegions(g).map((r) => r.coordinates);
      expect(got.map((mp) => mp.map((poly) => poly.map((ring) => ring.length)))).toEqual(
        expected.map((mp) => mp.map((poly) => poly.map((ring) => ring.length))),
      );
      got.forEach((mp, k) =>
        mp.forEach((poly, i) =>
          poly.forEach((ring, j) =>
            ring.forEach((pt, q) => {
              expect(pt[0]).toBeCloseTo(expected[k][i][j][q][0], 9);
              expect(pt[1]).toBeCloseTo(expected[k][i][j][q][1], 9);
            }),
          ),
        ),
      );
    }
    // The shaped grid has a hole and a region cut by the western edge: both are in the rings.
    const shapedRegions = tdoaRegions(shaped);
    expect(shapedRegions[0].coordinates.some((poly) => poly.length > 1)).toBe(true);
    expect(
      shapedRegions[0].coordinates.some((poly) => poly[0].some(([lon]) => lon === shaped.west)),
    ).toBe(true);
  });
});
