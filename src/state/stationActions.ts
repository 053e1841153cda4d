/**
 * The station list as the operator edits it (issue 12): add, edit, delete, import and export the
 * JSON, place a recording's station by hand. Every change is validated like an import, saved in
 * IndexedDB, and re-locates the TDoA scenes (a new position changes every result it touches).
 */
import { HeimdallError } from '../core/errors';
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

/** Places a station by hand (a recording whose station id has no position). */
export function placeStation(id: string, lat: number, lon: number): Promise<boolean> {
  if (!Number.isFinite(lat) || !Number.isFinite(lon)) {
    useTdoaStore.setState({
      stationsError: toUiError(
        new HeimdallError('ConfigError', `station ${id}: latitude and longitude must be numbers`),
      ),
    });
    return Promise.resolve(false);
  }
  return upsertStation({ id, lat, lon });
}

/** Whether a dropped file is a station list rather than a recording (by name: *.json). */
export const isStationListFile = (f: File): boolean => /\.json$/i.test(f.name);
