/**
 * Geodesy on the WGS84 ellipsoid. Every distance and direction in the app goes through Karney's
 * geodesic algorithms (geographiclib), so metres are metres at any latitude: no spherical
 * approximations, and never metres or radians added to degrees.
 */
import geodesicLib from 'geographiclib-geodesic';
import { HeimdallError } from './errors';

// The package is UMD/CommonJS; its default export is the namespace object in every bundler and in Node.
const wgs84 = geodesicLib.Geodesic.WGS84;

export type LatLon = { lat: number; lon: number };

/** Wrap an angle to [0, 360); angles already in range come back unchanged (bit for bit). */
export function wrapDeg360(deg: number): number {
  if (deg >= 0 && deg < 360) return deg;
  const r = ((deg % 360) + 360) % 360;
  return r === 360 ? 0 : r;
}

/** Wrap a longitude to [-180, 180); longitudes already in range come back unchanged. */
export function wrapLonDeg(lonDeg: number): number {
  if (lonDeg >= -180 && lonDeg < 180) return lonDeg;
  return wrapDeg360(lonDeg + 180) - 180;
}

function assertLatLon(p: LatLon, what: string): void {
  if (!Number.isFinite(p.lat) || !Number.isFinite(p.lon) || Math.abs(p.lat) > 90) {
    throw new HeimdallError(
      'ConfigError',
      `${what} is not a valid coordinate (lat ${p.lat}, lon ${p.lon})`,
    );
  }
}

/** Shortest geodesic from a to b: length and the azimuth at a, clockwise from north in [0, 360). */
export function geodesicInverse(a: LatLon, b: LatLon): { distanceM: number; azimuthDeg: number } {
  assertLatLon(a, 'geodesic start');
  assertLatLon(b, 'geodesic end');
  const r = wgs84.Inverse(
    a.lat,
    a.lon,
    b.lat,
    b.lon,
    geodesicLib.Geodesic.DISTANCE | geodesicLib.Geodesic.AZIMUTH,
  );
  return { distanceM: r.s12 ?? NaN, azimuthDeg: wrapDeg360(r.azi1 ?? NaN) };
}

/** The point reached by travelling distanceM along the geodesic leaving a at azimuthDeg. Longitude in [-180, 180]. */
export function geodesicDirect(a: LatLon, azimuthDeg: number, distanceM: number): LatLon {
  assertLatLon(a, 'geodesic start');
  if (!Number.isFinite(azimuthDeg) || !Number.isFinite(distanceM)) {
    throw new HeimdallError(
      'ConfigError',
      `geodesic direct needs a finite azimuth and distance (${azimuthDeg}, ${distanceM})`,
    );
  }
  const r = wgs84.Direct(
    a.lat,
    a.lon,
    azimuthDeg,
    distanceM,
    geodesicLib.Geodesic.LATITUDE | geodesicLib.Geodesic.LONGITUDE,
  );
  return { lat: r.lat2 ?? NaN, lon: r.lon2 ?? NaN };
}

/**
 * Offset of p from origin in the azimuthal-equidistant projection centred on origin: the geodesic
 * distance s and azimuth az, written as east = s sin(az), north = s cos(az). Model sigmas and the
 * ellipses live in this frame; it equals the local tangent plane to first order and, unlike it,
 * has an exact inverse (fromLocalOffset).
 */
export function localOffset(origin: LatLon, p: LatLon): { eastM: number; northM: number } {
  const { distanceM, azimuthDeg } = geodesicInverse(origin, p);
  if (distanceM === 0) return { eastM: 0, northM: 0 };
  const azRad = (azimuthDeg * Math.PI) / 180;
  return { eastM: distanceM * Math.sin(azRad), northM: distanceM * Math.cos(azRad) };
}

/** Exact inverse of localOffset: the point at (eastM, northM) in origin's azimuthal-equidistant frame. */
export function fromLocalOffset(origin: LatLon, eastM: number, northM: number): LatLon {
  const distanceM = Math.hypot(eastM, northM);
  if (distanceM === 0) return { lat: origin.lat, lon: origin.lon };
  const azimuthDeg = (Math.atan2(eastM, northM) * 180) / Math.PI;
  return geodesicDirect(origin, azimuthDeg, distanceM);
}

/** Initial bearing from a to b, degrees clockwise from north in [0, 360). */
export function bearingDeg(a: LatLon, b: LatLon): number {
  return geodesicInverse(a, b).azimuthDeg;
}

/** Geodesic distance from a to b in kilometres. */
export function distanceKm(a: LatLon, b: LatLon): number {
  return geodesicInverse(a, b).distanceM / 1000;
}
