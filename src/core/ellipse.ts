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

/** Throws unless cov is a finite, positive-definite covariance. */
export function assertCovariance(cov: Cov2): void {
  const { ee, en, nn } = cov;
  const finite = Number.isFinite(ee) && Number.isFinite(en) && Number.isFinite(nn);
  if (!finite || !(ee > 0) || !(nn > 0) || !(ee * nn - en * en > 0)) {
    throw new HeimdallError(
      'InferenceError',
      `covariance is not positive definite (ee ${ee}, en ${en}, nn ${nn} m^2)`,
    );
  }
}

/** Eigen-decomposition of the symmetric 2x2 covariance: variances along the axes, major-axis azimuth. */
export function principalAxes(cov: Cov2): {
  majorVarM2: number;
  minorVarM2: number;
  azimuthDeg: number;
} {
  assertCovariance(cov);
  const { ee, en, nn } = cov;
  const mean = (ee + nn) / 2;
  const radius = Math.hypot((ee - nn) / 2, en);
  const majorVarM2 = mean + radius;
  // det / major instead of mean - radius: no cancellation when the ellipse is very thin.
  const minorVarM2 = (ee * nn - en * en) / majorVarM2;
  // Angle of the major axis counter-clockwise from east; azimuth is clockwise from north.
  const fromEastDeg = (0.5 * Math.atan2(2 * en, ee - nn) * 180) / Math.PI;
  let azimuthDeg = (((90 - fromEastDeg) % 180) + 180) % 180;
  if (azimuthDeg >= 180) azimuthDeg = 0;
  return { majorVarM2, minorVarM2, azimuthDeg };
}

export function ellipseFromCovariance(cov: Cov2, p: number): EllipseSummary {
  const k = kForProbability(p);
  const axes = principalAxes(cov);
  return {
    p,
    semiMajorM: k * Math.sqrt(axes.majorVarM2),
    semiMinorM: k * Math.sqrt(axes.minorVarM2),
    azimuthDeg: axes.azimuthDeg,
  };
}

/** Squared Mahalanobis distance of the offset (eastM, northM) from the estimate. */
export function mahalanobis2(cov: Cov2, eastM: number, northM: number): number {
  assertCovariance(cov);
  const det = cov.ee * cov.nn - cov.en * cov.en;
  return (cov.nn * eastM * eastM - 2 * cov.en * eastM * northM + cov.ee * northM * northM) / det;
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
  const { semiMajorM, semiMinorM, azimuthDeg } = ellipseFromCovariance(cov, p);
  const azRad = (azimuthDeg * Math.PI) / 180;
  // Unit vectors (east, north) of the major axis and of the minor axis 90 degrees counter-clockwise of it.
  const major = [Math.sin(azRad), Math.cos(azRad)];
  const minor = [-major[1], major[0]];
  const ring: [number, number][] = [];
  for (let i = 0; i < nPoints; i++) {
    const t = (2 * Math.PI * i) / nPoints;
    const a = semiMajorM * Math.cos(t);
    const b = semiMinorM * Math.sin(t);
    const v = fromLocalOffset(center, a * major[0] + b * minor[0], a * major[1] + b * minor[1]);
    ring.push([center.lon + wrapLonDeg(v.lon - center.lon), v.lat]);
  }
  ring.push([ring[0][0], ring[0][1]]);
  return ring;
}
