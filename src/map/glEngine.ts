/**
 * The MapEngine over any map object speaking the style-spec API maplibre-gl and mapbox-gl share.
 * The two libraries' TypeScript types differ in detail, so each engine file hands its map in
 * through this narrow structural view (one cast there, checked by the e2e tests at run time).
 */
import type { MapEngineKind } from '../state/types';
import type { MapEngine, MapEngineOptions } from './MapEngine';
import { declutter } from './declutter';
import { HISTORY_LAYER_ID, OVERLAY_LAYERS } from './overlayLayers';
import { OVERLAY_SOURCES, type OverlayData, type Position } from './overlays';
import { addTdoaLayers, applyTdoaLayers, type TdoaGlMap } from './tdoaLayers';
import type { TdoaLayerData } from './tdoaOverlays';

type Handler = (e: {
  features?: { properties?: Record<string, unknown> | null }[];
  error?: unknown;
  /** Set on camera events the operator caused (drag, wheel), absent on ours. */
  originalEvent?: unknown;
}) => void;

export interface GlMap {
  on(type: string, handler: Handler): unknown;
  on(type: string, layerId: string, handler: Handler): unknown;
  addSource(id: string, source: object): unknown;
  getSource(id: string): unknown;
  addLayer(layer: object): unknown;
  fitBounds(bounds: [Position, Position], options: object): unknown;
  resize(): unknown;
  remove(): void;
  getCanvas(): HTMLCanvasElement;
  /** Screen position of a longitude-latitude, CSS pixels from the map's top-left. */
  project(p: Position): { x: number; y: number };
}

export interface GlMarker {
  setLngLat(p: Position): GlMarker;
  addTo(map: GlMap): GlMarker;
  remove(): unknown;
}

export type MarkerFactory = (element: HTMLElement) => GlMarker;
/** Where a label's box starts from its point: markers are anchored left, 10 px to the right. */
export const LABEL_OFFSET_PX = 10;

/** Room around fitted content for the controls, the legend (bottom) and the receivers' labels (right). */
const FIT_PADDING_PX = { top: 60, bottom: 110, left: 60, right: 140 };
/** Don't zoom into a single point further than a town's scale. */
const FIT_MAX_ZOOM = 11;

export function glMapEngine(
  kind: MapEngineKind,
  map: GlMap,
  makeMarker: MarkerFactory,
  options: MapEngineOptions,
): MapEngine {
  let loaded = false;
  let pending: OverlayData | null = null;
  let labelKey = '';
  let tdoaPending: { data: TdoaLayerData | null; onDrawn?: () => void } | null = null;
  // Receiver labels (the model's scene) and TDoA labels (stations, towns) share one set of DOM
  // markers, so a station both layers show is labelled once, by the receivers' overlay.
  let receiverLabels: TdoaLayerData['labels'] = [];
  let tdoaLabels: TdoaLayerData['labels'] = [];
  let markers: GlMarker[] = [];
  let placed: {
    el: HTMLElement;
    position: Position;
    keep: boolean;
    size?: { w: number; h: number };
  }[] = [];
  let declutterFrame = 0;
  // Towns whose label would cover another's are hidden for the current view (declutter.ts). Once
  // a frame at most, in the frame's own animation callback: a label's size is read there once
  // (the layout the frame does anyway), not forced in the middle of drawing a result.
  const declutterLabels = () => {
    declutterFrame = 0;
    const boxes = placed.map((l) => {
      // Zero while the map is not laid out (a hidden view): read again next time.
      if (!l.size || l.size.w === 0) l.size = { w: l.el.offsetWidth, h: l.el.offsetHeight };
      const p = map.project(l.position);
      const { w, h } = l.size;
      return { x: p.x + LABEL_OFFSET_PX, y: p.y - h / 2, w, h, keep: l.keep };
    });
    declutter(boxes).forEach((show, i) => {
      placed[i].el.style.visibility = show ? '' : 'hidden';
    });
  };
  const scheduleDeclutter = () => {
    if (placed.length > 0 && declutterFrame === 0) {
      declutterFrame = requestAnimationFrame(declutterLabels);
    }
  };
  const drawLabels = () => {
    for (const m of markers) m.remove();
    const at = (p: readonly number[]) => p.map((v) => v.toFixed(5)).join(',');
    const receiverAt = new Set(receiverLabels.map((l) => at(l.position)));
    const shown = [
      ...receiverLabels,
      ...tdoaLabels.filter((l) => l.kind === 'town' || !receiverAt.has(at(l.position))),
    ];
    placed = [];
    markers = shown.map((l) => {
      const el = document.createElement('div');
      el.className = l.kind === 'town' ? 'map-label map-label-town' : 'map-label';
      el.textContent = l.text;
      placed.push({ el, position: l.position, keep: l.kind !== 'town' });
      return makeMarker(el).setLngLat(l.position).addTo(map);
    });
    scheduleDeclutter();
  };
  // The bounds the camera was last fitted to, until the operator moves it or the map resizes:
  // fitting to them again would change nothing but still cost the map a full repaint.
  let fitted = '';

  const applyTdoa = (data: TdoaLayerData | null, onDrawn?: () => void) => {
    applyTdoaLayers(map as unknown as TdoaGlMap, data, onDrawn);
    tdoaLabels = data?.labels ?? [];
    drawLabels();
  };

  // What each overlay source holds: a source given the same features again is left alone, since
  // every setData makes the map re-tile the source and repaint (hundreds of milliseconds on a
  // software renderer; the page hands over equal overlays whenever its scenes are rebuilt).
  const applied = new Map<string, string>();
  const apply = (data: OverlayData) => {
    for (const id of OVERLAY_SOURCES) {
      const src = map.getSource(id) as { setData(d: unknown): void } | undefined;
      const json = JSON.stringify(data[id]);
      if (!src || applied.get(id) === json) continue;
      applied.set(id, json);
      src.setData(data[id]);
    }
    // Receiver names are DOM labels: text layers would need glyph files, which offline we lack.
    const key = JSON.stringify(
      data.receivers.features.map((f) => [f.properties.id, f.geometry.coordinates]),
    );
    if (key === labelKey) return;
    labelKey = key;
    receiverLabels = data.receivers.features.map((f) => ({
      text: String(f.properties.name),
      position: f.geometry.coordinates,
      kind: 'station' as const,
    }));
    drawLabels();
  };

  map.on('load', () => {
    for (const id of OVERLAY_SOURCES) {
      map.addSource(id, { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
    }
    for (const layer of OVERLAY_LAYERS) map.addLayer(layer);
    addTdoaLayers(map as unknown as TdoaGlMap, OVERLAY_LAYERS[0]?.id);
    loaded = true;
    if (pending) apply(pending);
    if (tdoaPending) applyTdoa(tdoaPending.data, tdoaPending.onDrawn);
    options.onDrawn?.();
  });
  map.on('click', HISTORY_LAYER_ID, (e) => {
    const id = e.features?.[0]?.properties?.sceneId;
    if (typeof id === 'string') options.onSelectScene(id);
  });
  map.on('mouseenter', HISTORY_LAYER_ID, () => (map.getCanvas().style.cursor = 'pointer'));
  map.on('mouseleave', HISTORY_LAYER_ID, () => (map.getCanvas().style.cursor = ''));
  map.on('move', scheduleDeclutter);
  map.on('resize', scheduleDeclutter);
  map.on('movestart', (e) => {
    if (e.originalEvent) fitted = '';
  });
  map.on('error', (e) => {
    const err = e.error;
    options.onError(err instanceof Error ? err.message : String(err));
  });

  return {
    kind,
    setOverlays(data) {
      pending = data;
      if (loaded) apply(data);
    },
    setTdoa(data, onDrawn) {
      tdoaPending = { data, onDrawn };
      if (loaded) applyTdoa(data, onDrawn);
    },
    fitBounds(bounds) {
      const key = JSON.stringify(bounds);
      if (key === fitted) return;
      fitted = key;
      map.fitBounds(bounds, { padding: FIT_PADDING_PX, maxZoom: FIT_MAX_ZOOM, duration: 0 });
    },
    resize: () => {
      fitted = '';
      map.resize();
    },
    destroy() {
      if (declutterFrame !== 0) cancelAnimationFrame(declutterFrame);
      for (const m of markers) m.remove();
      map.remove();
    },
  };
}
