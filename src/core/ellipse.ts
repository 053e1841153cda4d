/**
 * Uncertainty ellipses of a 2-D Gaussian position estimate. The covariance is in square metres
 * along east and north of the azimuthal-equidistant frame at the estimate (see geodesy.ts), the
 * frame the model's sigmas are defined in.
 */
import { HeimdallError } from './errors';
import { fromLocalOffset, wrapLonDeg, type LatLon } from './geodesy';

/** Position covariance, m^2: var(east), cov(east, north), var(north). */
export type Cov2 = { ee: number; en: number; nn: number };

export interface EllipseSummary {
  /** Probability mass inside the ellipse, in (0, 1). */
  p: number;
  semiMajorM: number;
  semiMinorM: number;
  /** Direction of the major axis, degrees clockwise from north, in [0, 180). */
  azimuthDeg: number;
}

/** The two probabilities the app shows and exports. */
export const ELLIPSE_PROBABILITIES = [0.68, 0.95] as const;

/**
 * Scale from 1-sigma axes to the ellipse holding probability p. For a 2-D Gaussian the squared
 * Mahalanobis distance is chi-square with 2 degrees of freedom, whose CDF is 1 - exp(-r^2/2), so
 * k = sqrt(-2 ln(1 - p)): 1.5096 for 68 %, 2.4477 for 95 % (the 1-sigma ellipse holds only 39.3 %).
 */
export function kForProbability(p: number): number {
  if (!(p > 0 && p < 1)) {
    throw new HeimdallError('ConfigError', `ellipse probability must be in (0, 1), got ${p}`);
  }
  return Math.sqrt(-2 * Math.log1p(-p));
}

// Veltkamp's splitter for doubles, 2^27 + 1: splits a 53-bit mantissa into two 26-bit halves.
const SPLITTER = 134217729;

/** a * b as an unevaluated sum hi + lo, exact (Dekker's two-product). */
function twoProduct(a: number, b: number): [number, number] {
  const hi = a * b;
  const ca = SPLITTER * a;
  const aHi = ca - (ca - a);
  const aLo = a - aHi;
  const cb = SPLITTER * b;
  const bHi = cb - (cb - b);
  const bLo = b - bHi;
  return [hi, aHi * bHi - hi + aHi * bLo + aLo * bHi + aLo * bLo];
}

/**
 * ee * nn - en^2 to a few ulps. The naive form loses about log10(condition number) digits, and a
 * thin ellipse (a strongly correlated estimate) is exactly the case where the two products agree.
 */
function determinant(cov: Cov2): number {
  const [p, pErr] = twoProduct(cov.ee, cov.nn);
  const [q, qErr] = twoProduct(cov.en, cov.en);
  return p - q + (pErr - qErr);
}

/** Throws unless cov is a finite, positive-definite covariance; returns its determinant. */
export function assertCovariance(cov: Cov2): number {
  const { ee, en, nn } = cov;
  const finite = Number.isFinite(ee) && Number.isFinite(en) && Number.isFinite(nn);
  const det = finite ? determinant(cov) : NaN;
  if (!(ee > 0) || !(nn > 0) || !(det > 0) || !Number.isFinite(det)) {
    throw new HeimdallError(
      'InferenceError',
      `covariance is not positive definite (ee ${ee}, en ${en}, nn ${nn} m^2)`,
    );
  }
  return det;
}

interface Axes {
  majorVarM2: number;
  minorVarM2: number;
  /** Unit vector of the major axis, east and north components. */
  majorEast: number;
  majorNorth: number;
}

function axes(cov: Cov2): Axes {
  const det = assertCovariance(cov);
  const { ee, en, nn } = cov;
  const majorVarM2 = (ee + nn) / 2 + Math.hypot((ee - nn) / 2, en);
  // det / major rather than mean - radius, which cancels catastrophically for a thin ellipse.
  const minorVarM2 = det / majorVarM2;
  // Angle of the major axis counter-clockwise from east (standard 2x2 symmetric eigenvector).
  const fromEastRad = 0.5 * Math.atan2(2 * en, ee - nn);
  return {
    majorVarM2,
    minorVarM2,
    majorEast: Math.cos(fromEastRad),
    majorNorth: Math.sin(fromEastRad),
  };
}

/** Eigen-decomposition of the symmetric 2x2 covariance: variances along the axes, major-axis azimuth. */
export function principalAxes(cov: Cov2): {
  majorVarM2: number;
  minorVarM2: number;
  azimuthDeg: number;
} {
  const a = axes(cov);
  // Azimuth is clockwise from north; an axis is a direction modulo 180 degrees.
  let azimuthDeg = ((((Math.atan2(a.majorEast, a.majorNorth) * 180) / Math.PI) % 180) + 180) % 180;
  if (azimuthDeg >= 180) azimuthDeg = 0;
  return { majorVarM2: a.majorVarM2, minorVarM2: a.minorVarM2, azimuthDeg };
}

export function ellipseFromCovariance(cov: Cov2, p: number): EllipseSummary {
  const k = kForProbability(p);
  const a = principalAxes(cov);
  return {
    p,
    semiMajorM: k * Math.sqrt(a.majorVarM2),
    semiMinorM: k * Math.sqrt(a.minorVarM2),
    azimuthDeg: a.azimuthDeg,
  };
}

/**
 * Squared Mahalanobis distance of the offset (eastM, northM) from the estimate, summed along the
 * principal axes: the adjugate form x' adj(C) x / det cancels as badly as the naive determinant.
 */
export function mahalanobis2(cov: Cov2, eastM: number, northM: number): number {
  const a = axes(cov);
  const along = eastM * a.majorEast + northM * a.majorNorth;
  const across = northM * a.majorEast - eastM * a.majorNorth;
  return (along * along) / a.majorVarM2 + (across * across) / a.minorVarM2;
}

/** Whether the offset (eastM, northM) lies inside (or on) the ellipse holding probability p. */
export function insideEllipse(cov: Cov2, eastM: number, northM: number, p: number): boolean {
  const k = kForProbability(p);
  return mahalanobis2(cov, eastM, northM) <= k * k;
}

/**
 * The ellipse holding probability p as a closed ring of [lon, lat] degrees, counter-clockwise (the
 * GeoJSON and KML exterior-ring orientation), nPoints distinct vertices plus the closing one. Each
 * vertex is placed in metres around the centre and mapped with the geodesic fromLocalOffset.
 * Longitudes are kept continuous around the centre, so a ring across the antimeridian may hold
 * values beyond +-180 (map libraries draw those correctly; splitting the ring would not help them).
 */
export function ellipsePolygon(
  center: LatLon,
  cov: Cov2,
  p: number,
  nPoints = 128,
): [number, number][] {
  if (!Number.isInteger(nPoints) || nPoints < 3) {
    throw new HeimdallError(
      'ConfigError',
      `an ellipse polygon needs an integer number of points >= 3, got ${nPoints}`,
    );
  }
  const k = kForProbability(p);
  const a = axes(cov);
  const semiMajorM = k * Math.sqrt(a.majorVarM2);
  const semiMinorM = k * Math.sqrt(a.minorVarM2);
  // The minor axis is the major one turned 90 degrees counter-clockwise, so rising t runs counter-clockwise.
  const major = [a.majorEast, a.majorNorth];
  const minor = [-a.majorNorth, a.majorEast];
  const ring: [number, number][] = [];
  for (let i = 0; i < nPoints; i++) {
    const t = (2 * Math.PI * i) / nPoints;
    const alongM = semiMajorM * Math.cos(t);
    const acrossM = semiMinorM * Math.sin(t);
    const eastM = alongM * major[0] + acrossM * minor[0];
    const v = fromLocalOffset(center, eastM, alongM * major[1] + acrossM * minor[1]);
    ring.push([center.lon + wrapLonDeg(v.lon - center.lon), v.lat]);
  }
  ring.push([ring[0][0], ring[0][1]]);
  return ring;
}
