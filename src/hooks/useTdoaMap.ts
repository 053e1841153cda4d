import { useEffect, useMemo, useState, type RefObject } from 'react';
import { heatImage } from '../map/tdoaHeatImage';
import { buildTdoaOverlays, tdoaBounds, type TdoaLayerData } from '../map/tdoaOverlays';
import type { MapEngine } from '../map/MapEngine';
import { useTdoaStore } from '../state/store';
import { markTdoa } from '../ui/tdoaTimeline';
import { useTdoaView } from './useTdoaView';

/** What the map shows: the layers, and the scene and run they come from. */
interface Shown {
  data: TdoaLayerData | null;
  scene: string;
  runKey: string;
}

/**
 * Puts the selected TDoA result on the map and fits it in view when it arrives. When it has been
 * drawn, the map container carries `data-tdoa-scene`, `data-tdoa-drawn-at` (performance.now()) and
 * `data-tdoa-run-key` (the run whose result it is): the tests and the benchmark wait for that
 * instead of guessing.
 *
 * Every change of the layers costs the map a full repaint (hundreds of milliseconds on a software
 * renderer: scripts/trace-tdoa.ts), so the layers change only when what they show changes: the
 * same stations in a new array rebuild nothing, and while the selected scene runs again (its
 * recordings dropped anew) its previous result stays until the new one replaces it, instead of
 * being cleared first.
 */
export function useTdoaMap(engine: MapEngine | null, container: RefObject<HTMLDivElement | null>) {
  const view = useTdoaView();
  const towns = useTdoaStore((s) => s.towns);
  const result = view.run?.status === 'done' ? view.run.result : undefined;
  const runKey = view.run?.status === 'done' ? view.run.key : '';
  const grid = result?.grid;
  // The image is the costly part: only a new grid makes a new one.
  const heat = useMemo(() => (grid ? heatImage(grid) : null), [grid]);
  const stationsKey = JSON.stringify(view.stations);
  const data = useMemo(
    () => {
      if (!result) return null;
      const built = buildTdoaOverlays({
        result,
        stations: view.stations,
        towns: towns ?? [],
        heat,
        model: view.model,
      });
      markTdoa('layers-built');
      return built;
    },
    // The stations by content: the view makes a new array whenever any recording changes.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [result, stationsKey, towns, heat, view.model],
  );
  const scene = view.selected?.id ?? '';
  const rerunning = view.run?.status === 'queued' || view.run?.status === 'running';
  const fresh = useMemo<Shown>(
    () => ({ data, scene: result?.scene ?? '', runKey }),
    [data, result, runKey],
  );
  const [kept, setKept] = useState<Shown>(fresh);
  const shown = rerunning && kept.scene === scene && kept.data ? kept : fresh;
  // What was shown last, kept for the next re-run (state adjusted during render, as React's docs
  // do for values derived from earlier renders).
  if (shown !== kept) setKept(shown);
  const shownData = shown.data;
  const shownScene = shown.scene;
  const shownRun = shown.runKey;
  useEffect(() => {
    if (!engine) return;
    const el = container.current;
    markTdoa('layers-set');
    engine.setTdoa(shownData, () => {
      markTdoa('drawn');
      if (!el) return;
      el.dataset.tdoaScene = shownData ? shownScene : '';
      el.dataset.tdoaRunKey = shownData ? shownRun : '';
      el.dataset.tdoaDrawnAt = String(performance.now());
    });
  }, [engine, shownData, shownScene, shownRun, container]);
  // Fit once per new result (not on every town load or model update).
  useEffect(() => {
    if (!engine || !data) return;
    const bounds = tdoaBounds(data);
    if (bounds) engine.fitBounds(bounds);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [engine, result]);
  const close = shownData ? tdoaBounds(shownData, true) : null;
  return {
    /** What the TDoA layers cover (stations, regions, estimate); null when nothing is shown. */
    bounds: shownData ? tdoaBounds(shownData) : null,
    /** A close look at the TDoA regions; null when there is no result. */
    zoomToTdoa: engine && close ? () => engine.fitBounds(close) : null,
    shown: shownData !== null,
    hasModel: Boolean(view.model),
  };
}
