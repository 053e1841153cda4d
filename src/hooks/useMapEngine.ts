import { useEffect, useState, type RefObject } from 'react';
import { createMapEngine } from '../map/createMapEngine';
import type { MapEngine } from '../map/MapEngine';
import { markPhase } from '../core/phaseMark';
import type { MapEngineKind } from '../state/types';

export interface MapEngineState {
  engine: MapEngine | null;
  error: string | null;
  /** The map has been drawn (its basemap on screen), not only created. */
  drawn: boolean;
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
  const [state, setState] = useState<MapEngineState>({
    engine: null,
    error: null,
    drawn: false,
  });
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
      onDrawn: () => {
        if (disposed) return;
        markPhase('map-drawn');
        setState((s) => ({ ...s, drawn: true }));
      },
    }).then(
      (engine) => {
        if (disposed) return engine.destroy();
        created = engine;
        markPhase('map-created');
        // 'load' may come before the engine is handed over: keep what it said.
        setState((s) => ({ engine, error: null, drawn: s.drawn }));
      },
      (err: unknown) =>
        !disposed &&
        setState({
          engine: null,
          error: err instanceof Error ? err.message : String(err),
          drawn: false,
        }),
    );
    const observer = new ResizeObserver(() => created?.resize());
    observer.observe(el);
    return () => {
      disposed = true;
      observer.disconnect();
      created?.destroy();
      setState({ engine: null, error: null, drawn: false });
    };
    // onSelectScene is a stable store action; the engine is rebuilt only for kind or token.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [container, kind, mapboxToken, enabled]);
  return state;
}
