/**
 * Overlay layers in the style-spec dialect maplibre-gl and mapbox-gl share. Circle radii are
 * pixels; metric shapes (the ellipses) are polygons in the data.
 */
import { OVERLAY_SOURCES, type OverlaySource } from './overlays';
import { MAP_COLORS as C } from './theme';

export interface OverlayLayer {
  id: string;
  type: 'fill' | 'line' | 'circle';
  source: OverlaySource;
  filter?: unknown[];
  paint: Record<string, unknown>;
  layout?: Record<string, unknown>;
}

export const HISTORY_LAYER_ID = 'history-points';

export const OVERLAY_LAYERS: readonly OverlayLayer[] = [
  {
    id: 'ellipse-95-fill',
    type: 'fill',
    source: 'ellipses',
    filter: ['==', ['get', 'p'], 0.95],
    paint: { 'fill-color': C.ellipse95, 'fill-opacity': 0.1 },
  },
  {
    id: 'ellipse-95-line',
    type: 'line',
    source: 'ellipses',
    filter: ['==', ['get', 'p'], 0.95],
    paint: { 'line-color': C.ellipse95, 'line-width': 1.5, 'line-dasharray': [3, 2] },
  },
  {
    id: 'ellipse-68-fill',
    type: 'fill',
    source: 'ellipses',
    filter: ['==', ['get', 'p'], 0.68],
    paint: { 'fill-color': C.ellipse68, 'fill-opacity': 0.22 },
  },
  {
    id: 'ellipse-68-line',
    type: 'line',
    source: 'ellipses',
    filter: ['==', ['get', 'p'], 0.68],
    paint: { 'line-color': C.ellipse68, 'line-width': 2 },
  },
  {
    id: HISTORY_LAYER_ID,
    type: 'circle',
    source: 'history',
    paint: {
      'circle-radius': 5,
      'circle-color': C.history,
      'circle-opacity': ['interpolate', ['linear'], ['get', 'age'], 0, 0.95, 1, 0.4],
      'circle-stroke-color': C.receiverHalo,
      'circle-stroke-width': 1,
    },
  },
  {
    id: 'receivers',
    type: 'circle',
    source: 'receivers',
    paint: {
      'circle-radius': 7,
      'circle-color': C.receiver,
      'circle-stroke-color': C.receiverHalo,
      'circle-stroke-width': 2,
    },
  },
  {
    id: 'truth',
    type: 'circle',
    source: 'truth',
    paint: {
      'circle-radius': 8,
      'circle-color': 'rgba(0,0,0,0)',
      'circle-stroke-color': C.truth,
      'circle-stroke-width': 3,
    },
  },
  {
    id: 'estimate',
    type: 'circle',
    source: 'estimate',
    paint: {
      'circle-radius': 6,
      'circle-color': C.estimate,
      'circle-stroke-color': '#ffffff',
      'circle-stroke-width': 2,
    },
  },
];

export { OVERLAY_SOURCES };
