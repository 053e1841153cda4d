import { useState } from 'react';
import type { Station } from '../core/tdoa/types';

interface Props {
  station?: Station;
  /** Start in the editor (a new station). */
  editing?: boolean;
  /** Resolves true when the list accepted the station. */
  onSave: (s: Station) => Promise<boolean> | Promise<void>;
  onDelete?: () => void;
  onCancel?: () => void;
}

/** One station: shown, or edited in place (the list's validation decides what is accepted). */
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
    const next: Station = { id: id.trim(), lat: Number(lat), lon: Number(lon) };
    if (station?.altM !== undefined) next.altM = station.altM;
    if (name.trim()) next.name = name.trim();
    const ok = await onSave(next);
    if (ok !== false) setEdit(false);
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
          inputMode="decimal"
          value={lat}
          onChange={(e) => setLat(e.currentTarget.value)}
          size={8}
        />
      </td>
      <td className="right">
        <input
          aria-label="Longitude"
          inputMode="decimal"
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
