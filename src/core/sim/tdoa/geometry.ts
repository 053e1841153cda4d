/**
 * Random receiver networks for TDoA scenes: 3-8 stations spread over a few hundred km somewhere
 * in Europe (where most public KiwiSDRs are), and a transmitter among or around them.
 */
import { geodesicDirect, geodesicInverse, type LatLon } from '../../geodesy';
import type { Rng } from '../../rng';
import type { Station } from '../../tdoa/types';

export interface NetworkOptions {
  stationCount: { min: number; max: number };
  /** Radius of the disc the stations are drawn in, km. */
  radiusKm: { lo: number; hi: number };
  /** The transmitter lies within this multiple of the radius from the centre. */
  transmitterRadiusFactor: number;
}

export const DEFAULT_NETWORK: NetworkOptions = {
  stationCount: { min: 3, max: 8 },
  radiusKm: { lo: 100, hi: 400 },
  transmitterRadiusFactor: 1.2,
};

/** Stations closer than this would add almost nothing and look like one site. */
const MIN_STATION_SPACING_KM = 20;
/** A transmitter right at a receiver saturates it; real TDoA users pick distant receivers. */
const MIN_TRANSMITTER_DISTANCE_KM = 5;
const MAX_TRIES = 1000;

// Callsign-like ids in the case kiwirecorder keeps (some operators type them in lower case).
const PREFIXES = ['DL', 'DK', 'F', 'HB9', 'PA', 'OE', 'G', 'ON', 'OK', 'SP', 'I', 'EA', 'OZ', 'SM'];
const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

export function stationId(rng: Rng, taken: ReadonlySet<string>): string {
  for (;;) {
    let id = `${rng.pick(PREFIXES)}${rng.int(0, 10)}`;
    const suffix = rng.int(2, 4);
    for (let i = 0; i < suffix; i++) id += LETTERS[rng.int(0, LETTERS.length)];
    if (rng.next() < 0.3) id = id.toLowerCase();
    if (!taken.has(id)) return id;
  }
}

function pointInDisc(rng: Rng, centre: LatLon, radiusKm: number): LatLon {
  const distanceM = radiusKm * 1000 * Math.sqrt(rng.next());
  return geodesicDirect(centre, rng.uniform(0, 360), distanceM);
}

const km = (a: LatLon, b: LatLon) => geodesicInverse(a, b).distanceM / 1000;

export function drawNetwork(
  rng: Rng,
  o: NetworkOptions,
  fixedTransmitter?: LatLon,
): { stations: Station[]; transmitter: LatLon; radiusKm: number } {
  const centre = fixedTransmitter ?? { lat: rng.uniform(40, 56), lon: rng.uniform(-4, 22) };
  const radiusKm = rng.uniform(o.radiusKm.lo, o.radiusKm.hi);
  const count = rng.int(o.stationCount.min, o.stationCount.max + 1);
  const stations: Station[] = [];
  const ids = new Set<string>();
  for (let tries = 0; stations.length < count; tries++) {
    if (tries > MAX_TRIES)
      throw new Error(`could not place ${count} stations ${MIN_STATION_SPACING_KM} km apart`);
    const p = pointInDisc(rng, centre, radiusKm);
    if (stations.some((s) => km(s, p) < MIN_STATION_SPACING_KM)) continue;
    if (fixedTransmitter && km(fixedTransmitter, p) < MIN_TRANSMITTER_DISTANCE_KM) continue;
    const id = stationId(rng, ids);
    ids.add(id);
    stations.push({ id, lat: p.lat, lon: p.lon });
  }
  if (fixedTransmitter) return { stations, transmitter: fixedTransmitter, radiusKm };
  for (let tries = 0; ; tries++) {
    if (tries > MAX_TRIES)
      throw new Error('could not place the transmitter away from the stations');
    const tx = pointInDisc(rng, centre, radiusKm * o.transmitterRadiusFactor);
    if (stations.every((s) => km(s, tx) >= MIN_TRANSMITTER_DISTANCE_KM))
      return { stations, transmitter: tx, radiusKm };
  }
}
