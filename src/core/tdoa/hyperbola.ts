/**
 * With two stations the time difference places the transmitter on a line, not a point: the
 * locus where d(P, b) - d(P, a) = c * tau (one branch of a hyperbola on the ellipsoid). Traced
 * along rays from station a: along a ray, d(P, b) - d(P, a) never increases (triangle
 * inequality), so each ray crosses the locus at most once and bisection finds it.
 */
import { continuousLons } from '../antimeridian';
import { geodesicDirect, type LatLon } from '../geodesy';
import { fastDistanceM, fastPoint, SPEED_OF_LIGHT_M_S } from './propagation';

const AZIMUTH_STEP_DEG = 1;
const BISECTIONS = 40;

/** The locus as a polyline of [lon, lat], within `maxRangeM` of station a. */
export function hyperbola(
  a: LatLon,
  b: LatLon,
  lagS: number,
  maxRangeM: number,
): [number, number][] {
  const fb = fastPoint(b);
  const fa = fastPoint(a);
  const target = lagS * SPEED_OF_LIGHT_M_S;
  const g = (az: number, r: number) => {
    const p = fastPoint(geodesicDirect(a, az, r));
    return fastDistanceM(p, fb) - fastDistanceM(p, fa) - target;
  };
  const roots: ([number, number] | null)[] = [];
  for (let az = 0; az < 360; az += AZIMUTH_STEP_DEG) {
    let lo = 0;
    let hi = maxRangeM;
    if (g(az, lo) < 0 || g(az, hi) > 0) {
      roots.push(null);
      continue;
    }
    for (let i = 0; i < BISECTIONS; i++) {
      const mid = (lo + hi) / 2;
      if (g(az, mid) > 0) lo = mid;
      else hi = mid;
    }
    const p = geodesicDirect(a, az, (lo + hi) / 2);
    roots.push([p.lon, p.lat]);
  }
  // The azimuths with a root form one arc (circularly): start after a gap.
  const gap = roots.findIndex((r) => r === null);
  if (gap < 0) return continuousLons(roots.map((r) => r!));
  const line: [number, number][] = [];
  let longest: [number, number][] = [];
  for (let i = 1; i <= roots.length; i++) {
    const r = roots[(gap + i) % roots.length];
    if (r) line.push(r);
    else {
      if (line.length > longest.length) longest = [...line];
      line.length = 0;
    }
  }
  // Longitudes carried on across the antimeridian, as the regions' rings are (ellipse.ts): a line
  // that steps from +180 to -180 would be drawn across the whole map.
  return continuousLons(line.length > longest.length ? line : longest);
}
