/**
 * Where a recording was made. Two lists of stations place recordings: a model's network (its
 * receivers, matched loosely: id or name in the metadata, the recorded position, the file name)
 * and the operator's station list (matched exactly by station id, src/core/stations.ts). Both
 * give a Placement, so a scene does not care which list its stations came from.
 */
import { HeimdallError } from '../errors';
import { geodesicInverse } from '../geodesy';
import type { Constellation, Receiver } from '../modelMetadata';
import { matchStation } from '../stations';
import type { RecordingInfo } from '../readers/types';
import type { Placement, Station } from './types';

/** What matching a recording to a model's receivers needs (a subset of RecordingInfo). */
export interface GroupableInfo {
  name: string;
  captureTime?: string;
  geolocation?: { lat: number; lon: number };
  receiverHint?: string;
}

/** A recording whose position lies this close to a receiver is taken to be from it. */
export const RECEIVER_MATCH_RADIUS_M = 10_000;

const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '');

/**
 * Whether a receiver named by a recording's metadata or file name may be where it was made: a
 * recording that carries its own position farther than RECEIVER_MATCH_RADIUS_M from the receiver
 * is from another station of that name (the serving rule, servingModel.ts, draws the same line).
 */
function nearOwnPosition(info: GroupableInfo, r: Receiver): boolean {
  return (
    !info.geolocation || geodesicInverse(info.geolocation, r).distanceM <= RECEIVER_MATCH_RADIUS_M
  );
}

/**
 * Which receiver of a model's network a recording comes from: its metadata's receiver id or
 * station name first, then its recorded position (within RECEIVER_MATCH_RADIUS_M), then a
 * receiver id or name in the file name; a receiver named by metadata or file name only when the
 * recording's own position, if it has one, is within that radius of it. An operator override,
 * when given, wins.
 */
export function matchReceiver(
  info: GroupableInfo,
  constellation: Constellation,
  override?: string,
): Receiver | null {
  const rx = constellation.receivers;
  if (override) return rx.find((r) => r.id === override) ?? null;
  if (info.receiverHint) {
    const hint = slug(info.receiverHint);
    const hit = rx.find((r) => slug(r.id) === hint || slug(r.name) === hint);
    if (hit && nearOwnPosition(info, hit)) return hit;
  }
  if (info.geolocation) {
    let best: Receiver | null = null;
    let bestM = RECEIVER_MATCH_RADIUS_M;
    for (const r of rx) {
      const d = geodesicInverse(info.geolocation, r).distanceM;
      if (d <= bestM) [best, bestM] = [r, d];
    }
    if (best) return best;
  }
  const file = slug(info.name);
  const named = rx.find((r) => file.includes(slug(r.id)) || file.includes(slug(r.name)));
  return named && nearOwnPosition(info, named) ? named : null;
}

/** A recording placed at a receiver of the model's network, or the error naming its file. */
export function placeInNetwork(
  info: GroupableInfo,
  constellation: Constellation,
  override?: string,
): Placement | HeimdallError {
  const receiver = matchReceiver(info, constellation, override);
  if (receiver) return { station: receiver, source: override ? 'operator' : 'model-receiver' };
  return new HeimdallError(
    'ReceiverUnknownError',
    `matches none of the model's receivers (${constellation.receivers.map((r) => r.id).join(', ')}) by metadata, position or file name`,
    info.name,
  );
}

/**
 * An operator's choice of a station-list station for a recording (the Files view's drop-down).
 * A receiver of the model's network is chosen by its bare id, as before; a station of the list
 * carries this prefix, since the two lists may use one id for two places.
 */
const STATION_LIST_CHOICE = 'station-list:';

/** The override value that places a recording at the station list's station `id`. */
export function stationListChoice(id: string): string {
  return `${STATION_LIST_CHOICE}${id}`;
}

/** The station the operator chose from the station list, or why it is gone; null for a receiver. */
function placeByChoice(
  info: RecordingInfo,
  stations: readonly Station[],
  override: string | undefined,
): Placement | HeimdallError | null {
  if (!override?.startsWith(STATION_LIST_CHOICE)) return null;
  const id = override.slice(STATION_LIST_CHOICE.length);
  const station = stations.find((s) => s.id === id);
  if (station) return { station, source: 'operator' };
  return new HeimdallError(
    'ReceiverUnknownError',
    `was placed by hand at station "${id}", which the station list no longer has`,
    info.name,
  );
}

/** A recording placed by its own SigMF position or the station list, or why it cannot be. */
export function placeByStationList(
  info: RecordingInfo,
  stations: readonly Station[],
): Placement | HeimdallError {
  const match = matchStation(info, stations);
  if (match.station && match.source) return { station: match.station, source: match.source };
  return new HeimdallError('ReceiverUnknownError', match.reason ?? 'has no station', info.name);
}

/**
 * Where a recording was made for the models that may locate it: the station the operator chose
 * (a receiver of the fixed network, or a station of the station list), else the fixed network's
 * receiver when that network places it, else (when an any-network model is in play,
 * `byStationList`) its station in the station list or its own SigMF position. The fixed network's
 * match comes first, so a recording of one of its receivers always has that receiver's position.
 */
export function placeForModels(
  info: RecordingInfo,
  lists: {
    constellation: Constellation | null;
    stations: readonly Station[];
    override?: string;
    byStationList: boolean;
  },
): Placement | HeimdallError {
  const chosen = placeByChoice(info, lists.stations, lists.override);
  if (chosen) return chosen;
  if (lists.constellation) {
    const inNetwork = placeInNetwork(info, lists.constellation, lists.override);
    if (!(inNetwork instanceof HeimdallError) || !lists.byStationList) return inNetwork;
  }
  return placeByStationList(info, lists.stations);
}

/**
 * The station the operator sees for a recording: the station the operator chose, else the
 * model's receiver when the model's network places it, else the station list's (a KiwiSDR file
 * that TDoA places), else null.
 */
export function placeRecording(
  info: RecordingInfo,
  lists: { constellation: Constellation | null; stations: readonly Station[]; override?: string },
): Placement | null {
  const placed = placeForModels(info, { ...lists, byStationList: true });
  return placed instanceof HeimdallError ? null : placed;
}
