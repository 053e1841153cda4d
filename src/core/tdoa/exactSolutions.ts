/**
 * Every position where three stations' arrival times fit exactly (issue 12, item 4: two
 * intersections, both shown).
 *
 * Three stations give two time differences for two coordinates: their hyperbolas cross once or
 * twice, and both crossings fit the data perfectly. The search grid covers the stations and their
 * surroundings and grows only where the probable cells reach its edge, so a second crossing
 * hundreds of km outside the network, with the first well inside the box, was never seen: the
 * solver gave the near one as the position with a region of a few hundred metres, 428 km from a
 * transmitter at the far one (tdoa-11-00063 of `eval:tdoa --seed 11`). This finds both crossings
 * in closed form and solvePosition widens its search to hold them.
 *
 * In a plane, with station 0 at the origin, ranges r_i = r_0 + D_i (D_i = c (t_i - t_0)) and
 * |s_i - x|^2 = r_i^2 give two equations linear in x and r_0: 2 s_i . x + 2 D_i r_0 = |s_i|^2 -
 * D_i^2 (i = 1, 2), so x = p + q r_0, and |x|^2 = r_0^2 leaves a quadratic in r_0 (Fang 1990; the
 * roots with r_0 >= 0 and every r_i >= 0 are the crossings). On the ellipsoid the plane is the
 * azimuthal-equidistant one (geodesy.ts localOffset) centred on the candidate itself: there every
 * station's distance from the centre is its exact geodesic distance, so re-centring on the root
 * nearest the centre until it stops moving converges to the exact crossing.
 */
import { fromLocalOffset, localOffset, type LatLon } from '../geodesy';
import { SPEED_OF_LIGHT_M_S } from './propagation';

/** Re-centrings of the projection (each moves the crossing by the projection's distortion). */
const MAX_RECENTRES = 8;
/** A re-centring that moves the point less than this has converged, m. */
const CONVERGED_M = 1;
/** Roots closer than this are one crossing (a tangent contact), m. */
const SAME_ROOT_M = 1000;

type Vec = [number, number];

/**
 * The crossings of three stations' hyperbolas in a plane (station positions and arrival times,
 * m and s): zero, one or two points.
 */
export function planarCrossings(stations: readonly Vec[], timesS: readonly number[]): Vec[] {
  if (stations.length !== 3 || timesS.length !== 3) return [];
  const [s0, s1, s2] = stations;
  const a: Vec = [s1[0] - s0[0], s1[1] - s0[1]];
  const b: Vec = [s2[0] - s0[0], s2[1] - s0[1]];
  const d1 = SPEED_OF_LIGHT_M_S * (timesS[1] - timesS[0]);
  const d2 = SPEED_OF_LIGHT_M_S * (timesS[2] - timesS[0]);
  const det = a[0] * b[1] - a[1] * b[0];
  // Collinear stations: the two equations do not fix x (a mirror ambiguity no closed form solves).
  const scale = Math.hypot(...a) * Math.hypot(...b);
  if (!(Math.abs(det) > 1e-9 * scale)) return [];
  // x = M^-1 (h - 2 D r0) / 2, with M rows a, b and h_i = |s_i|^2 - D_i^2.
  const h1 = a[0] * a[0] + a[1] * a[1] - d1 * d1;
  const h2 = b[0] * b[0] + b[1] * b[1] - d2 * d2;
  const inv = (u: number, v: number): Vec => [
    (b[1] * u - a[1] * v) / det,
    (-b[0] * u + a[0] * v) / det,
  ];
  const p = inv(h1 / 2, h2 / 2);
  const q = inv(-d1, -d2);
  const qa = q[0] * q[0] + q[1] * q[1] - 1;
  const qb = 2 * (p[0] * q[0] + p[1] * q[1]);
  const qc = p[0] * p[0] + p[1] * p[1];
  const roots: number[] = [];
  if (Math.abs(qa) < 1e-12) {
    if (qb !== 0) roots.push(-qc / qb);
  } else {
    const disc = qb * qb - 4 * qa * qc;
    if (disc >= 0) {
      const sq = Math.sqrt(disc);
      // The numerically stable pair of roots.
      const t = -0.5 * (qb + (qb >= 0 ? sq : -sq));
      if (t !== 0) roots.push(qc / t);
      roots.push(t / qa);
    }
  }
  const out: Vec[] = [];
  for (const r0 of roots) {
    if (!(r0 >= 0)) continue;
    const x: Vec = [p[0] + q[0] * r0, p[1] + q[1] * r0];
    // Squaring admits ranges of the wrong sign: keep a root only if every range is r0 + D_i.
    const r1 = Math.hypot(x[0] - a[0], x[1] - a[1]);
    const r2 = Math.hypot(x[0] - b[0], x[1] - b[1]);
    const tol = 1e-6 * (r0 + Math.abs(d1) + Math.abs(d2) + 1);
    if (Math.abs(r1 - (r0 + d1)) > tol || Math.abs(r2 - (r0 + d2)) > tol) continue;
    const point: Vec = [x[0] + s0[0], x[1] + s0[1]];
    if (!out.some((o) => Math.hypot(o[0] - point[0], o[1] - point[1]) < SAME_ROOT_M))
      out.push(point);
  }
  return out;
}

/**
 * The crossing nearest `start`, the projection re-centred on it until it moves under CONVERGED_M
 * (at most MAX_RECENTRES times); undefined where the hyperbolas no longer cross there.
 */
function settle(
  stations: readonly LatLon[],
  timesS: readonly number[],
  start: LatLon,
): LatLon | undefined {
  let centre = start;
  for (let i = 0; i < MAX_RECENTRES; i++) {
    const roots = planarCrossings(inFrame(centre, stations), timesS);
    if (roots.length === 0) return undefined;
    const nearest = roots.reduce((m, r) => (Math.hypot(...r) < Math.hypot(...m) ? r : m));
    const moved = Math.hypot(...nearest);
    centre = fromLocalOffset(centre, nearest[0], nearest[1]);
    if (moved < CONVERGED_M) return centre;
  }
  return centre;
}

/**
 * The exact crossings of three stations' hyperbolas on the WGS84 ellipsoid, from their positions
 * and arrival times (the emission time unknown). Empty for any other number of stations.
 */
export function exactSolutions(stations: readonly LatLon[], timesS: readonly number[]): LatLon[] {
  if (stations.length !== 3) return [];
  const centre = stations[0];
  const out: LatLon[] = [];
  for (const seed of planarCrossings(inFrame(centre, stations), timesS)) {
    const p = settle(stations, timesS, fromLocalOffset(centre, seed[0], seed[1]));
    if (!p) continue;
    if (out.some((o) => Math.hypot(...vecOf(localOffset(o, p))) < SAME_ROOT_M)) continue;
    out.push(p);
  }
  return out;
}

function vecOf(o: { eastM: number; northM: number }): Vec {
  return [o.eastM, o.northM];
}

/** The stations in the azimuthal-equidistant frame centred on `centre` (east, north; m). */
function inFrame(centre: LatLon, stations: readonly LatLon[]): Vec[] {
  return stations.map((s) => vecOf(localOffset(centre, s)));
}
