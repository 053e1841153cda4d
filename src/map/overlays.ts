/**
 * The map's overlay data as GeoJSON, built from the store's plain data. Pure, so it is unit-tested
 * and shared by both map engines. Ellipses come from src/core/ellipse.ts (geodesic rings).
 */
import { ELLIPSE_PROBABILITIES, ellipsePolygon } from '../core/ellipse';
import type { LatLon } from '../core/geodesy';
import {
  featureCollection,
  pointFeature,
  type Feature,
  type FeatureCollection,
  type PointGeometry,
  type PolygonGeometry,
  type Position,
} from '../core/geojson';

export type { Position };
import type { Station } from '../core/scene/types';
import type { Prediction, SceneView } from '../state/types';
import { lonLatBounds } from './bounds';

type Props = Record<string, string | number | boolean>;
export type PointFeature = Feature<PointGeometry, Props>;
export type PolygonFeature = Feature<PolygonGeometry, Props>;
export type Collection<F> = FeatureCollection<F>;

export interface OverlayData {
  receivers: Collection<PointFeature>;
  /** The selected scene's estimate. */
  estimate: Collection<PointFeature>;
  /** 68 % and 95 % ellipses of the selected estimate; property `p`. */
  ellipses: Collection<PolygonFeature>;
  /** Truth of the selected scene, when known. */
  truth: Collection<PointFeature>;
  /** Every other scene's estimate, oldest first; property `sceneId`, `age` 0 (newest)..1. */
  history: Collection<PointFeature>;
}

export const OVERLAY_SOURCES = ['receivers', 'history', 'ellipses', 'truth', 'estimate'] as const;
export type OverlaySource = (typeof OVERLAY_SOURCES)[number];

const point = (p: LatLon, properties: Props): PointFeature =>
  pointFeature(p.lon, p.lat, properties);
const collection = featureCollection;

export function buildOverlays(
  receivers: readonly Station[],
  scenes: readonly SceneView[],
  predictions: Readonly<Record<string, Prediction>>,
  selectedSceneId: string | null,
): OverlayData {
  const selected = selectedSceneId ? predictions[selectedSceneId] : undefined;
  const selectedScene = scenes.find((s) => s.id === selectedSceneId);
  const others = scenes
    .filter((s) => s.id !== selectedSceneId && predictions[s.id])
    .sort((a, b) => a.captureTimeMs - b.captureTimeMs);
  // Descending so the 95 % ring is drawn first and the 68 % ring paints over it.
  const probabilities = [...ELLIPSE_PROBABILITIES].sort((a, b) => b - a);
  return {
    receivers: collection(receivers.map((r) => point(r, { id: r.id, name: r.name ?? r.id }))),
    estimate: collection(selected ? [point(selected, { sceneId: selected.sceneId })] : []),
    ellipses: collection(
      selected
        ? probabilities.map((p): PolygonFeature => ({
            type: 'Feature',
            geometry: { type: 'Polygon', coordinates: [ellipsePolygon(selected, selected.cov, p)] },
            properties: { p, sceneId: selected.sceneId },
          }))
        : [],
    ),
    truth: collection(
      selectedScene?.truth ? [point(selectedScene.truth, { sceneId: selectedScene.id })] : [],
    ),
    history: collection(
      others.map((s, i) =>
        point(predictions[s.id], {
          sceneId: s.id,
          age: others.length > 1 ? 1 - i / (others.length - 1) : 0,
        }),
      ),
    ),
  };
}

/**
 * The overlays to fit the view to while a scene is selected: its own receivers, not every station
 * of every scene (scenes of other networks may be continents away), and the past estimates of
 * the scenes that share a receiver with it. For the fixed network's demo this is everything.
 */
export function focusOverlays(
  data: OverlayData,
  selected: SceneView,
  scenes: readonly SceneView[],
): OverlayData {
  const ids = new Set(selected.receivers.map((r) => r.id));
  const near = new Set(
    scenes.filter((s) => s.receivers.some((r) => ids.has(r.id))).map((s) => s.id),
  );
  const keep = <F extends PointFeature>(c: Collection<F>, ok: (f: F) => boolean) =>
    collection(c.features.filter(ok));
  return {
    ...data,
    receivers: keep(data.receivers, (f) => ids.has(String(f.properties.id))),
    history: keep(data.history, (f) => near.has(String(f.properties.sceneId))),
  };
}

/** [[west, south], [east, north]] around every point and ring of the overlays (bounds.ts); null when empty. */
export function overlayBounds(data: OverlayData): [Position, Position] | null {
  const points: Position[] = [];
  for (const c of [data.receivers, data.estimate, data.truth, data.history]) {
    for (const f of c.features) points.push(f.geometry.coordinates);
  }
  for (const f of data.ellipses.features) points.push(...f.geometry.coordinates[0]);
  return lonLatBounds(points);
}
