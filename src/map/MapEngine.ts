/**
 * The small interface the UI draws through, so the map library is a setting: maplibre-gl
 * (default, offline, no token) or mapbox-gl (with the operator's token). createMapEngine.ts
 * loads the implementation chosen; this file holds only the types both engines implement.
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
  /** The basemap has been drawn for the first time (the map's 'load'): the map is on screen. */
  onDrawn?: () => void;
}
