/** maplibre-gl with the offline Natural Earth basemap: no network, no token. */
import * as maplibregl from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import 'maplibre-gl/dist/maplibre-gl.css';
import { BASEMAP_ATTRIBUTION, loadBasemap } from './basemap';
import { glMapEngine, LABEL_OFFSET_PX, type GlMap, type GlMarker } from './glEngine';
import type { MapEngine, MapEngineOptions } from './MapEngine';
import { MAP_COLORS as C } from './theme';

// Vite does not bundle maplibre's worker by itself; hand it the emitted file.
maplibregl.setWorkerUrl(workerUrl);

/** Where the map opens before any receiver is known: the whole of Europe. */
const INITIAL_VIEW = { center: [10, 47] as [number, number], zoom: 3.2 };

export async function createMaplibreEngine(options: MapEngineOptions): Promise<MapEngine> {
  const basemap = await loadBasemap();
  const map = new maplibregl.Map({
    container: options.container,
    ...INITIAL_VIEW,
    attributionControl: { compact: false, customAttribution: BASEMAP_ATTRIBUTION },
    style: {
      version: 8,
      sources: {
        land: { type: 'geojson', data: basemap.land },
        borders: { type: 'geojson', data: basemap.borders },
        coast: { type: 'geojson', data: basemap.coast },
      },
      layers: [
        { id: 'water', type: 'background', paint: { 'background-color': C.water } },
        { id: 'land', type: 'fill', source: 'land', paint: { 'fill-color': C.land } },
        {
          id: 'coast',
          type: 'line',
          source: 'coast',
          paint: { 'line-color': C.coast, 'line-width': 1 },
        },
        {
          id: 'borders',
          type: 'line',
          source: 'borders',
          paint: { 'line-color': C.border, 'line-width': 1, 'line-dasharray': [4, 2] },
        },
      ],
    },
  });
  map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-right');
  map.addControl(new maplibregl.ScaleControl({ unit: 'metric' }), 'bottom-right');
  return glMapEngine(
    'maplibre',
    map as unknown as GlMap,
    (element) =>
      new maplibregl.Marker({
        element,
        anchor: 'left',
        offset: [LABEL_OFFSET_PX, 0],
      }) as unknown as GlMarker,
    options,
  );
}
