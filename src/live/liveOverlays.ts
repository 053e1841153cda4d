/**
 * The live map's overlays in the map adapter's format (src/map/overlays.ts): the current estimate
 * with its 68 % and 95 % ellipses, the recent track fading with age (the history layer's `age`,
 * 0 newest .. 1 oldest), the receivers, and the simulated transmitter's true position.
 */
import { ELLIPSE_PROBABILITIES, ellipsePolygon } from '../core/ellipse';
import { featureCollection, pointFeature } from '../core/geojson';
import type { OverlayData, PointFeature, PolygonFeature } from '../map/overlays';
import type { LiveEstimate, TruthPoint } from '../state/liveTypes';

/** Estimates older than this (capture time, behind the newest) are fully faded. */
export const TRACK_FADE_MS = 40_000;

type Place = { lat: number; lon: number };

const point = (p: Place, properties: PointFeature['properties']): PointFeature =>
  pointFeature(p.lon, p.lat, properties);
const collection = featureCollection;

export function buildLiveOverlays(
  receivers: readonly (Place & { receiverId: string; name: string })[],
  estimates: readonly LiveEstimate[],
  truth: TruthPoint | undefined,
  fadeMs = TRACK_FADE_MS,
): OverlayData {
  const current = estimates.at(-1);
  const newestEnd = current?.windowEndMs ?? 0;
  const track = estimates
    .slice(0, -1)
    .filter((e) => newestEnd - e.windowEndMs <= fadeMs)
    .map((e) =>
      point(e, {
        sceneId: `live-${e.windowStartMs}`,
        age: Math.min(1, Math.max(0, (newestEnd - e.windowEndMs) / fadeMs)),
      }),
    );
  const probabilities = [...ELLIPSE_PROBABILITIES].sort((a, b) => b - a);
  return {
    receivers: collection(receivers.map((r) => point(r, { id: r.receiverId, name: r.name }))),
    estimate: collection(
      current ? [point(current, { sceneId: `live-${current.windowStartMs}` })] : [],
    ),
    ellipses: collection(
      current
        ? probabilities.map((p): PolygonFeature => ({
            type: 'Feature',
            geometry: { type: 'Polygon', coordinates: [ellipsePolygon(current, current.cov, p)] },
            properties: { p, sceneId: `live-${current.windowStartMs}` },
          }))
        : [],
    ),
    truth: collection(truth ? [point(truth, { sceneId: 'live-truth', keyed: truth.keyed })] : []),
    history: collection(track),
  };
}
