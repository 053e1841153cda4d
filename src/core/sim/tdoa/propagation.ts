/**
 * Ground-wave propagation for the TDoA simulator: along the geodesic on the WGS84 ellipsoid (the
 * great circle the issue names, without the 0.3 % a 6371 km sphere gets wrong) at the speed of
 * light in vacuum. The solver predicts delays the same way; any other model in the solver shows
 * up in the evaluation as a bias of up to about 0.3 % of the path differences.
 */
import { geodesicInverse, type LatLon } from '../../geodesy';

/** Speed of light in vacuum, m/s (exact by the SI definition of the metre). */
export const SPEED_OF_LIGHT_M_PER_S = 299_792_458;

/** Time of flight from a to b, seconds. */
export function propagationDelayS(a: LatLon, b: LatLon): number {
  return geodesicInverse(a, b).distanceM / SPEED_OF_LIGHT_M_PER_S;
}
