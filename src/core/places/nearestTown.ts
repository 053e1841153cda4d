/** The nearest town to a point, and the phrase an operator reads: "12 km north-east of X". */
import { geodesicInverse, type LatLon } from '../geodesy';
import type { Town } from './towns';

export interface TownRelation {
  town: Town;
  /** From the town to the point. */
  distanceM: number;
  azimuthDeg: number;
}

const KM_PER_DEG_LAT = 111.2;

/**
 * A cheap equirectangular distance picks a few candidates, the geodesic settles them: the table
 * holds tens of thousands of towns, and a flat approximation can misorder two close ones only
 * near the poles, so the best 8 by it are checked exactly.
 */
export function nearestTown(towns: readonly Town[], p: LatLon): TownRelation | null {
  if (towns.length === 0) return null;
  const cosLat = Math.cos((p.lat * Math.PI) / 180);
  const scored = towns.map((t) => {
    let dLon = Math.abs(t.lon - p.lon);
    if (dLon > 180) dLon = 360 - dLon;
    const dx = dLon * cosLat * KM_PER_DEG_LAT;
    const dy = (t.lat - p.lat) * KM_PER_DEG_LAT;
    return { t, d2: dx * dx + dy * dy };
  });
  scored.sort((a, b) => a.d2 - b.d2);
  let best: TownRelation | null = null;
  for (const { t } of scored.slice(0, 8)) {
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
  return towns
    .filter(
      (t) => t.lat >= box.south && t.lat <= box.north && t.lon >= box.west && t.lon <= box.east,
    )
    .sort((a, b) => b.population - a.population)
    .slice(0, limit);
}
