/**
 * Creates the map engine chosen in the settings. Each implementation is loaded lazily, so the one
 * not in use costs nothing. Kept apart from MapEngine.ts, whose types the engines import: the
 * factory imports the engines, so in one file the two would import each other.
 */
import type { MapEngineKind } from '../state/types';
import type { MapEngine, MapEngineOptions } from './MapEngine';

export async function createMapEngine(
  kind: MapEngineKind,
  options: MapEngineOptions,
): Promise<MapEngine> {
  if (kind === 'mapbox') {
    const { createMapboxEngine } = await import('./mapboxEngine');
    return createMapboxEngine(options);
  }
  const { createMaplibreEngine } = await import('./maplibreEngine');
  return createMaplibreEngine(options);
}
