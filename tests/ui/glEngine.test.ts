/**
 * The map engine over a fake map: a redundant change (equal overlays, the same fit) costs the
 * map a full repaint, so it must not reach the map; a real one must.
 */
import { describe, expect, it } from 'vitest';
import { glMapEngine, type GlMap } from '../../src/map/glEngine';
import { OVERLAY_SOURCES, type OverlayData, type Position } from '../../src/map/overlays';

type Listener = (e: { originalEvent?: unknown }) => void;

function fakeMap() {
  const listeners = new Map<string, Listener[]>();
  const setData: Record<string, number> = {};
  const sources = new Map<string, { setData(d: unknown): void }>();
  const calls = { fit: 0, resize: 0 };
  const map = {
    on(type: string, a: unknown, b?: unknown) {
      const handler = (typeof a === 'function' ? a : b) as Listener;
      if (typeof a !== 'function') return; // layer events: not used here
      listeners.set(type, [...(listeners.get(type) ?? []), handler]);
    },
    addSource(id: string) {
      setData[id] = 0;
      sources.set(id, { setData: () => void (setData[id] += 1) });
    },
    getSource: (id: string) => sources.get(id),
    removeSource: (id: string) => void sources.delete(id),
    addLayer: () => undefined,
    getLayer: () => undefined,
    removeLayer: () => undefined,
    once: () => undefined,
    fitBounds: () => void (calls.fit += 1),
    resize: () => void (calls.resize += 1),
    remove: () => undefined,
    getCanvas: () => ({ style: {} }),
  };
  const fire = (type: string, e: { originalEvent?: unknown } = {}) =>
    (listeners.get(type) ?? []).forEach((h) => h(e));
  return { map: map as unknown as GlMap, fire, setData, calls };
}

const empty = () => ({ type: 'FeatureCollection' as const, features: [] });
const overlays = (): OverlayData =>
  Object.fromEntries(OVERLAY_SOURCES.map((id) => [id, empty()])) as unknown as OverlayData;

describe('glMapEngine', () => {
  const options = {
    container: {} as HTMLElement,
    onSelectScene: () => undefined,
    onError: () => undefined,
  };

  it('sets an overlay source again only when its features change', () => {
    const fake = fakeMap();
    const engine = glMapEngine('maplibre', fake.map, () => ({}) as never, options);
    fake.fire('load');
    engine.setOverlays(overlays());
    engine.setOverlays(overlays());
    expect(fake.setData.receivers).toBe(1);
    const moved = overlays();
    (moved.truth as { features: unknown[] }).features.push({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [8, 45] },
      properties: {},
    });
    engine.setOverlays(moved);
    expect(fake.setData.truth).toBe(2);
    expect(fake.setData.receivers).toBe(1);
  });

  it('fits to the same bounds once, until the operator moves the map or it resizes', () => {
    const fake = fakeMap();
    const engine = glMapEngine('maplibre', fake.map, () => ({}) as never, options);
    const b: [Position, Position] = [
      [3, 46],
      [12, 52],
    ];
    engine.fitBounds(b);
    engine.fitBounds(b);
    expect(fake.calls.fit).toBe(1);
    fake.fire('movestart'); // our own fit's move: nothing changes
    engine.fitBounds(b);
    expect(fake.calls.fit).toBe(1);
    fake.fire('movestart', { originalEvent: {} });
    engine.fitBounds(b);
    expect(fake.calls.fit).toBe(2);
    engine.resize();
    engine.fitBounds(b);
    expect(fake.calls.fit).toBe(3);
    engine.fitBounds([
      [3, 46],
      [12, 53],
    ]);
    expect(fake.calls.fit).toBe(4);
  });
});
