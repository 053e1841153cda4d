import { useEffect, useMemo, type RefObject } from 'react';
import { heatImage } from '../map/tdoaHeatImage';
import { buildTdoaOverlays, tdoaBounds } from '../map/tdoaOverlays';
import type { MapEngine } from '../map/MapEngine';
import { useTdoaStore } from '../state/store';
import { useTdoaView } from './useTdoaView';

/**
 * Puts the selected TDoA result on the map and fits it in view when it arrives. When it has been
 * drawn, the map container carries `data-tdoa-scene`, `data-tdoa-drawn-at` (performance.now()) and
 * `data-tdoa-run-key` (the run whose result it is: a result of earlier recordings may be redrawn
 * while a new run waits): the tests and the benchmark wait for that instead of guessing.
 */
export function useTdoaMap(engine: MapEngine | null, container: RefObject<HTMLDivElement | null>) {
  const view = useTdoaView();
  const towns = useTdoaStore((s) => s.towns);
  const result = view.run?.status === 'done' ? view.run.result : undefined;
  const runKey = view.run?.status === 'done' ? view.run.key : '';
  const grid = result?.grid;
  // The image is the costly part: only a new grid makes a new one.
  const heat = useMemo(() => (grid ? heatImage(grid) : null), [grid]);
  const data = useMemo(
    () =>
      result
        ? buildTdoaOverlays({
            result,
            stations: view.stations,
            towns: towns ?? [],
            heat,
            model: view.model,
          })
        : null,
    [result, view.stations, towns, heat, view.model],
  );
  useEffect(() => {
    if (!engine) return;
    const el = container.current;
    engine.setTdoa(data, () => {
      if (!el) return;
      el.dataset.tdoaScene = data ? (result?.scene ?? '') : '';
      el.dataset.tdoaRunKey = data ? runKey : '';
      el.dataset.tdoaDrawnAt = String(performance.now());
    });
  }, [engine, data, result, runKey, container]);
  // Fit once per new result (not on every town load or model update).
  useEffect(() => {
    if (!engine || !data) return;
    const bounds = tdoaBounds(data);
    if (bounds) engine.fitBounds(bounds);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [engine, result]);
  const close = data ? tdoaBounds(data, true) : null;
  return {
    /** A close look at the TDoA regions; null when there is no result. */
    zoomToTdoa: engine && close ? () => engine.fitBounds(close) : null,
    shown: data !== null,
    hasModel: Boolean(view.model),
  };
}
