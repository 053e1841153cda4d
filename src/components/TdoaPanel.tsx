import { useMemo } from 'react';
import { distanceKm } from '../core/geodesy';
import { maidenhead } from '../core/maidenhead';
import { AMBIGUOUS_NOTE } from '../core/tdoa/types';
import { describeNearTown, nearestTown } from '../core/places/nearestTown';
import { useTdoaView } from '../hooks/useTdoaView';
import type { LeftOutRecording } from '../state/tdoaScenes';
import { useTdoaStore } from '../state/store';
import { runTdoaScene } from '../state/tdoaActions';
import { formatDistanceM, formatLat, formatLon, formatMs, formatUtc } from '../ui/format';
import { EllipseTable } from './EllipseTable';
import { StationPlaceForm } from './StationPlaceForm';
import { TdoaExportButtons } from './TdoaExportButtons';
import { TdoaPairPlot } from './TdoaPairPlot';
import { TdoaStationTable } from './TdoaStationTable';

/**
 * Recordings with GPS time left out of every scene though they overlap others (another centre
 * frequency, too short an overlap), each with its reason, as the command line names them.
 */
function LeftOut({ list }: { list: LeftOutRecording[] }) {
  if (list.length === 0) return null;
  return (
    <div className="section" data-testid="tdoa-left-out">
      <h2>In no TDoA scene</h2>
      <ul>
        {list.map((r) => (
          <li key={r.recordingId}>
            <span className="num">{r.name}</span>: {r.reason}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** The TDoA result of the selected group of GPS-stamped recordings (issue 12). */
export function TdoaPanel() {
  const view = useTdoaView();
  const towns = useTdoaStore((s) => s.towns);
  const select = (id: string) => useTdoaStore.setState({ selectedTdoaSceneId: id });
  const { selected, run } = view;
  const result = run?.status === 'done' ? run.result : undefined;
  const hasPoint = result?.lat !== undefined && result?.lon !== undefined;
  // The separate modes are listed below with their weights: the solver's note saying so would
  // only repeat them.
  const listsModes = (result?.modes?.length ?? 0) > 1;
  const notes = (result?.notes ?? []).filter((n) => !(listsModes && n.startsWith(AMBIGUOUS_NOTE)));
  const place = useMemo(
    () =>
      result && hasPoint && towns
        ? nearestTown(towns, { lat: result.lat as number, lon: result.lon as number })
        : null,
    [result, hasPoint, towns],
  );
  const unplaced = view.recordings.filter((r) => !r.match.station);
  if (view.scenes.length === 0) {
    return (
      <div className="section" data-testid="tdoa-panel">
        <h2>TDoA</h2>
        <p className="muted">
          Drop simultaneous recordings with GPS time (KiwiSDR IQ WAVs from kiwirecorder --kiwi-wav,
          or SigMF with core:datetime) from two or more receivers, with a station list (Stations
          tab, or drop its .json with them).
        </p>
        <LeftOut list={view.leftOut} />
      </div>
    );
  }
  return (
    <div data-testid="tdoa-panel" data-status={run?.status ?? 'none'} data-scene={selected?.id}>
      <div className="section">
        <h2>
          TDoA
          {view.scenes.length > 1 ? (
            <select
              aria-label="TDoA scene"
              value={selected?.id ?? ''}
              onChange={(e) => select(e.currentTarget.value)}
            >
              {view.scenes.map((s) => (
                <option key={s.id} value={s.id}>
                  {formatUtc(s.captureTimeMs)} · {s.recordingIds.length} recordings
                </option>
              ))}
            </select>
          ) : (
            <span className="muted num" style={{ textTransform: 'none' }}>
              {selected ? formatUtc(selected.captureTimeMs) : ''}
            </span>
          )}
        </h2>
        {selected && !run && (
          <button type="button" onClick={() => void runTdoaScene(selected)}>
            Locate by TDoA
          </button>
        )}
        {(run?.status === 'queued' || run?.status === 'running') && (
          <p className="muted" role="status">
            Locating by TDoA…
          </p>
        )}
        {run?.status === 'error' && (
          <p className="error-text" role="alert" data-testid="tdoa-error">
            {run.error?.name}: {run.error?.message}
          </p>
        )}
        {result && hasPoint && (
          <>
            <div className="big-coord" data-testid="tdoa-coords">
              <div>{formatLat(result.lat as number)}</div>
              <div>{formatLon(result.lon as number)}</div>
            </div>
            <dl className="kv" style={{ marginTop: 4 }}>
              <dt>Decimal</dt>
              <dd className="num" data-testid="tdoa-decimal">
                {(result.lat as number).toFixed(5)}, {(result.lon as number).toFixed(5)}
              </dd>
              <dt>Locator</dt>
              <dd className="num">{maidenhead(result.lat as number, result.lon as number, 3)}</dd>
              <dt>Place</dt>
              <dd data-testid="tdoa-place">
                {place ? describeNearTown(place) : towns ? 'no town nearby' : '…'}
              </dd>
              {view.model && (
                <>
                  <dt>Model</dt>
                  <dd className="num" data-testid="tdoa-model">
                    {view.model.lat.toFixed(5)}, {view.model.lon.toFixed(5)} (
                    {view.model.modelVersion},{' '}
                    {distanceKm(view.model, {
                      lat: result.lat as number,
                      lon: result.lon as number,
                    }).toFixed(1)}{' '}
                    km from TDoA)
                  </dd>
                </>
              )}
            </dl>
          </>
        )}
        {result && !hasPoint && (
          <p data-testid="tdoa-hyperbola-note">
            Only two usable stations: the transmitter lies on the hyperbola drawn on the map; a
            third station would fix the point.
          </p>
        )}
        {notes.length > 0 && (
          <ul className="muted" data-testid="tdoa-notes">
            {notes.map((n, i) => (
              <li key={i}>{n}</li>
            ))}
          </ul>
        )}
        {result?.band && (
          <p className="muted num" data-testid="tdoa-band">
            Band {result.band.loHz.toFixed(0)} to {result.band.hiHz.toFixed(0)} Hz from the centre (
            {result.band.chosenBy === 'operator'
              ? 'set by the operator'
              : result.band.againstCarrier
                ? "a carrier's sidebands"
                : 'the strongest common signal'}
            ){result.span ? ` · ${result.span.durationS.toFixed(1)} s in common` : ''}
          </p>
        )}
        {result?.modes && result.modes.length > 1 && (
          <div data-testid="tdoa-modes">
            <p className="error-text">
              The geometry is ambiguous: {result.modes.length} separate solutions,{' '}
              {result.modes.length === 2 ? 'both' : 'all'} shown.
            </p>
            <ul>
              {result.modes.map((m, i) => {
                // A crossing off the grid: its part of the 95 % region is an ellipse of its own.
                const own = m.ellipses?.find((e) => e.p === 0.95);
                return (
                  <li key={i} className="num">
                    {m.lat.toFixed(4)}, {m.lon.toFixed(4)} · {(m.weight * 100).toFixed(0)} % of the
                    posterior
                    {own &&
                      ` · its 95 % region ${formatDistanceM(own.semiMajorM)} × ${formatDistanceM(own.semiMinorM)}`}
                  </li>
                );
              })}
            </ul>
          </div>
        )}
      </div>
      <LeftOut list={view.leftOut} />
      {unplaced.length > 0 && (
        <div className="section">
          <h2>Without a position</h2>
          {unplaced.map((r) => (
            <StationPlaceForm key={r.recording.id} view={r} />
          ))}
        </div>
      )}
      {result && (
        <>
          <div className="section">
            <h2>Uncertainty (posterior regions)</h2>
            <EllipseTable ellipses={result.ellipses} />
          </div>
          <div className="section">
            <h2>Stations and timing</h2>
            <TdoaStationTable stations={result.stations} recordings={view.recordings} />
          </div>
          <div className="section">
            <h2>Cross-correlation per pair</h2>
            {result.pairs.length === 0 && <p className="muted">No pair was measured.</p>}
            {result.pairs.map((p) => (
              <TdoaPairPlot key={`${p.a}-${p.b}`} pair={p} />
            ))}
            {result.closures && result.closures.length > 0 && (
              <p className="muted num" data-testid="tdoa-closures">
                Closure (τab + τbc − τac):{' '}
                {result.closures
                  .map(
                    (c) =>
                      `${c.a}-${c.b}-${c.c} ${c.residualUs.toFixed(1)} ± ${c.sigmaUs.toFixed(1)} µs`,
                  )
                  .join('; ')}
              </p>
            )}
          </div>
          <div className="section">
            <h2>Export</h2>
            <TdoaExportButtons />
          </div>
          {run?.timings && (
            <div className="section">
              <h2>Run</h2>
              <dl className="kv">
                <dt>Solver (worker)</dt>
                <dd className="num" data-testid="tdoa-solve-ms" data-ms={run.timings.solveMs}>
                  {formatMs(run.timings.solveMs)}
                </dd>
                <dt>Request to result</dt>
                <dd className="num">{formatMs(run.timings.roundTripMs)}</dd>
              </dl>
            </div>
          )}
        </>
      )}
    </div>
  );
}
