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
  // The basemap's chunk comes beside the engine's, not after it: fetched one after the other they
  // took 0.5 + 0.25 s of a repeat visit's map start at load 8 (`npx tsx scripts/trace-start.ts`).
  const [{ createMaplibreEngine }] = await Promise.all([
    import('./maplibreEngine'),
    import('./basemap').then((m) => m.loadBasemap()),
  ]);
  return createMaplibreEngine(options);
}
