/**
 * The offline basemap: Natural Earth 1:50m land and country borders, shipped in the world-atlas
 * npm package as TopoJSON (public domain). 1:50m places coastlines within a few kilometres, well
 * inside the tens-of-kilometres ellipses the estimates carry. 1:10m (also in world-atlas) kept the
 * map blank while maplibre tiled 3.6 MB of world polygons: first paint with receivers 5.7-7.6 s
 * against 1.7-2.5 s for 1:50m (headless Chromium, 2 cores). Loaded lazily (its own ~0.75 MB chunk) and converted to GeoJSON once.
 *
 * TopoJSON is spherical: a ring that crosses the antimeridian (Eurasia at Chukotka, Wrangel
 * Island, Fiji) steps from +180 to -180 degrees. On a flat map that step is an edge across the
 * whole world, and the land fill drew bands and blocks over the Arctic and the Pacific whenever
 * the map was zoomed out to a continent. Such rings are unwrapped (longitudes continued past 180,
 * which maplibre draws into the neighbouring copy of the world), and lines are split at the step
 * (and lose the edges along the antimeridian where the data cut land in two).
 * A ring that crosses an odd number of times goes round a pole (Antarctica) and is left as it is.
 */
import { feature, mesh } from 'topojson-client';
import type { Feature, FeatureCollection, MultiLineString, Position } from 'geojson';
import type { GeometryCollection, Topology } from 'topojson-specification';
import { continuousLons } from '../core/antimeridian';

export interface Basemap {
  land: FeatureCollection;
  /** Land borders between countries (coastlines excluded: the land fill already shows them). */
  borders: MultiLineString;
  /** Coastlines: the outline of land. */
  coast: MultiLineString;
}

type Countries = Topology<{ countries: GeometryCollection; land: GeometryCollection }>;

let cached: Promise<Basemap> | null = null;

export function loadBasemap(): Promise<Basemap> {
  if (!cached) {
    cached = import('world-atlas/countries-50m.json').then((m) => {
      const topo = m.default as unknown as Countries;
      return {
        land: mendLand(feature(topo, topo.objects.land)),
        borders: splitLines(mesh(topo, topo.objects.countries, (a, b) => a !== b)),
        coast: splitLines(mesh(topo, topo.objects.land, (a, b) => a === b)),
      };
    });
  }
  return cached;
}

/** Attribution shown on the map, as the data's licence asks nothing but courtesy requires. */
export const BASEMAP_ATTRIBUTION = 'Natural Earth (public domain), via world-atlas';

/** A step between consecutive points longer than this (degrees of longitude) crosses the antimeridian. */
const WRAP_STEP_DEG = 180;

function crossings(line: readonly Position[]): number {
  let n = 0;
  for (let i = 1; i < line.length; i++)
    if (Math.abs(line[i][0] - line[i - 1][0]) > WRAP_STEP_DEG) n++;
  return n;
}

/**
 * A ring with its longitudes continued across the antimeridian (each step under 180 degrees), so
 * it closes where it began; a ring round a pole (an odd number of crossings) is returned as it is.
 */
export function unwrapRing(ring: readonly Position[]): Position[] {
  const n = crossings(ring);
  return n === 0 || n % 2 === 1 ? ring.slice() : continuousLons(ring);
}

/**
 * Lines cut where they step across the antimeridian, and without the edges Natural Earth draws
 * along it where it cuts land in two (Fiji, Chukotka, Antarctica): no coast is there.
 */
export function splitLines(lines: MultiLineString): MultiLineString {
  const out: Position[][] = [];
  const cut = (a: Position, b: Position) =>
    Math.abs(b[0] - a[0]) > WRAP_STEP_DEG || (Math.abs(a[0]) === 180 && b[0] === a[0]);
  for (const line of lines.coordinates) {
    let piece: Position[] = [];
    line.forEach((p, i) => {
      if (i > 0 && cut(line[i - 1], p)) {
        if (piece.length > 1) out.push(piece);
        piece = [];
      }
      piece.push(p);
    });
    if (piece.length > 1) out.push(piece);
  }
  return { ...lines, coordinates: out };
}

/** Every land ring that crosses the antimeridian unwrapped (unwrapRing). */
export function mendLand(land: FeatureCollection): FeatureCollection {
  const mend = (f: Feature): Feature => {
    const g = f.geometry;
    if (g.type === 'Polygon')
      return { ...f, geometry: { ...g, coordinates: g.coordinates.map(unwrapRing) } };
    if (g.type === 'MultiPolygon')
      return {
        ...f,
        geometry: { ...g, coordinates: g.coordinates.map((poly) => poly.map(unwrapRing)) },
      };
    return f;
  };
  return { ...land, features: land.features.map(mend) };
}
