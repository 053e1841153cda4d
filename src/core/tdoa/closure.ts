/**
 * From pair lags to consistent arrival times. The lags of all pairs over-determine the N - 1
 * independent time differences: tau_ab + tau_bc - tau_ac = 0 for every triplet (closure). A
 * weighted least-squares fit of one arrival time per station (station 0 at 0) gives the consensus
 * differences; its chi-square measures how far the pairs disagree. With four or more stations a
 * station whose removal restores agreement is dropped, saying why; with three, disagreement cannot
 * be pinned on one station, so the uncertainties are scaled up until the lags agree (Birge ratio).
 *
 * Uncertainty model: pair errors at high SNR come mostly from each station's own noise and
 * channel, so pairs that share a station are correlated. Each station gets a variance v_i with
 * sigma_ab^2 = v_a + v_b (least squares, v >= 0) and the consensus times carry covariance
 * diag(v); this never claims more than the data hold (treating the three pairs of a triplet as
 * independent would overstate the information by half).
 */

import { HeimdallError } from '../errors';

export interface LagMeasurement {
  a: number;
  b: number;
  lagS: number;
  sigmaS: number;
}

export interface Triplet {
  a: number;
  b: number;
  c: number;
  /** tau_ab + tau_bc - tau_ac, seconds, and its standard deviation. */
  residualS: number;
  sigmaS: number;
}

/** Solves the small symmetric system A x = b in place (Gaussian elimination, partial pivoting). */
export function solveSmall(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r][c]) > Math.abs(m[p][c])) p = r;
    [m[c], m[p]] = [m[p], m[c]];
    const d = m[c][c];
    if (d === 0 || !Number.isFinite(d)) {
      // Callers fit only linked stations with finite weights; reaching this is a bug, named so.
      throw new HeimdallError('InferenceError', 'TDoA: singular system of station times');
    }
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r][c] / d;
      for (let q = c; q <= n; q++) m[r][q] -= f * m[c][q];
    }
  }
  return m.map((row, i) => row[n] / row[i]);
}

export function invertSmall(a: number[][]): number[][] {
  const n = a.length;
  const cols = Array.from({ length: n }, (_, j) =>
    solveSmall(
      a,
      Array.from({ length: n }, (_, i) => (i === j ? 1 : 0)),
    ),
  );
  return Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => cols[j][i]));
}

/** Arrival times t_i (t_0 = 0) fitting the lags, and the chi-square of the fit. */
export function fitStationTimes(
  stations: number,
  lags: readonly LagMeasurement[],
): { timesS: number[]; chi2: number; dof: number; normalised: number[] } {
  const m = stations - 1;
  const ata = Array.from({ length: m }, () => new Array<number>(m).fill(0));
  const atb = new Array<number>(m).fill(0);
  for (const l of lags) {
    const w = 1 / (l.sigmaS * l.sigmaS);
    // Row: +1 at b, -1 at a (station 0 is fixed at time 0 and has no column).
    const idx: [number, number][] = [];
    if (l.b > 0) idx.push([l.b - 1, 1]);
    if (l.a > 0) idx.push([l.a - 1, -1]);
    for (const [i, si] of idx) {
      atb[i] += w * si * l.lagS;
      for (const [j, sj] of idx) ata[i][j] += w * si * sj;
    }
  }
  const x = m > 0 ? solveSmall(ata, atb) : [];
  const timesS = [0, ...x];
  const normalised = lags.map((l) => (l.lagS - (timesS[l.b] - timesS[l.a])) / l.sigmaS);
  const chi2 = normalised.reduce((s, r) => s + r * r, 0);
  return { timesS, chi2, dof: lags.length - m, normalised };
}

export function tripletClosures(stations: number, lags: readonly LagMeasurement[]): Triplet[] {
  const find = (a: number, b: number) => lags.find((l) => l.a === a && l.b === b);
  const out: Triplet[] = [];
  for (let a = 0; a < stations; a++)
    for (let b = a + 1; b < stations; b++)
      for (let c = b + 1; c < stations; c++) {
        const ab = find(a, b);
        const bc = find(b, c);
        const ac = find(a, c);
        if (!ab || !bc || !ac) continue;
        out.push({
          a,
          b,
          c,
          residualS: ab.lagS + bc.lagS - ac.lagS,
          sigmaS: Math.hypot(ab.sigmaS, bc.sigmaS, ac.sigmaS),
        });
      }
  return out;
}

/** Upper 95 % point of chi-square with k degrees of freedom (Wilson-Hilferty; exact enough here). */
export function chi2Quantile95(k: number): number {
  return chi2UpperQuantile(k, 1.6448536269514722);
}

/** The chi-square (k degrees of freedom) point the standard normal's z maps to (Wilson-Hilferty). */
export function chi2UpperQuantile(k: number, z: number): number {
  const h = 2 / (9 * k);
  return k * (1 - h + z * Math.sqrt(h)) ** 3;
}

/**
 * Per-station variances v with v_a + v_b = sigma_ab^2 in the least-squares sense, v >= 0
 * (projected coordinate descent; a handful of stations). With two stations the pair's variance
 * is split evenly.
 */
export function stationVariances(stations: number, lags: readonly LagMeasurement[]): number[] {
  const v = new Array<number>(stations).fill(0);
  if (lags.length === 0) return v;
  const mean = lags.reduce((s, l) => s + l.sigmaS * l.sigmaS, 0) / lags.length;
  v.fill(mean / 2);
  if (stations === 2) return v;
  for (let iter = 0; iter < 200; iter++) {
    for (let i = 0; i < stations; i++) {
      let num = 0;
      let count = 0;
      for (const l of lags) {
        if (l.a !== i && l.b !== i) continue;
        const other = l.a === i ? l.b : l.a;
        num += l.sigmaS * l.sigmaS - v[other];
        count++;
      }
      if (count) v[i] = Math.max(0, num / count);
    }
  }
  // A station whose share came out zero still has some error: a tenth of the smallest pair's.
  const smallest = Math.min(...lags.map((l) => l.sigmaS * l.sigmaS));
  return v.map((x) => Math.max(x, smallest / 10));
}

/** Stations of the largest group linked by measurements (the least-squares fit needs one). */
export function largestLinkedGroup(stations: number, lags: readonly LagMeasurement[]): number[] {
  const group = Array.from({ length: stations }, (_, i) => i);
  const find = (i: number): number => (group[i] === i ? i : (group[i] = find(group[i])));
  for (const l of lags) group[find(l.a)] = find(l.b);
  const sizes = new Map<number, number[]>();
  for (let i = 0; i < stations; i++) {
    const r = find(i);
    sizes.set(r, [...(sizes.get(r) ?? []), i]);
  }
  return [...sizes.values()].reduce((a, b) => (b.length > a.length ? b : a), []);
}
