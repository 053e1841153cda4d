/**
 * The small interface the UI draws through, so the map library is a setting: maplibre-gl
 * (default, offline, no token) or mapbox-gl (with the operator's token). Each implementation is
 * loaded lazily, so the one not in use costs nothing.
 */
import type { MapEngineKind } from '../state/types';
import type { OverlayData, Position } from './overlays';
import type { TdoaLayerData } from './tdoaOverlays';

export interface MapEngine {
  readonly kind: MapEngineKind;
  setOverlays(data: OverlayData): void;
  /** The TDoA heat map, regions, hyperbola, stations and towns (null clears them); `onDrawn` runs once drawn. */
  setTdoa(data: TdoaLayerData | null, onDrawn?: () => void): void;
  fitBounds(bounds: [Position, Position]): void;
  resize(): void;
  destroy(): void;
}

export interface MapEngineOptions {
  container: HTMLElement;
  mapboxToken?: string;
  /** The operator clicked a past estimate. */
  onSelectScene: (sceneId: string) => void;
  /** The engine failed after creation (a bad Mapbox token, a lost WebGL context). */
  onError: (message: string) => void;
}

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
