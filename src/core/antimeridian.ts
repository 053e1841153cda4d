/**
 * Geometries cut at the antimeridian for export (RFC 7946, 3.1.9: a geometry that crosses it
 * SHOULD be cut in two so that neither part crosses it). The map draws rings and lines with their
 * longitudes running on past ±180 (ellipsePolygon, the regions, the hyperbola), which maplibre
 * shows as one shape; a GIS reading the file as WGS 84 would put the part past 180 off the world.
 * Each part here lies within [-180, 180], the cut edges on ±180 exactly.
 */
import { wrapLonDeg } from './geodesy';
import type { Geometry, Position } from './geojson';

/** Which copy of the world a longitude lies in: 0 for [-180, 180), 1 for [180, 540), ... */
const worldOf = (lon: number) => Math.floor((lon + 180) / 360);

/**
 * Longitudes carried on across the antimeridian: each within 180 degrees of the one before (a
 * step of more than 180 is taken the short way round), so a line or ring that crosses it runs on
 * past ±180 instead of stepping across the whole map. Input may be wrapped or already continuous.
 */
export function continuousLons(line: readonly (readonly number[])[]): Position[] {
  const out: Position[] = [];
  for (const [lon, lat] of line) {
    const prev = out.at(-1);
    out.push([prev ? prev[0] + wrapLonDeg(lon - prev[0]) : lon, lat]);
  }
  return out;
}

/** The point where the segment a-b meets longitude x (a and b on either side of it). */
function crossing(a: Position, b: Position, x: number): Position {
  const t = (x - a[0]) / (b[0] - a[0]);
  return [x, a[1] + t * (b[1] - a[1])];
}

/** A line cut where it crosses the antimeridian: one part per stretch inside one world. */
export function cutLine(line: readonly Position[]): Position[][] {
  const pts = continuousLons(line);
  if (pts.length === 0) return [];
  const parts: Position[][] = [];
  let world = worldOf(pts[0][0]);
  let part: Position[] = [[pts[0][0] - 360 * world, pts[0][1]]];
  for (let i = 1; i < pts.length; i++) {
    const a = pts[i - 1];
    const b = pts[i];
    const to = worldOf(b[0]);
    while (to !== world) {
      // The boundary between this world and the next one towards b.
      const east = to > world;
      const x = -180 + 360 * (east ? world + 1 : world);
      const at = crossing(a, b, x);
      part.push([east ? 180 : -180, at[1]]);
      parts.push(part);
      world += east ? 1 : -1;
      part = [[east ? -180 : 180, at[1]]];
    }
    part.push([b[0] - 360 * world, b[1]]);
  }
  parts.push(part);
  return parts.filter((p) => p.length >= 2);
}

const samePoint = (a: Position, b: Position) => a[0] === b[0] && a[1] === b[1];

/** A ring clipped to lon >= x (keepEast) or lon <= x: Sutherland-Hodgman on one half-plane. */
function clipRing(ring: readonly Position[], x: number, keepEast: boolean): Position[] {
  const inside = (p: Position) => (keepEast ? p[0] >= x : p[0] <= x);
  // Work on the open ring; close it again at the end.
  const open =
    ring.length > 1 && samePoint(ring[0], ring[ring.length - 1]) ? ring.slice(0, -1) : [...ring];
  const out: Position[] = [];
  open.forEach((b, i) => {
    const a = open[(i + open.length - 1) % open.length];
    if (inside(b)) {
      if (!inside(a)) out.push(crossing(a, b, x));
      out.push(b);
    } else if (inside(a)) {
      out.push(crossing(a, b, x));
    }
  });
  if (out.length > 0) out.push([out[0][0], out[0][1]]);
  return out;
}

/** Twice the signed area of a closed ring (shoelace), degrees squared. */
export function ringArea2(ring: readonly Position[]): number {
  let s = 0;
  for (let i = 1; i < ring.length; i++) {
    s += ring[i - 1][0] * ring[i][1] - ring[i][0] * ring[i - 1][1];
  }
  return s;
}

/**
 * A polygon (outer ring, then holes; longitudes continuous) cut at the antimeridian: one polygon
 * per world it spans, each clipped to that world and moved into [-180, 180]. A polygon inside one
 * world is only moved. Where a ring is concave across the cut, its part on one side may be joined
 * along ±180 by an edge that goes out and back: it encloses nothing and draws nothing.
 */
export function cutPolygon(polygon: readonly (readonly Position[])[]): Position[][][] {
  const rings = polygon.map((r) => continuousLons(r));
  if (rings.length === 0 || rings[0].length === 0) return [];
  const worlds = rings.flatMap((r) => r.map(([lon]) => worldOf(lon)));
  const lo = Math.min(...worlds);
  const hi = Math.max(...worlds);
  const move = (ring: readonly Position[], world: number): Position[] =>
    ring.map(([lon, lat]) => [lon - 360 * world, lat]);
  if (lo === hi) return [rings.map((r) => move(r, lo))];
  const out: Position[][][] = [];
  for (let world = lo; world <= hi; world++) {
    const west = -180 + 360 * world;
    const east = 180 + 360 * world;
    const parts = rings
      .map((r) => clipRing(clipRing(r, west, true), east, false))
      .map((r) => move(r, world));
    const [outer, ...holes] = parts;
    if (outer.length < 4 || ringArea2(outer) === 0) continue;
    out.push([outer, ...holes.filter((h) => h.length >= 4 && ringArea2(h) !== 0)]);
  }
  return out;
}

/**
 * A geometry as RFC 7946 would have it across the antimeridian: points wrapped into
 * [-180, 180), lines and polygons cut (a LineString that crosses becomes a MultiLineString, a
 * Polygon a MultiPolygon). Geometries that do not cross keep their type.
 */
export function cutAtAntimeridian(g: Geometry): Geometry {
  switch (g.type) {
    case 'Point': {
      const [lon, lat] = g.coordinates;
      return { type: 'Point', coordinates: [wrapLonDeg(lon), lat] };
    }
    case 'LineString': {
      const parts = cutLine(g.coordinates);
      return parts.length === 1
        ? { type: 'LineString', coordinates: parts[0] }
        : { type: 'MultiLineString', coordinates: parts };
    }
    case 'MultiLineString':
      return { type: 'MultiLineString', coordinates: g.coordinates.flatMap((l) => cutLine(l)) };
    case 'Polygon': {
      const parts = cutPolygon(g.coordinates);
      return parts.length === 1
        ? { type: 'Polygon', coordinates: parts[0] }
        : { type: 'MultiPolygon', coordinates: parts };
    }
    case 'MultiPolygon':
      return { type: 'MultiPolygon', coordinates: g.coordinates.flatMap((p) => cutPolygon(p)) };
  }
}
