/** The nearest town to a point, and the phrase an operator reads: "12 km north-east of X". */
import { geodesicInverse, wrapDeg360, type LatLon } from '../geodesy';
import type { Town } from './towns';

export interface TownRelation {
  town: Town;
  /** From the town to the point. */
  distanceM: number;
  azimuthDeg: number;
}

const KM_PER_DEG_LAT = 111.2;

/** Candidates the geodesic settles. */
const CANDIDATES = 8;

/**
 * A cheap equirectangular distance picks a few candidates, the geodesic settles them: the table
 * holds tens of thousands of towns, and a flat approximation can misorder two close ones only
 * near the poles, so the best 8 by it are checked exactly. One pass keeps the 8 (earlier towns
 * first among equals, as a stable sort would): the page asks for every result it shows, and
 * scoring and sorting the whole table each time cost tens of milliseconds.
 */
export function nearestTown(towns: readonly Town[], p: LatLon): TownRelation | null {
  if (towns.length === 0) return null;
  const cosLat = Math.cos((p.lat * Math.PI) / 180);
  // The best so far, by increasing d2.
  const top: { t: Town; d2: number }[] = [];
  for (const t of towns) {
    let dLon = Math.abs(t.lon - p.lon);
    if (dLon > 180) dLon = 360 - dLon;
    const dx = dLon * cosLat * KM_PER_DEG_LAT;
    const dy = (t.lat - p.lat) * KM_PER_DEG_LAT;
    const d2 = dx * dx + dy * dy;
    if (top.length === CANDIDATES && !(d2 < top[CANDIDATES - 1].d2)) continue;
    let at = top.length;
    while (at > 0 && d2 < top[at - 1].d2) at--;
    top.splice(at, 0, { t, d2 });
    if (top.length > CANDIDATES) top.pop();
  }
  let best: TownRelation | null = null;
  for (const { t } of top) {
    const g = geodesicInverse(t, p);
    if (!best || g.distanceM < best.distanceM)
      best = { town: t, distanceM: g.distanceM, azimuthDeg: g.azimuthDeg };
  }
  return best;
}

const COMPASS = [
  'north',
  'north-east',
  'east',
  'south-east',
  'south',
  'south-west',
  'west',
  'north-west',
] as const;

/** Eight-point compass name of an azimuth (degrees east of north). */
export function compassPoint(azimuthDeg: number): (typeof COMPASS)[number] {
  const i = Math.round((((azimuthDeg % 360) + 360) % 360) / 45) % 8;
  return COMPASS[i];
}

/** Within this distance the point is "at" the town: a town's own extent is about that size. */
const AT_TOWN_M = 1000;

/** "12 km north-east of Seligenstadt (DE)", "at Hanau (DE)". */
export function describeNearTown(rel: TownRelation): string {
  const where = `${rel.town.name} (${rel.town.country})`;
  if (rel.distanceM < AT_TOWN_M) return `at ${where}`;
  const km = rel.distanceM / 1000;
  const kmText = km < 10 ? km.toFixed(1) : km.toFixed(0);
  return `${kmText} km ${compassPoint(rel.azimuthDeg)} of ${where}`;
}

/** Towns to label inside a box: the most populous first, at most `limit` of them. */
export function townsInBox(
  towns: readonly Town[],
  box: { south: number; west: number; north: number; east: number },
  limit: number,
): Town[] {
  // A box across the antimeridian has east above 180 (map/bounds.ts): each town is read on the
  // turn of the world that starts at the box's west edge.
  const eastOf = (lon: number) => box.west + wrapDeg360(lon - box.west);
  return towns
    .filter((t) => t.lat >= box.south && t.lat <= box.north && eastOf(t.lon) <= box.east)
    .sort((a, b) => b.population - a.population)
    .slice(0, limit);
}
