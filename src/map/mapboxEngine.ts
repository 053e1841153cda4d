/**
 * mapbox-gl with Mapbox's own light basemap, for operators who have a Mapbox token (Mapbox's
 * terms apply). Without a valid token mapbox-gl blanks the canvas, so we refuse to start without one.
 */
import mapboxgl from 'mapbox-gl';
import 'mapbox-gl/dist/mapbox-gl.css';
import { HeimdallError } from '../core/errors';
import { glMapEngine, LABEL_OFFSET_PX, type GlMap, type GlMarker } from './glEngine';
import type { MapEngine, MapEngineOptions } from './MapEngine';

const MAPBOX_STYLE = 'mapbox://styles/mapbox/dark-v11';

export async function createMapboxEngine(options: MapEngineOptions): Promise<MapEngine> {
  const token = options.mapboxToken?.trim();
  if (!token) {
    throw new HeimdallError(
      'ConfigError',
      'the Mapbox engine needs a Mapbox access token (Settings)',
    );
  }
  const map = new mapboxgl.Map({
    container: options.container,
    accessToken: token,
    style: MAPBOX_STYLE,
    center: [10, 47],
    zoom: 3.2,
    projection: 'mercator',
  });
  map.addControl(new mapboxgl.NavigationControl({ showCompass: false }), 'top-right');
  map.addControl(new mapboxgl.ScaleControl({ unit: 'metric' }), 'bottom-right');
  return glMapEngine(
    'mapbox',
    map as unknown as GlMap,
    (element) =>
      new mapboxgl.Marker({
        element,
        anchor: 'left',
        offset: [LABEL_OFFSET_PX, 0],
      }) as unknown as GlMarker,
    options,
  );
}
