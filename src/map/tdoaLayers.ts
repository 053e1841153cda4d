/**
 * The TDoA layers (issue 12) in the style-spec dialect maplibre-gl and mapbox-gl share, and how
 * they are put on a map and updated. The heat image sits under everything, the regions and the
 * hyperbola under the model's overlays, the TDoA points above them.
 */
import type { TdoaLayerData } from './tdoaOverlays';
import { MAP_COLORS as C } from './theme';

/** What this module needs of a map (both libraries have it). */
export interface TdoaGlMap {
  addSource(id: string, source: object): unknown;
  getSource(id: string): unknown;
  removeSource(id: string): unknown;
  addLayer(layer: object, beforeId?: string): unknown;
  getLayer(id: string): unknown;
  removeLayer(id: string): unknown;
  once(type: string, handler: () => void): unknown;
}

const SOURCES = ['tdoa-regions', 'tdoa-hyperbola', 'tdoa-points'] as const;
const HEAT_SOURCE = 'tdoa-heat';
const HEAT_LAYER = 'tdoa-heat';

const kind = (k: string) => ['==', ['get', 'kind'], k];

/** Drawn below the model's overlays (before the first of them). */
const UNDER_LAYERS = [
  {
    id: 'tdoa-region-95-fill',
    type: 'fill',
    source: 'tdoa-regions',
    filter: ['==', ['get', 'p'], 0.95],
    paint: { 'fill-color': C.tdoaRegion95, 'fill-opacity': 0.06 },
  },
  {
    id: 'tdoa-region-95-line',
    type: 'line',
    source: 'tdoa-regions',
    filter: ['==', ['get', 'p'], 0.95],
    paint: { 'line-color': C.tdoaRegion95, 'line-width': 1.5, 'line-dasharray': [3, 2] },
  },
  {
    id: 'tdoa-region-68-line',
    type: 'line',
    source: 'tdoa-regions',
    filter: ['==', ['get', 'p'], 0.68],
    paint: { 'line-color': C.tdoaRegion68, 'line-width': 2 },
  },
  {
    id: 'tdoa-hyperbola',
    type: 'line',
    source: 'tdoa-hyperbola',
    paint: { 'line-color': C.tdoaHyperbola, 'line-width': 2.5 },
  },
];

/** Drawn above the model's overlays. */
const OVER_LAYERS = [
  {
    id: 'tdoa-towns',
    type: 'circle',
    source: 'tdoa-points',
    filter: kind('town'),
    paint: { 'circle-radius': 2.5, 'circle-color': C.town, 'circle-opacity': 0.8 },
  },
  {
    id: 'tdoa-stations',
    type: 'circle',
    source: 'tdoa-points',
    filter: ['any', kind('station'), kind('station-excluded')],
    paint: {
      'circle-radius': 7,
      'circle-color': ['case', kind('station'), C.receiver, C.stationExcluded],
      'circle-stroke-color': C.receiverHalo,
      'circle-stroke-width': 2,
    },
  },
  {
    id: 'tdoa-model',
    type: 'circle',
    source: 'tdoa-points',
    filter: kind('model'),
    paint: {
      'circle-radius': 6,
      'circle-color': C.estimate,
      'circle-stroke-color': '#ffffff',
      'circle-stroke-width': 2,
    },
  },
  {
    id: 'tdoa-modes',
    type: 'circle',
    source: 'tdoa-points',
    filter: kind('mode'),
    paint: {
      'circle-radius': 9,
      'circle-color': 'rgba(0,0,0,0)',
      'circle-stroke-color': C.tdoaEstimate,
      'circle-stroke-width': 2.5,
    },
  },
  {
    id: 'tdoa-estimate',
    type: 'circle',
    source: 'tdoa-points',
    filter: kind('estimate'),
    paint: {
      'circle-radius': 6,
      'circle-color': C.tdoaEstimate,
      'circle-stroke-color': '#ffffff',
      'circle-stroke-width': 2,
    },
  },
];

const empty = { type: 'FeatureCollection', features: [] };

/** What the heat map's canvas source offers (maplibre-gl and mapbox-gl alike). */
interface HeatSource {
  getCanvas(): HTMLCanvasElement;
  /** play() then pause() uploads the canvas once (pause prepares the texture while playing). */
  play(): void;
  pause(): void;
}

/** What each map's TDoA sources hold (JSON): a source given equal data again is left alone. */
const applied = new WeakMap<TdoaGlMap, Map<string, string>>();

/** Adds the sources and layers once the style has loaded; `under` is the first model layer. */
export function addTdoaLayers(map: TdoaGlMap, under: string | undefined): void {
  for (const id of SOURCES) map.addSource(id, { type: 'geojson', data: empty });
  applied.set(map, new Map(SOURCES.map((id) => [id, JSON.stringify(empty)])));
  for (const layer of UNDER_LAYERS) map.addLayer(layer, under);
  for (const layer of OVER_LAYERS) map.addLayer(layer);
}

/**
 * Shows the data (null clears it). `onDrawn` runs once the map has drawn it (its next idle), so
 * callers can time a result from the drop to the screen. A GeoJSON source whose data did not
 * change (the hyperbola of a result that has none) is not set again: every setData re-tiles it
 * in the map's worker and costs a repaint. The heat image is always replaced, so the map always
 * draws and goes idle.
 */
export function applyTdoaLayers(
  map: TdoaGlMap,
  data: TdoaLayerData | null,
  onDrawn?: () => void,
): void {
  if (!applied.has(map)) applied.set(map, new Map());
  const held = applied.get(map)!;
  const set = (id: string, d: unknown) => {
    const json = JSON.stringify(d);
    const source = map.getSource(id) as { setData(d: unknown): void } | undefined;
    if (!source || held.get(id) === json) return;
    held.set(id, json);
    source.setData(d);
  };
  set('tdoa-regions', data?.regions ?? empty);
  set('tdoa-hyperbola', data?.hyperbola ?? empty);
  set('tdoa-points', data?.points ?? empty);
  const heat = data?.heat ?? null;
  const corners = heat ? JSON.stringify(heat.coordinates) : '';
  const shown = map.getLayer(HEAT_LAYER) ? (map.getSource(HEAT_SOURCE) as HeatSource) : undefined;
  if (heat && shown && held.get(HEAT_SOURCE) === corners) {
    // The same place (the same recordings again, another station list): the new pixels go into
    // the source's own canvas, which pause() uploads, and the map draws once. A new source takes
    // two software-rendered frames (its tile loads, then draws): scripts/trace-tdoa.ts.
    copyCanvas(heat.canvas, shown.getCanvas());
    shown.play();
    shown.pause();
    if (onDrawn) map.once('idle', onDrawn);
    return;
  }
  // A canvas source reads its canvas once (animate: false): a heat map elsewhere is a new source.
  if (map.getLayer(HEAT_LAYER)) map.removeLayer(HEAT_LAYER);
  if (map.getSource(HEAT_SOURCE)) map.removeSource(HEAT_SOURCE);
  held.set(HEAT_SOURCE, corners);
  if (heat) {
    map.addSource(HEAT_SOURCE, {
      type: 'canvas',
      // A canvas of the source's own: the in-place update above writes to it, never to a canvas
      // some result's layer data still holds.
      canvas: copyCanvas(heat.canvas, document.createElement('canvas')),
      coordinates: heat.coordinates,
      animate: false,
    });
    map.addLayer(
      {
        id: HEAT_LAYER,
        type: 'raster',
        source: HEAT_SOURCE,
        paint: { 'raster-opacity': 0.85, 'raster-fade-duration': 0 },
      },
      UNDER_LAYERS[0].id,
    );
  }
  if (onDrawn) map.once('idle', onDrawn);
}

/** `to` resized to `from` and painted with it; returns `to`. */
function copyCanvas(from: HTMLCanvasElement, to: HTMLCanvasElement): HTMLCanvasElement {
  to.width = from.width;
  to.height = from.height;
  to.getContext('2d')?.drawImage(from, 0, 0);
  return to;
}
