import { useState } from 'react';
import type { TdoaRecordingView } from '../hooks/useTdoaView';
import { recordingLabel } from '../state/fileIdentity';
import { placeStation } from '../state/stationActions';

/**
 * A recording whose station has no position: says why, and lets the operator place the station
 * by hand (it is added to the station list under the recording's station id).
 */
export function StationPlaceForm({ view }: { view: TdoaRecordingView }) {
  const [lat, setLat] = useState('');
  const [lon, setLon] = useState('');
  const id = view.match.id;
  return (
    <form
      className="station-place"
      data-testid="station-place"
      data-file={view.recording.name}
      onSubmit={(e) => {
        e.preventDefault();
        if (id) void placeStation(id, Number(lat), Number(lon));
      }}
    >
      <div className="file-name">{recordingLabel(view.recording)}</div>
      <div className="file-error" role="alert">
        {view.match.reason}
      </div>
      {id ? (
        <div className="row">
          <label>
            Lat{' '}
            <input
              inputMode="decimal"
              required
              value={lat}
              onChange={(e) => setLat(e.currentTarget.value)}
              size={9}
            />
          </label>
          <label>
            Lon{' '}
            <input
              inputMode="decimal"
              required
              value={lon}
              onChange={(e) => setLon(e.currentTarget.value)}
              size={9}
            />
          </label>
          <button type="submit">Place {id}</button>
        </div>
      ) : (
        <p className="muted">Rename it the kiwirecorder way (…_&lt;id&gt;_iq.wav) to place it.</p>
      )}
    </form>
  );
}
