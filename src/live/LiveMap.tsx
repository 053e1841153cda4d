import { useEffect, useMemo, useRef } from 'react';
import { useMapEngine } from '../hooks/useMapEngine';
import { lonLatBounds } from '../map/bounds';
import { heatImage } from '../map/tdoaHeatImage';
import { buildTdoaOverlays } from '../map/tdoaOverlays';
import { useLiveStore, useStore } from '../state/store';
import { Legend } from '../components/Legend';
import { TdoaLegend } from '../components/TdoaLegend';
import { buildLiveOverlays } from './liveOverlays';
import type { LiveSession } from './liveSession';

/** Degrees around the receivers shown at first: the region transmitters come from. */
const VIEW_MARGIN_DEG = 0.6;
const ignoreSelect = () => undefined;

/**
 * The live map: the current estimate and its ellipses, the recent track fading with age, the
 * receivers and (simulated network) the true transmitter. Once the map has drawn a new estimate it
 * tells the session, which turns that moment into the capture-to-screen latency.
 */
export function LiveMap({ session }: { session: LiveSession | null }) {
  const container = useRef<HTMLDivElement>(null);
  const settings = useStore((s) => s.settings);
  const { engine, error } = useMapEngine(
    container,
    settings.mapEngine,
    settings.mapboxToken,
    ignoreSelect,
  );
  // A string selector: the receivers' places, not their ever-changing frame counts.
  const placesKey = useLiveStore((s) =>
    JSON.stringify(s.receivers.map((r) => [r.receiverId, r.name, r.lat, r.lon])),
  );
  const estimates = useLiveStore((s) => s.estimates);
  const truth = useLiveStore((s) => s.truth.at(-1));
  const places = useMemo(
    () =>
      (JSON.parse(placesKey) as [string, string, number, number][]).map(
        ([receiverId, name, lat, lon]) => ({ receiverId, name, lat, lon }),
      ),
    [placesKey],
  );
  const overlays = useMemo(
    () => buildLiveOverlays(places, estimates, truth),
    [places, estimates, truth],
  );
  // Live TDoA beside the model's estimate, with the file view's TDoA layers.
  const tdoa = useLiveStore((s) => s.tdoa);
  const grid = tdoa?.result.grid;
  const heat = useMemo(() => (grid ? heatImage(grid) : null), [grid]);
  const current = estimates.at(-1);
  const model = current ? { lat: current.lat, lon: current.lon } : undefined;
  const tdoaData = useMemo(
    () =>
      tdoa
        ? buildTdoaOverlays({
            result: tdoa.result,
            stations: tdoa.stations,
            towns: [],
            heat,
            ...(model ? { model } : {}),
          })
        : null,
    // The model's point moves every window; redraw the TDoA layers with each new TDoA only.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [tdoa, heat],
  );
  useEffect(() => {
    if (engine) engine.setTdoa(tdoaData);
  }, [engine, tdoaData]);

  useEffect(() => {
    if (!engine) return;
    engine.setOverlays(overlays);
    const current = estimates.at(-1);
    if (!current || current.latencyMs !== undefined || !session) return;
    // The frame after the one that applied the new data is the first that can show it.
    const id = requestAnimationFrame(() =>
      requestAnimationFrame(() => session.reportShown(current.windowStartMs, current.windowEndMs)),
    );
    return () => cancelAnimationFrame(id);
  }, [engine, overlays, estimates, session]);

  useEffect(() => {
    if (!engine || places.length === 0) return;
    const [[west, south], [east, north]] = lonLatBounds(places.map((p) => [p.lon, p.lat]))!;
    engine.fitBounds([
      [west - VIEW_MARGIN_DEG, south - VIEW_MARGIN_DEG],
      [east + VIEW_MARGIN_DEG, north + VIEW_MARGIN_DEG],
    ]);
  }, [engine, places]);

  const tdoaAt = tdoa?.result.lat !== undefined ? tdoa.result : undefined;
  return (
    <section className="map-column live-map" aria-label="Live map">
      <div
        ref={container}
        className="map-container"
        data-testid="live-map"
        data-engine={engine?.kind ?? 'none'}
        data-estimates={estimates.length}
        data-estimate-lat={current?.lat.toFixed(4) ?? ''}
        data-estimate-lon={current?.lon.toFixed(4) ?? ''}
        data-truth-lon={truth?.lon.toFixed(4) ?? ''}
        data-truth-lat={truth?.lat.toFixed(4) ?? ''}
        data-tdoa-lat={tdoaAt?.lat?.toFixed(4) ?? ''}
        data-tdoa-lon={tdoaAt?.lon?.toFixed(4) ?? ''}
      />
      {/* The live map is narrow: the TDoA legend (what its layers are; the model's estimate is the
          main legend's) stacks above the main one instead of beside it. */}
      <div className="legend-stack">
        <Legend showTruth={truth !== undefined} historyLabel="Recent track (fades with age)" />
        {tdoa && <TdoaLegend hasModel={false} />}
      </div>
      {error && (
        <div className="map-error" role="alert">
          Map: {error}
        </div>
      )}
    </section>
  );
}
