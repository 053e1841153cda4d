/**
 * Station lists (issue 12): where each receiver stands, and which station a recording comes from.
 *
 * A station list is JSON `{"stations": [{"id", "lat", "lon", "altM"?, "name"?}]}`. A recording is
 * placed by (in order) its own SigMF `core:geolocation` (global, or per capture), or the station
 * list entry whose id matches its station id: the id in a kiwirecorder file name
 * (`YYYYMMDDThhmmssZ_<freq Hz>_<id>_iq.wav`, case as written) or SigMF `heimdall:receiver_id`;
 * failing both, a list id the file name ends with (`HB9ODP.wav`, `--fn` names).
 */
import { z } from 'zod';
import { HeimdallError } from './errors';
import { parseKiwiFileName } from './readers/fileNameMetadata';
import type { RecordingInfo } from './readers/types';
import type { Station, StationList } from './tdoa/types';

const stationSchema = z.strictObject({
  id: z.string().trim().min(1, 'must be a non-empty station id'),
  lat: z.number().min(-90).max(90),
  lon: z.number().min(-180).max(180),
  altM: z.number().optional(),
  name: z.string().optional(),
});

const stationListSchema = z.strictObject({ stations: z.array(stationSchema) });

function fieldPath(path: readonly PropertyKey[]): string {
  return path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`))
    .join('');
}

/**
 * Parses and checks a station list. Every problem is a ConfigError naming `fileName` and the
 * field (`stations[2].lat: ...`); ids must be unique (a repeated id would make matching depend
 * on order).
 */
export function parseStationList(text: string, fileName: string): StationList {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new HeimdallError(
      'ConfigError',
      `the station list is not valid JSON (${(err as Error).message})`,
      fileName,
    );
  }
  return validateStationList(json, fileName);
}

/** The same checks on an already-parsed object (IndexedDB, an import in the UI). */
export function validateStationList(json: unknown, fileName: string): StationList {
  const parsed = stationListSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue.path.length ? `${fieldPath(issue.path)}: ` : '';
    throw new HeimdallError(
      'ConfigError',
      `station list ${where}${issue.message} (expected {"stations": [{"id", "lat", "lon", "altM"?, "name"?}]})`,
      fileName,
    );
  }
  const seen = new Set<string>();
  for (const s of parsed.data.stations) {
    if (seen.has(s.id)) {
      throw new HeimdallError(
        'ConfigError',
        `station list has station id "${s.id}" twice`,
        fileName,
      );
    }
    seen.add(s.id);
  }
  const stations: Station[] = parsed.data.stations.map((s) => {
    const out: Station = { id: s.id, lat: s.lat, lon: s.lon };
    if (s.altM !== undefined) out.altM = s.altM;
    if (s.name !== undefined) out.name = s.name;
    return out;
  });
  return { stations };
}

/** The station list as the JSON the operator exports (and can import again). */
export function stationListJson(list: StationList): string {
  return `${JSON.stringify({ stations: list.stations }, null, 2)}\n`;
}

/** Where a recording's position came from, for the operator. */
export type PlacementSource = 'sigmf-geolocation' | 'station-list';

export interface StationMatch {
  /** The station id the recording names (file name or SigMF), if any. */
  id?: string;
  /** The placed station (id falls back to the file name when the recording names none). */
  station?: Station;
  source?: PlacementSource;
  /** Why the recording could not be placed, when `station` is absent. */
  reason?: string;
}

/** The station id a recording names: SigMF `heimdall:receiver_id` or the kiwirecorder file name. */
export function recordingStationId(info: RecordingInfo): string | undefined {
  return info.receiverHint?.trim() || undefined;
}

/**
 * The station of the list a file's name ends with, where the recording names none otherwise:
 * kiwirecorder's `--fn NAME --station ID` writes `NAME_ID.wav`, and a file renamed by hand is
 * often the station alone (`HB9ODP.wav`). Only the list's ids are tried, as the whole name or
 * after an underscore, the longest first; a generated kiwirecorder name without a station part
 * (no --station given) names none.
 */
function stationInFileName(fileName: string, stations: readonly Station[]): Station | undefined {
  if (parseKiwiFileName(fileName)) return undefined;
  const base = fileName.slice(fileName.lastIndexOf('/') + 1);
  const stem = base.includes('.') ? base.slice(0, base.lastIndexOf('.')) : base;
  return stations
    .filter((s) => stem === s.id || stem.endsWith(`_${s.id}`))
    .sort((a, b) => b.id.length - a.id.length)[0];
}

/**
 * Places one recording. Its own recorded position wins (a SigMF file that says where it was
 * made); otherwise its station id must be in the list, matched exactly (kiwirecorder keeps the
 * case the operator typed; two stations may differ only in case). The reason says what is
 * missing, so the operator can add the station or place it by hand.
 */
export function matchStation(info: RecordingInfo, stations: readonly Station[]): StationMatch {
  const id = recordingStationId(info);
  // The reader takes core:geolocation from the global object or, failing that, a capture.
  const geo = info.geolocation;
  if (geo) {
    const station: Station = { id: id ?? info.name, lat: geo.lat, lon: geo.lon };
    if (geo.altM !== undefined) station.altM = geo.altM;
    return { id, station, source: 'sigmf-geolocation' };
  }
  const named = id ? undefined : stationInFileName(info.name, stations);
  if (named) return { id: named.id, station: named, source: 'station-list' };
  if (!id) {
    return {
      reason: parseKiwiFileName(info.name)
        ? 'names no station: its kiwirecorder name has no station part (recorded without --station); rename it YYYYMMDDThhmmssZ_<freq>_<id>_iq.wav with the id of its station in the list'
        : 'names no station (neither a kiwirecorder file name YYYYMMDDThhmmssZ_<freq>_<id>_iq.wav, nor SigMF heimdall:receiver_id, nor a name ending with a station id of the list) and carries no core:geolocation',
    };
  }
  const exact = stations.find((s) => s.id === id);
  if (exact) return { id, station: exact, source: 'station-list' };
  // The KiwiSDR TDoA service writes a '/' of a station's name as '-' in its file names
  // (F1JEK/P -> ..._F1JEK-P_iq.wav; hcab14/TDoA tdoa_read_data.m turns it back): a list that
  // keeps the name with its slash still places the file.
  const slashed = stations.find((s) => s.id === id.replaceAll('-', '/'));
  if (slashed) return { id: slashed.id, station: slashed, source: 'station-list' };
  const other = stations.find((s) => s.id.toLowerCase() === id.toLowerCase());
  const hint = other ? ` (the list has "${other.id}", which differs in case)` : '';
  return {
    id,
    reason: `station "${id}" has no position: it is not in the station list${hint} and the recording carries no core:geolocation`,
  };
}
