import { describe, expect, it } from 'vitest';
import { cutAtAntimeridian, cutLine, cutPolygon, ringArea2 } from '../../src/core/antimeridian';
import type { Position } from '../../src/core/geojson';
import { Rng } from '../../src/core/rng';

const close = (ring: Position[]): Position[] => [...ring, ring[0]];
const allOnWorld = (coords: unknown): boolean =>
  Array.isArray(coords) && typeof coords[0] === 'number'
    ? (coords[0] as number) >= -180 && (coords[0] as number) <= 180
    : (coords as unknown[]).every(allOnWorld);

/** Even-odd point in polygon (outer ring and holes). */
function inside(poly: readonly Position[][], [x, y]: Position): boolean {
  let odd = false;
  for (const ring of poly) {
    for (let i = 1; i < ring.length; i++) {
      const [x1, y1] = ring[i - 1];
      const [x2, y2] = ring[i];
      if (y1 > y !== y2 > y && x < x1 + ((y - y1) * (x2 - x1)) / (y2 - y1)) odd = !odd;
    }
  }
  return odd;
}

describe('cutLine', () => {
  it('cuts a line where it crosses 180, the cut on ±180 at the interpolated latitude', () => {
    expect(
      cutLine([
        [179, 10],
        [181, 12],
      ]),
    ).toEqual([
      [
        [179, 10],
        [180, 11],
      ],
      [
        [-180, 11],
        [-179, 12],
      ],
    ]);
  });

  it('cuts at each crossing, either way, and reads wrapped input the short way round', () => {
    const parts = cutLine([
      [178, 0],
      [182, 4],
      [176, 10],
    ]);
    expect(parts).toEqual([
      [
        [178, 0],
        [180, 2],
      ],
      [
        [-180, 2],
        [-178, 4],
        [-180, 6],
      ],
      [
        [180, 6],
        [176, 10],
      ],
    ]);
    // Wrapped longitudes (-179 after 179) mean the same line as continuous ones (181).
    expect(
      cutLine([
        [179, 10],
        [-179, 12],
      ]),
    ).toEqual(
      cutLine([
        [179, 10],
        [181, 12],
      ]),
    );
  });

  it('leaves a line on the world alone and moves one wholly past 180', () => {
    const line: Position[] = [
      [10, 50],
      [11, 51],
    ];
    expect(cutLine(line)).toEqual([line]);
    expect(
      cutLine([
        [181, 0],
        [182, 1],
      ]),
    ).toEqual([
      [
        [-179, 0],
        [-178, 1],
      ],
    ]);
  });
});

describe('cutPolygon', () => {
  it('cuts a box across 180 into two that hold its whole area', () => {
    const box = close([
      [179, 0],
      [181, 0],
      [181, 1],
      [179, 1],
    ]);
    const parts = cutPolygon([box]);
    expect(parts).toHaveLength(2);
    expect(allOnWorld(parts)).toBe(true);
    const area = parts.reduce((s, p) => s + ringArea2(p[0]), 0);
    expect(area).toBeCloseTo(ringArea2(box), 12);
    // The west part ends on 180, the east part starts on -180.
    expect(Math.max(...parts[0][0].map(([x]) => x))).toBe(180);
    expect(Math.min(...parts[1][0].map(([x]) => x))).toBe(-180);
  });

  it('puts every point of a concave shape with a hole on the same side of the boundary as before', () => {
    // A U open to the north, across 180, with a hole in its base that crosses 180 too.
    const u = close([
      [178, 0],
      [182, 0],
      [182, 4],
      [181, 4],
      [181, 1.5],
      [179, 1.5],
      [179, 4],
      [178, 4],
    ]);
    const hole = close([
      [179.5, 0.5],
      [179.5, 1],
      [180.5, 1],
      [180.5, 0.5],
    ]);
    const parts = cutPolygon([u, hole]);
    expect(allOnWorld(parts)).toBe(true);
    const rng = new Rng(3);
    for (let i = 0; i < 4000; i++) {
      const p: Position = [rng.uniform(177.5, 182.5), rng.uniform(-0.5, 4.5)];
      const wrapped: Position = [p[0] >= 180 ? p[0] - 360 : p[0], p[1]];
      const before = inside([u, hole], p);
      const after = parts.filter((poly) => inside(poly, wrapped)).length;
      expect(after, `${p}`).toBe(before ? 1 : 0);
    }
  });

  it('only moves a polygon that lies in one world', () => {
    const ring = close([
      [181, 0],
      [182, 0],
      [182, 1],
    ]);
    expect(cutPolygon([ring])).toEqual([[ring.map(([x, y]) => [x - 360, y])]]);
  });
});

describe('cutAtAntimeridian', () => {
  it('changes the type only where a geometry crosses, and wraps points', () => {
    expect(cutAtAntimeridian({ type: 'Point', coordinates: [181.5, 3] })).toEqual({
      type: 'Point',
      coordinates: [-178.5, 3],
    });
    const line = cutAtAntimeridian({
      type: 'LineString',
      coordinates: [
        [179, 0],
        [181, 0],
      ],
    });
    expect(line.type).toBe('MultiLineString');
    const poly = cutAtAntimeridian({
      type: 'Polygon',
      coordinates: [
        close([
          [179, 0],
          [181, 0],
          [180, 1],
        ]),
      ],
    });
    expect(poly.type).toBe('MultiPolygon');
    const local = {
      type: 'Polygon' as const,
      coordinates: [
        close([
          [8, 50],
          [9, 50],
          [9, 51],
        ]),
      ],
    };
    expect(cutAtAntimeridian(local)).toEqual(local);
  });
});
