/**
 * The offline basemap: Natural Earth 1:50m land and country borders, shipped in the world-atlas
 * npm package as TopoJSON (public domain). 1:50m places coastlines within a few kilometres, well
 * inside the tens-of-kilometres ellipses the estimates carry. 1:10m (also in world-atlas) kept the
 * map blank while maplibre tiled 3.6 MB of world polygons: first paint with receivers 5.7-7.6 s
 * against 1.7-2.5 s for 1:50m (headless Chromium, 2 cores). Loaded lazily (its own ~0.75 MB chunk) and converted to GeoJSON once.
 */
import { feature, mesh } from 'topojson-client';
import type { FeatureCollection, MultiLineString } from 'geojson';
import type { GeometryCollection, Topology } from 'topojson-specification';

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
        land: feature(topo, topo.objects.land),
        borders: mesh(topo, topo.objects.countries, (a, b) => a !== b),
        coast: mesh(topo, topo.objects.land, (a, b) => a === b),
      };
    });
  }
  return cached;
}

/** Attribution shown on the map, as the data's licence asks nothing but courtesy requires. */
export const BASEMAP_ATTRIBUTION = 'Natural Earth (public domain), via world-atlas';
