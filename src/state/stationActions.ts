/**
 * The station list as the operator edits it (issue 12): add, edit, delete, import and export the
 * JSON, place a recording's station by hand. Every change is validated like an import, saved in
 * IndexedDB, and re-locates the TDoA scenes (a new position changes every result it touches).
 */
import { parseStationPosition } from '../core/coordinates';
import { parseStationList, stationListJson, validateStationList } from '../core/stations';
import type { Station } from '../core/tdoa/types';
import { downloadText } from '../ui/download';
import { toUiError } from './scenes';
import { loadStations, saveStations } from './stationStorage';
import { getTdoaState, useTdoaStore } from './store';
import { relocateTdoa } from './tdoaActions';

let loading: Promise<void> | null = null;

/** Once per page: the saved list. */
export function initStations(): Promise<void> {
  loading ??= (async () => {
    try {
      const stations = await loadStations();
      useTdoaStore.setState({ stations, stationsLoaded: true, stationsError: null });
    } catch (err) {
      useTdoaStore.setState({ stationsLoaded: true, stationsError: toUiError(err) });
    }
  })();
  return loading;
}

/** Validates, stores and applies a new list; false (with the error shown) when it is refused. */
async function commit(stations: Station[], where: string): Promise<boolean> {
  let checked: Station[];
  try {
    checked = validateStationList({ stations }, where).stations;
  } catch (err) {
    useTdoaStore.setState({ stationsError: toUiError(err) });
    return false;
  }
  useTdoaStore.setState({ stations: checked, stationsError: null });
  try {
    await saveStations(checked);
  } catch (err) {
    useTdoaStore.setState({ stationsError: toUiError(err) });
  }
  await relocateTdoa();
  return true;
}

/** Adds a station, or replaces the one with `replaceId` (an edit may change the id). */
export function upsertStation(station: Station, replaceId?: string): Promise<boolean> {
  const old = getTdoaState().stations;
  const at = old.findIndex((s) => s.id === (replaceId ?? station.id));
  const next = at >= 0 ? old.map((s, i) => (i === at ? station : s)) : [...old, station];
  return commit(next, 'the station editor');
}

export function deleteStation(id: string): Promise<boolean> {
  return commit(
    getTdoaState().stations.filter((s) => s.id !== id),
    'the station editor',
  );
}

/**
 * Imports a station-list file: its stations replace those with the same id, the others stay (an
 * operator merging lists from several sources loses nothing).
 */
export async function importStationFile(file: File): Promise<boolean> {
  let imported: Station[];
  try {
    imported = parseStationList(await file.text(), file.name).stations;
  } catch (err) {
    useTdoaStore.setState({ stationsError: toUiError(err) });
    return false;
  }
  const ids = new Set(imported.map((s) => s.id));
  const kept = getTdoaState().stations.filter((s) => !ids.has(s.id));
  return commit([...kept, ...imported], file.name);
}

export function exportStations(): void {
  downloadText(
    'heimdall-stations.json',
    stationListJson({ stations: getTdoaState().stations }),
    'application/json',
  );
}

/**
 * Places a station by hand (a recording whose station id has no position), from the two fields
 * as typed (core/coordinates.ts reads them). Resolves null when placed, else the problem, which
 * the form shows beside itself: the station list's own error line is on another tab.
 */
export async function placeStation(
  id: string,
  latText: string,
  lonText: string,
): Promise<string | null> {
  let position: { lat: number; lon: number };
  try {
    position = parseStationPosition(id, latText, lonText);
  } catch (err) {
    return (err as Error).message;
  }
  if (await upsertStation({ id, ...position })) return null;
  return getTdoaState().stationsError?.message ?? `station ${id} could not be placed`;
}

/** The station editor's fields as typed; saveStationFields reads them. */
export interface StationFields {
  id: string;
  lat: string;
  lon: string;
  name: string;
  /** Kept from the station being edited (the editor has no field for it). */
  altM?: number;
}

/**
 * Saves a station from the editor's fields (a new one, or `replaceId` edited). False, with the
 * problem on the station list's error line, when a field cannot be read or the list refuses it.
 */
export function saveStationFields(fields: StationFields, replaceId?: string): Promise<boolean> {
  const id = fields.id.trim();
  let position: { lat: number; lon: number };
  try {
    position = parseStationPosition(id || 'without an id', fields.lat, fields.lon);
  } catch (err) {
    useTdoaStore.setState({ stationsError: toUiError(err) });
    return Promise.resolve(false);
  }
  const next: Station = { id, ...position };
  if (fields.altM !== undefined) next.altM = fields.altM;
  if (fields.name.trim()) next.name = fields.name.trim();
  return upsertStation(next, replaceId);
}

/** Whether a dropped file is a station list rather than a recording (by name: *.json). */
export const isStationListFile = (f: File): boolean => /\.json$/i.test(f.name);
