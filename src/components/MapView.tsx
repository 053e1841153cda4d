import { useEffect, useMemo, useRef } from 'react';
import { useConstellation } from '../hooks/useConstellation';
import { useMapEngine } from '../hooks/useMapEngine';
import { useMapStart } from '../hooks/useMapStart';
import { useScenes } from '../hooks/useScenes';
import { useTdoaMap } from '../hooks/useTdoaMap';
import { buildOverlays, focusOverlays, overlayBounds } from '../map/overlays';
import { mapStations } from '../state/scenes';
import { useStore } from '../state/store';
import { Legend } from './Legend';
import { MapLoading } from './MapLoading';
import { TdoaLegend } from './TdoaLegend';

/** The map: receivers, the selected estimate with its ellipses, the truth, past estimates. */
export function MapView() {
  const container = useRef<HTMLDivElement>(null);
  const settings = useStore((s) => s.settings);
  const selectScene = useStore((s) => s.selectScene);
  const predictions = useStore((s) => s.predictions);
  const selected = useStore((s) => s.selectedSceneId);
  const fitRequest = useStore((s) => s.fitRequest);
  const requestFit = useStore((s) => s.requestFit);
  const constellation = useConstellation();
  const { scenes } = useScenes();
  const mapStart = useMapStart();
  const { engine, error, drawn } = useMapEngine(
    container,
    settings.mapEngine,
    settings.mapboxToken,
    selectScene,
    mapStart.start,
  );

  // The fixed network's receivers, and every other station the scenes have (issue 13).
  const receivers = useMemo(
    () => mapStations(scenes, constellation?.receivers ?? []),
    [constellation, scenes],
  );
  const overlays = useMemo(
    () => buildOverlays(receivers, scenes, predictions, selected),
    [receivers, scenes, predictions, selected],
  );
  useEffect(() => engine?.setOverlays(overlays), [engine, overlays]);
  const tdoa = useTdoaMap(engine, container);

  // Fit when asked, when the engine appears, and when the receivers or the selection change: to
  // the selected scene, or else to a TDoA result on show (recordings dropped again must not send
  // the map to the model's unrelated receivers and back, a full repaint each way).
  const receiverKey = receivers.map((r) => r.id).join();
  const hasSelection = Boolean(selected && predictions[selected]);
  useEffect(() => {
    const scene = scenes.find((x) => x.id === selected);
    const bounds = scene
      ? overlayBounds(focusOverlays(overlays, scene, scenes))
      : (tdoa.bounds ?? overlayBounds(overlays));
    if (engine && bounds) engine.fitBounds(bounds);
    // overlays is read at the moment of fitting; refitting on every data change would fight the operator.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [engine, fitRequest, receiverKey, selected, hasSelection]);

  return (
    <section className="map-column" aria-label="Map">
      <div
        ref={container}
        className="map-container"
        data-testid="map"
        data-engine={engine?.kind ?? 'none'}
        data-drawn={drawn}
      />
      {!drawn && !error && <MapLoading waitingFor={mapStart.waitingFor} />}
      <div className="map-toolbar">
        <button type="button" onClick={requestFit}>
          Fit to view
        </button>
        {tdoa.zoomToTdoa && (
          <button type="button" onClick={tdoa.zoomToTdoa}>
            Zoom to TDoA
          </button>
        )}
      </div>
      <Legend showTruth={overlays.truth.features.length > 0} />
      {tdoa.shown && <TdoaLegend hasModel={tdoa.hasModel} />}
      {error && (
        <div className="map-error" role="alert">
          Map: {error}
        </div>
      )}
    </section>
  );
}
