import { useRef, useState } from 'react';
import {
  deleteStation,
  exportStations,
  importStationFile,
  saveStationFields,
} from '../state/stationActions';
import { useTdoaStore } from '../state/store';
import { StationRow } from './StationRow';

/**
 * The station list (issue 12): where each receiver stands, for TDoA. Add, edit, delete, import
 * and export the JSON `{"stations": [...]}`; kept in this browser (IndexedDB).
 */
export function StationPanel() {
  const stations = useTdoaStore((s) => s.stations);
  const error = useTdoaStore((s) => s.stationsError);
  const loaded = useTdoaStore((s) => s.stationsLoaded);
  const input = useRef<HTMLInputElement>(null);
  const [adding, setAdding] = useState(false);
  return (
    <div data-testid="station-panel">
      <div className="section">
        <h2>
          Stations <span className="num">{stations.length}</span>
        </h2>
        <div className="row">
          <button type="button" onClick={() => setAdding(true)} disabled={adding}>
            Add station
          </button>
          <button type="button" onClick={() => input.current?.click()}>
            Import JSON…
          </button>
          <button type="button" onClick={exportStations} disabled={stations.length === 0}>
            Export JSON
          </button>
          <input
            ref={input}
            type="file"
            accept=".json,application/json"
            hidden
            data-testid="station-import"
            onChange={(e) => {
              const file = e.currentTarget.files?.[0];
              e.currentTarget.value = '';
              if (file) void importStationFile(file);
            }}
          />
        </div>
        {error && (
          <p className="error-text" role="alert" data-testid="station-error">
            {error.name}: {error.message}
          </p>
        )}
        {loaded && stations.length === 0 && !adding && (
          <p className="muted">
            No stations yet. A recording is placed by its SigMF core:geolocation, or by the station
            whose id its kiwirecorder file name carries (…_&lt;id&gt;_iq.wav).
          </p>
        )}
      </div>
      <div className="section">
        <table data-testid="station-table">
          <thead>
            <tr>
              <th>Id</th>
              <th className="right">Lat</th>
              <th className="right">Lon</th>
              <th>Name</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {adding && (
              <StationRow
                editing
                onSave={async (fields) => {
                  const ok = await saveStationFields(fields);
                  if (ok) setAdding(false);
                  return ok;
                }}
                onCancel={() => setAdding(false)}
              />
            )}
            {stations.map((s) => (
              <StationRow
                key={s.id}
                station={s}
                onSave={(fields) => saveStationFields(fields, s.id)}
                onDelete={() => void deleteStation(s.id)}
              />
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
