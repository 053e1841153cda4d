/**
 * The TDoA layers' data (issue 12) as GeoJSON, from a TdoaResult, the stations' positions and the
 * offline towns. Pure, so it is unit-tested and shared by both map engines. The heat map itself
 * is an image (tdoaHeatImage.ts): 200k GeoJSON cells would be far too heavy for the map.
 */
import { ellipsePolygon } from '../core/ellipse';
import { wrapLonDeg } from '../core/geodesy';
import { nearestTown, townsInBox } from '../core/places/nearestTown';
import type { Town } from '../core/places/towns';
import type { Station, TdoaResult } from '../core/tdoa/types';
import { covFromEllipse, gridBounds, tdoaRegions } from '../core/tdoaRegions';
import { lonLatBounds } from './bounds';
import {
  featureCollection,
  pointFeature,
  type Feature,
  type FeatureCollection as Collection,
  type LineStringGeometry,
  type MultiPolygonGeometry,
  type PointGeometry,
  type Position,
} from '../core/geojson';

type Props = Record<string, string | number | boolean>;
export type TdoaPointFeature = Feature<PointGeometry, Props>;
export type TdoaRegionFeature = Feature<MultiPolygonGeometry, Props>;
export type TdoaLineFeature = Feature<LineStringGeometry, Props>;

/** The heat image and where it goes: corners top-left, top-right, bottom-right, bottom-left. */
export interface HeatImage {
  canvas: HTMLCanvasElement;
  coordinates: [Position, Position, Position, Position];
}

export interface TdoaLayerData {
  heat: HeatImage | null;
  /** 68 % and 95 % highest-posterior regions (property `p`); without a grid, the fitted ellipses. */
  regions: Collection<TdoaRegionFeature>;
  hyperbola: Collection<TdoaLineFeature>;
  /** kind: estimate | mode | model | station | station-excluded | town. */
  points: Collection<TdoaPointFeature>;
  /** DOM labels (text layers would need glyph files, which offline we lack). */
  labels: { text: string; position: Position; kind: 'station' | 'town' }[];
}

/** Towns labelled around a result: enough to read the map, few enough not to clutter it. */
export const MAX_TOWN_LABELS = 10;
/** Labelled towns stay this share of the box's diagonal apart, so their labels do not overlap. */
const MIN_TOWN_SPACING = 0.06;

const point = (lon: number, lat: number, properties: Props): TdoaPointFeature =>
  pointFeature(lon, lat, properties);
const collection = featureCollection;

export interface TdoaOverlayInput {
  result: TdoaResult;
  /** Positions of the result's stations (by id), from the station list or the recordings. */
  stations: readonly Station[];
  towns: readonly Town[];
  heat: HeatImage | null;
  /** The model's estimate of the same recordings, shown beside the TDoA one. */
  model?: { lat: number; lon: number };
}

export function buildTdoaOverlays(input: TdoaOverlayInput): TdoaLayerData {
  const { result } = input;
  const byId = new Map(input.stations.map((s) => [s.id, s]));
  const points: TdoaPointFeature[] = [];
  const labels: TdoaLayerData['labels'] = [];
  for (const use of result.stations) {
    const s = byId.get(use.id);
    if (!s) continue;
    points.push(point(s.lon, s.lat, { kind: use.used ? 'station' : 'station-excluded', id: s.id }));
    labels.push({
      text: use.used ? s.id : `${s.id} (excluded)`,
      position: [s.lon, s.lat],
      kind: 'station',
    });
  }
  for (const [i, m] of (result.modes ?? []).entries()) {
    points.push(point(m.lon, m.lat, { kind: 'mode', index: i + 1, weight: m.weight }));
  }
  if (result.lat !== undefined && result.lon !== undefined) {
    points.push(point(result.lon, result.lat, { kind: 'estimate' }));
  }
  if (input.model) points.push(point(input.model.lon, input.model.lat, { kind: 'model' }));

  const regions: TdoaRegionFeature[] = result.grid
    ? tdoaRegions(result.grid, result.modes).map((r) => ({
        type: 'Feature',
        geometry: { type: 'MultiPolygon', coordinates: r.coordinates },
        properties: { p: r.p },
      }))
    : result.lat !== undefined && result.lon !== undefined
      ? [...result.ellipses]
          .sort((a, b) => b.p - a.p)
          .map((e) => ({
            type: 'Feature' as const,
            geometry: {
              type: 'MultiPolygon' as const,
              coordinates: [
                [ellipsePolygon(result as { lat: number; lon: number }, covFromEllipse(e), e.p)],
              ],
            },
            properties: { p: e.p },
          }))
      : [];

  const hyperbola = result.hyperbola
    ? [
        {
          type: 'Feature' as const,
          geometry: { type: 'LineString' as const, coordinates: result.hyperbola },
          properties: { kind: 'hyperbola' },
        },
      ]
    : [];

  for (const t of labelledTowns(input)) {
    points.push(point(t.lon, t.lat, { kind: 'town', name: t.name }));
    labels.push({ text: t.name, position: [t.lon, t.lat], kind: 'town' });
  }
  return {
    heat: input.heat,
    regions: collection(regions),
    hyperbola: collection(hyperbola),
    points: collection(points),
    labels,
  };
}

/**
 * The nearest town to the estimate first, then the biggest towns on the result's grid (or among
 * its stations) that keep their distance from those already labelled.
 */
function labelledTowns(input: TdoaOverlayInput): Town[] {
  if (input.towns.length === 0) return [];
  const { result } = input;
  // The area the map first shows: the stations and the grid.
  const corners: Position[] = input.stations.map((st) => [st.lon, st.lat]);
  if (result.grid) {
    const g = gridBounds(result.grid);
    corners.push([g.west, g.south], [g.east, g.north]);
  }
  const bounds = lonLatBounds(corners);
  if (!bounds) return [];
  const [[west, south], [east, north]] = bounds;
  const box = { south, north, west, east };
  const picked: Town[] = [];
  if (result.lat !== undefined && result.lon !== undefined) {
    const near = nearestTown(input.towns, { lat: result.lat, lon: result.lon });
    if (near) picked.push(near.town);
  }
  const minDeg = MIN_TOWN_SPACING * Math.hypot(box.north - box.south, box.east - box.west);
  // Each further town keeps its distance from the labels already placed, the stations' own
  // included (a receiver in a town is the rule, not the exception).
  const taken: { lat: number; lon: number }[] = [...picked, ...input.stations];
  const apart = (t: Town) =>
    taken.every((p) => Math.hypot(p.lat - t.lat, wrapLonDeg(p.lon - t.lon)) >= minDeg);
  for (const t of townsInBox(input.towns, box, input.towns.length)) {
    if (picked.length >= MAX_TOWN_LABELS) break;
    if (apart(t)) {
      picked.push(t);
      taken.push(t);
    }
  }
  return picked;
}

/**
 * [[west, south], [east, north]] around the stations, the estimate and the regions; with
 * `regionOnly`, around the estimate, the modes, the regions and the hyperbola (a close look).
 */
export function tdoaBounds(data: TdoaLayerData, regionOnly = false): [Position, Position] | null {
  const skip = regionOnly ? ['town', 'station', 'station-excluded', 'model'] : ['town'];
  const all: Position[] = data.points.features
    .filter((f) => !skip.includes(String(f.properties.kind)))
    .map((f) => f.geometry.coordinates);
  for (const f of data.regions.features)
    for (const poly of f.geometry.coordinates) for (const ring of poly) all.push(...ring);
  for (const f of data.hyperbola.features) all.push(...f.geometry.coordinates);
  return lonLatBounds(all);
}
