import { useState } from 'react';
import type { TdoaRecordingView } from '../hooks/useTdoaView';
import { recordingLabel } from '../state/fileIdentity';
import { placeStation } from '../state/stationActions';

const COORDINATE_HINT =
  'Decimal degrees (46.4994 or 46,4994), degrees-minutes-seconds (46°29\'57.7"N), ' +
  'or the pair in Lat (46.4994, 8.7988)';

/**
 * A recording whose station has no position: says why, and lets the operator place the station
 * by hand (it is added to the station list under the recording's station id). The fields read
 * coordinates as operators write them (core/coordinates.ts), a pair pasted into Lat included; what
 * cannot be read is said here, beside the fields.
 */
export function StationPlaceForm({ view }: { view: TdoaRecordingView }) {
  const [lat, setLat] = useState('');
  const [lon, setLon] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const id = view.match.id;
  return (
    <form
      className="station-place"
      data-testid="station-place"
      data-file={view.recording.name}
      onSubmit={(e) => {
        e.preventDefault();
        if (id) void placeStation(id, lat, lon).then(setProblem);
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
              required
              placeholder="46.4994"
              title={COORDINATE_HINT}
              value={lat}
              onChange={(e) => setLat(e.currentTarget.value)}
              size={9}
            />
          </label>
          <label>
            Lon{' '}
            <input
              placeholder="8.7988"
              title={COORDINATE_HINT}
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
      {problem && (
        <div className="file-error" role="alert" data-testid="station-place-error">
          {problem}
        </div>
      )}
    </form>
  );
}
