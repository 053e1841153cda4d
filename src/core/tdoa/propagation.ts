/**
 * Ground-wave path delays. The wave follows the earth's surface along the geodesic; its speed is
 * taken as c (issue 12: 299792.458 km/s). Distances are on the WGS84 ellipsoid:
 * - exactly (geographiclib, Karney) where few are needed: station baselines, the least-squares
 *   refinement;
 * - with the Andoyer-Lambert first-order flattening correction over the search grids, where
 *   millions are needed: it stays within about 10 m of the geodesic up to a few thousand km
 *   (checked against geographiclib and against the numpy reference vectors in tests/fixtures/tdoa).
 *   A 6371 km sphere would be off by up to 0.5 %, i.e. a kilometre on a 200 km path difference.
 */
import { geodesicInverse, type LatLon } from '../geodesy';

export const SPEED_OF_LIGHT_M_S = 299_792_458;
const WGS84_A_M = 6_378_137;
const WGS84_F = 1 / 298.257223563;
const DEG = Math.PI / 180;

/** Exact geodesic distance, metres (geographiclib). */
export function geodesicDistanceM(a: LatLon, b: LatLon): number {
  return geodesicInverse(a, b).distanceM;
}

/** Precomputed trigonometry of a point for fast repeated distances (reduced latitude). */
export interface FastPoint {
  sinB: number;
  cosB: number;
  lonRad: number;
}

export function fastPoint(p: LatLon): FastPoint {
  const beta = Math.atan((1 - WGS84_F) * Math.tan(p.lat * DEG));
  return { sinB: Math.sin(beta), cosB: Math.cos(beta), lonRad: p.lon * DEG };
}

/**
 * Andoyer-Lambert distance in metres between two points given by reduced-latitude sines and
 * cosines and the cosine of their longitude difference. Central angle by the haversine-safe
 * atan2 form; X and Y as in Lambert's formula for long lines.
 */
export function andoyerLambertM(
  sinB1: number,
  cosB1: number,
  sinB2: number,
  cosB2: number,
  cosDLon: number,
  sinDLon: number,
): number {
  // Central angle between the reduced-latitude points on the unit sphere.
  const cx = cosB2 * sinDLon;
  const cy = cosB1 * sinB2 - sinB1 * cosB2 * cosDLon;
  const sinS = Math.sqrt(cx * cx + cy * cy);
  const cosS = sinB1 * sinB2 + cosB1 * cosB2 * cosDLon;
  // P = (b1 + b2) / 2, Q = (b2 - b1) / 2, from the sines and cosines.
  const sinPcosQ2 = ((sinB1 + sinB2) / 2) ** 2; // sin^2 P cos^2 Q = ((sinB1 + sinB2)/2)^2
  const cosPsinQ2 = ((sinB2 - sinB1) / 2) ** 2; // cos^2 P sin^2 Q = ((sinB2 - sinB1)/2)^2
  return lambertM(sinS, cosS, sinPcosQ2, cosPsinQ2);
}

/**
 * The Andoyer-Lambert distance from the central angle's sine and cosine and the two latitude
 * terms (andoyerLambertM): the part that differs from pair to pair, shared with the search grid's
 * per-row form (gridGeometry.ts) so both give the same number.
 */
export function lambertM(sinS: number, cosS: number, sinPcosQ2: number, cosPsinQ2: number): number {
  const sigma = Math.atan2(sinS, cosS);
  if (sigma < 1e-12) return 0;
  const cosHalf2 = (1 + cosS) / 2;
  const sinHalf2 = (1 - cosS) / 2;
  const x = cosHalf2 > 1e-15 ? ((sigma - sinS) * sinPcosQ2) / cosHalf2 : 0;
  const y = sinHalf2 > 1e-15 ? ((sigma + sinS) * cosPsinQ2) / sinHalf2 : 0;
  return WGS84_A_M * (sigma - (WGS84_F / 2) * (x + y));
}

export function fastDistanceM(a: FastPoint, b: FastPoint): number {
  const d = b.lonRad - a.lonRad;
  return andoyerLambertM(a.sinB, a.cosB, b.sinB, b.cosB, Math.cos(d), Math.sin(d));
}
