/**
 * The station list in IndexedDB (idb-keyval, as the worker's model store uses), so the operator's
 * stations survive a reload. What is read back is validated like an import: a damaged entry is an
 * error the panel shows, never a silent empty list.
 */
import { get, set } from 'idb-keyval';
import { validateStationList } from '../core/stations';
import type { Station } from '../core/tdoa/types';

const KEY = 'heimdall.stations.v1';
const WHERE = 'the saved station list (IndexedDB)';

export async function loadStations(): Promise<Station[]> {
  const saved: unknown = await get(KEY);
  if (saved === undefined) return [];
  return validateStationList(saved, WHERE).stations;
}

export async function saveStations(stations: readonly Station[]): Promise<void> {
  await set(KEY, { stations: [...stations] });
}
