/**
 * The prior on the transmitter's position: broad, centred on the receivers.
 *
 * A flat prior per unit area over the search box (the solver's before) lets a far solution win
 * on area alone: three stations give two exact solutions, and the far one, where the hyperbolas
 * cross at a shallow angle, spreads over a region hundreds of times larger, so it holds most of
 * the mass however rarely transmitters are there (and the box that grows to hold it decides by
 * how much). Operators pick receivers around the transmitter they look for (the KiwiSDR TDoA
 * service tells them to), so a transmitter among or near the receivers is more probable than one
 * several network radii away. The prior says that and no more: a 2-D Student-t with 2 degrees of
 * freedom, density (1 + d^2 / (2 s^2))^-2 at distance d from the receivers' centroid, its scale
 * s the network's radius (the farthest receiver from the centroid, at least MIN_SCALE_M). At one
 * radius it is 0.44 of its centre's value, at five 1/180: the data overrule it wherever they pin
 * the position, and it decides only between solutions they leave equally good.
 */
import { geodesicInverse, type LatLon } from '../geodesy';

/** A network of receivers a few km apart still says little about a transmitter 50 km away. */
const MIN_SCALE_M = 50_000;

export interface SpatialPrior {
  centre: LatLon;
  scaleM: number;
}

/** The receivers' centroid (on the unit sphere) and radius. */
export function networkPrior(stations: readonly LatLon[]): SpatialPrior {
  let x = 0;
  let y = 0;
  let z = 0;
  for (const s of stations) {
    const lat = (s.lat * Math.PI) / 180;
    const lon = (s.lon * Math.PI) / 180;
    x += Math.cos(lat) * Math.cos(lon);
    y += Math.cos(lat) * Math.sin(lon);
    z += Math.sin(lat);
  }
  const centre = {
    lat: (Math.atan2(z, Math.hypot(x, y)) * 180) / Math.PI,
    lon: (Math.atan2(y, x) * 180) / Math.PI,
  };
  const radiusM = Math.max(...stations.map((s) => geodesicInverse(centre, s).distanceM));
  return { centre, scaleM: Math.max(MIN_SCALE_M, radiusM) };
}

const EARTH_RADIUS_M = 6_371_000;

/** log prior density at (lat, lon), up to a constant (spherical distance: a prior needs no more). */
export function logPrior(prior: SpatialPrior, latDeg: number, lonDeg: number): number {
  const p1 = (prior.centre.lat * Math.PI) / 180;
  const p2 = (latDeg * Math.PI) / 180;
  const dl = ((lonDeg - prior.centre.lon) * Math.PI) / 180;
  return logPriorOfCos(
    prior,
    Math.sin(p1) * Math.sin(p2) + Math.cos(p1) * Math.cos(p2) * Math.cos(dl),
  );
}

/**
 * logPrior over a grid's cells, with its trigonometry computed once per row and per column
 * instead of per cell (the same arithmetic, so the same numbers): `priorRow(g, latDeg)` readies a
 * parallel, then `priorAt(g, col)` gives the log prior at that row and column (issue 12, item 10).
 */
export function gridPrior(prior: SpatialPrior, lonsDeg: Float64Array): GridPrior {
  const p1 = (prior.centre.lat * Math.PI) / 180;
  const sin1 = Math.sin(p1);
  const cos1 = Math.cos(p1);
  const cosDl = lonsDeg.map((lon) => Math.cos(((lon - prior.centre.lon) * Math.PI) / 180));
  // Plain data and the module's functions below, not closures made per grid: code that called a
  // closure of the last solve's grid was discarded at the next solve's ("wrong call target").
  return { prior, sin1, cos1, cosDl, sinSin: 0, cosCos: 0 };
}

/** A grid's prior: the centre's and each column's trigonometry, and the current row's. */
export interface GridPrior {
  prior: SpatialPrior;
  sin1: number;
  cos1: number;
  cosDl: Float64Array;
  sinSin: number;
  cosCos: number;
}

/** Readies the parallel at latDeg for priorAt. */
export function priorRow(g: GridPrior, latDeg: number): void {
  const p2 = (latDeg * Math.PI) / 180;
  g.sinSin = g.sin1 * Math.sin(p2);
  g.cosCos = g.cos1 * Math.cos(p2);
}

/** The log prior at column `col` of the row priorRow readied. */
export function priorAt(g: GridPrior, col: number): number {
  return logPriorOfCos(g.prior, g.sinSin + g.cosCos * g.cosDl[col]);
}

/** The log prior at the cosine c of the central angle from the receivers' centroid. */
function logPriorOfCos(prior: SpatialPrior, c: number): number {
  const d = EARTH_RADIUS_M * Math.acos(Math.max(-1, Math.min(1, c)));
  return -2 * Math.log1p((d * d) / (2 * prior.scaleM ** 2));
}
