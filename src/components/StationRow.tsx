import { useState } from 'react';
import type { Station } from '../core/tdoa/types';
import type { StationFields } from '../state/stationActions';

interface Props {
  station?: Station;
  /** Start in the editor (a new station). */
  editing?: boolean;
  /** Resolves true when the station was read and the list accepted it. */
  onSave: (fields: StationFields) => Promise<boolean>;
  onDelete?: () => void;
  onCancel?: () => void;
}

/**
 * One station: shown, or edited in place. The fields take coordinates as operators write them
 * (decimal comma, hemisphere letters, degrees-minutes-seconds, a pasted pair: core/coordinates.ts);
 * what cannot be read, or what the list's validation refuses, stays in the editor with the reason.
 */
export function StationRow({ station, editing = false, onSave, onDelete, onCancel }: Props) {
  const [edit, setEdit] = useState(editing);
  const [id, setId] = useState(station?.id ?? '');
  const [lat, setLat] = useState(station ? String(station.lat) : '');
  const [lon, setLon] = useState(station ? String(station.lon) : '');
  const [name, setName] = useState(station?.name ?? '');
  if (!edit && station) {
    return (
      <tr data-station={station.id}>
        <td>{station.id}</td>
        <td className="right num">{station.lat.toFixed(5)}</td>
        <td className="right num">{station.lon.toFixed(5)}</td>
        <td>{station.name ?? ''}</td>
        <td className="right">
          <button type="button" onClick={() => setEdit(true)} aria-label={`Edit ${station.id}`}>
            Edit
          </button>{' '}
          <button type="button" onClick={onDelete} aria-label={`Delete ${station.id}`}>
            Delete
          </button>
        </td>
      </tr>
    );
  }
  const save = async () => {
    const fields: StationFields = { id, lat, lon, name };
    if (station?.altM !== undefined) fields.altM = station.altM;
    if (await onSave(fields)) setEdit(false);
  };
  return (
    <tr data-station-editor={station?.id ?? 'new'}>
      <td>
        <input
          aria-label="Station id"
          value={id}
          onChange={(e) => setId(e.currentTarget.value)}
          size={8}
        />
      </td>
      <td className="right">
        <input
          aria-label="Latitude"
          value={lat}
          onChange={(e) => setLat(e.currentTarget.value)}
          size={8}
        />
      </td>
      <td className="right">
        <input
          aria-label="Longitude"
          value={lon}
          onChange={(e) => setLon(e.currentTarget.value)}
          size={8}
        />
      </td>
      <td>
        <input
          aria-label="Name"
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          size={8}
        />
      </td>
      <td className="right">
        <button type="button" onClick={() => void save()}>
          Save
        </button>{' '}
        <button type="button" onClick={() => (station ? setEdit(false) : onCancel?.())}>
          Cancel
        </button>
      </td>
    </tr>
  );
}
