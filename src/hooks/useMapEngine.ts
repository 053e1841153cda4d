import { useEffect, useState, type RefObject } from 'react';
import { createMapEngine } from '../map/createMapEngine';
import type { MapEngine } from '../map/MapEngine';
import { markPhase } from '../core/phaseMark';
import type { MapEngineKind } from '../state/types';

export interface MapEngineState {
  engine: MapEngine | null;
  error: string | null;
}

/**
 * Creates the map engine in the container and replaces it when the engine kind or token changes.
 * A failing mapbox engine falls back to nothing but an error: the operator fixes the token.
 */
export function useMapEngine(
  container: RefObject<HTMLDivElement | null>,
  kind: MapEngineKind,
  mapboxToken: string,
  onSelectScene: (sceneId: string) => void,
  /** False holds the engine back (see useMapStart). */
  enabled = true,
): MapEngineState {
  const [state, setState] = useState<MapEngineState>({ engine: null, error: null });
  useEffect(() => {
    const el = container.current;
    if (!el || !enabled) return;
    let disposed = false;
    let created: MapEngine | null = null;
    markPhase('map-start');
    createMapEngine(kind, {
      container: el,
      mapboxToken,
      onSelectScene,
      onError: (message) => !disposed && setState((s) => ({ ...s, error: message })),
    }).then(
      (engine) => {
        if (disposed) return engine.destroy();
        created = engine;
        markPhase('map-created');
        setState({ engine, error: null });
      },
      (err: unknown) =>
        !disposed &&
        setState({ engine: null, error: err instanceof Error ? err.message : String(err) }),
    );
    const observer = new ResizeObserver(() => created?.resize());
    observer.observe(el);
    return () => {
      disposed = true;
      observer.disconnect();
      created?.destroy();
    };
    // onSelectScene is a stable store action; the engine is rebuilt only for kind or token.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [container, kind, mapboxToken, enabled]);
  return state;
}
