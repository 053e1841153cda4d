import { describe, expect, it } from 'vitest';
import type { Position } from 'geojson';
import { loadBasemap, splitLines, unwrapRing } from '../../src/map/basemap';

/** Steps between consecutive points longer than 180 degrees of longitude. */
function wraps(line: readonly Position[]): number {
  let n = 0;
  for (let i = 1; i < line.length; i++) if (Math.abs(line[i][0] - line[i - 1][0]) > 180) n++;
  return n;
}

describe('offline basemap across the antimeridian', () => {
  it('continues a ring that crosses it, so it closes where it began', () => {
    const ring = [
      [170, 60],
      [-170, 60],
      [-170, 70],
      [170, 70],
      [170, 60],
    ];
    expect(unwrapRing(ring)).toEqual([
      [170, 60],
      [190, 60],
      [190, 70],
      [170, 70],
      [170, 60],
    ]);
    // Westwards too.
    expect(unwrapRing(ring.map(([x, y]) => [-x, y]))).toEqual([
      [-170, 60],
      [-190, 60],
      [-190, 70],
      [-170, 70],
      [-170, 60],
    ]);
  });

  it('leaves a ring round a pole and one that never crosses as they are', () => {
    const pole = [
      [-180, -70],
      [-60, -72],
      [60, -71],
      [180, -70],
      [-180, -70],
    ];
    expect(unwrapRing(pole)).toEqual(pole);
    const plain = [
      [5, 45],
      [10, 45],
      [10, 50],
      [5, 45],
    ];
    expect(unwrapRing(plain)).toEqual(plain);
  });

  it('cuts lines at the step', () => {
    const split = splitLines({
      type: 'MultiLineString',
      coordinates: [
        [
          [175, 65],
          [179.9, 66],
          [-179.9, 66],
          [-175, 67],
        ],
        [
          [0, 0],
          [1, 1],
        ],
        // Along the antimeridian (a cut through an island), then on along its coast.
        [
          [180, -16.1],
          [180, -16.9],
          [179.6, -17],
        ],
      ],
    });
    expect(split.coordinates).toEqual([
      [
        [175, 65],
        [179.9, 66],
      ],
      [
        [-179.9, 66],
        [-175, 67],
      ],
      [
        [0, 0],
        [1, 1],
      ],
      [
        [180, -16.9],
        [179.6, -17],
      ],
    ]);
  });

  it('Natural Earth land, coast and borders have no edge across the whole map', async () => {
    const { land, coast, borders } = await loadBasemap();
    let mended = 0;
    let polar = 0;
    for (const f of land.features) {
      const g = f.geometry;
      const polys =
        g.type === 'Polygon' ? [g.coordinates] : g.type === 'MultiPolygon' ? g.coordinates : [];
      for (const ring of polys.flat()) {
        const n = wraps(ring);
        if (n % 2 === 1) polar++;
        else expect(n).toBe(0);
        if (ring.some((p) => Math.abs(p[0]) > 180)) mended++;
        expect(ring[0]).toEqual(ring[ring.length - 1]);
      }
    }
    // Eurasia (Chukotka), Wrangel Island and Fiji cross it; Antarctica goes round the pole.
    expect(mended).toBe(3);
    expect(polar).toBeGreaterThan(0);
    for (const line of [...coast.coordinates, ...borders.coordinates]) {
      expect(wraps(line)).toBe(0);
      // No coast drawn along the antimeridian where the data cut Fiji or Chukotka in two.
      for (let i = 1; i < line.length; i++)
        expect(Math.abs(line[i][0]) === 180 && line[i][0] === line[i - 1][0]).toBe(false);
    }
  });
});
