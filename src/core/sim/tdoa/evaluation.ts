/**
 * Scoring TDoA results against simulated truth: position error, whether the 68 % / 95 % regions
 * (grid highest-posterior-density sets and ellipses) hold the transmitter, lag errors against the
 * solver's own sigmas and the Cramer-Rao bound, and summaries over sets of scenes.
 */
import { mahalanobis2, type EllipseSummary } from '../../ellipse';
import { geodesicInverse, localOffset, type LatLon } from '../../geodesy';
import { percentile } from '../../stats';
import { radialErrorProbability } from '../../tdoa/crb';
import { cellAreaM2, corePeak, massDenserThan } from '../../tdoa/regions';
import type { TdoaGrid, TdoaMode, TdoaResult } from '../../tdoa/types';
import { cellOf, insideTdoaRegion } from '../../tdoaRegions';
import { pairKey, type SceneCrb } from './sceneCrb';
import type { TdoaScene } from './scene';

/**
 * The posterior mass denser than the truth: the smallest highest-density region that holds it.
 * Uniform over [0, 1] across scenes when the posterior is calibrated; 1 where the posterior has no
 * density at the truth. The modes off the grid (TdoaMode.core) count with their Gaussian cores.
 */
export function truthCredibility(
  result: { grid: TdoaGrid; modes?: readonly TdoaMode[] },
  p: LatLon,
): number {
  const { grid } = result;
  const cores = (result.modes ?? []).flatMap((m) =>
    m.core ? [{ weight: m.weight, cov: m.core, at: m }] : [],
  );
  const cell = cellOf(grid, p);
  const at = cell ? grid.prob[cell.row * grid.cols + cell.col] : 0;
  if (cores.length === 0) {
    if (!cell) return 1;
    let above = 0;
    for (const v of grid.prob) if (v > at) above += v;
    return Math.min(1, above);
  }
  const share = grid.share ?? 1;
  let density = (share * at) / cellAreaM2(grid);
  for (const c of cores) {
    const off = localOffset(c.at, p);
    density += corePeak(c) * Math.exp(-mahalanobis2(c.cov, off.eastM, off.northM) / 2);
  }
  // Strictly denser: a hair above the truth's own density.
  return density > 0 ? Math.min(1, massDenserThan(grid, share, cores, density * (1 + 1e-9))) : 1;
}

/** Whether p lies inside the ellipse centred on `centre` (azimuth of the major axis from north). */
export function ellipseContains(centre: LatLon, e: EllipseSummary, p: LatLon): boolean {
  const { eastM, northM } = localOffset(centre, p);
  const az = (e.azimuthDeg * Math.PI) / 180;
  const along = eastM * Math.sin(az) + northM * Math.cos(az);
  const across = eastM * Math.cos(az) - northM * Math.sin(az);
  return (along / e.semiMajorM) ** 2 + (across / e.semiMinorM) ** 2 <= 1;
}

export interface LagCheck {
  a: string;
  b: string;
  errorUs: number;
  /** Error over the solver's sigma. */
  z: number;
  /** Error over the Cramer-Rao sigma of the pair (NaN if the pair is not in the bound). */
  zCrb: number;
}

export interface SceneOutcome {
  id: string;
  kind: string;
  snrDb: number;
  stations: number;
  multipath: boolean;
  formats: string;
  /** Position error, m; absent when the solver gave no point. */
  errorM?: number;
  /** Error of the mode nearest the truth, when the result lists modes. */
  nearestModeErrorM?: number;
  /** Every listed mode: its posterior mass and its distance from the truth, m (primary first). */
  modes?: { weight: number; errorM: number }[];
  crbMedianM?: number;
  /** errorM / crbMedianM. */
  ratio?: number;
  /** The bound's median error with every echo unknown too (sceneCrb.ts withEchoes), m. */
  echoCrbMedianM?: number;
  /** That bound does not exist: an echo leaves the position undetermined (echoCrbMedianM absent). */
  echoUnbounded?: true;
  /** errorM / echoCrbMedianM (0 where echoUnbounded). */
  echoRatio?: number;
  /**
   * How often an efficient unbiased solver would be within GOAL_RATIO times the plain
   * bound's median error: its error drawn from the bound it can reach (the with-echoes one where
   * echoed; 0 where no unbiased solver is bounded). See goalOdds.
   */
  efficientWithin?: number;
  /** The same three with the levels taken to say nothing (sceneCrb.ts withEchoesPhasesOnly). */
  echoPhasesCrbMedianM?: number;
  echoPhasesUnbounded?: true;
  echoPhasesRatio?: number;
  inGrid68?: boolean;
  inGrid95?: boolean;
  /** truthCredibility: the level of the smallest highest-density region that holds the truth. */
  truthCredibility?: number;
  inEllipse68?: boolean;
  inEllipse95?: boolean;
  /** Stations the scene says must be excluded, and those the solver excluded. */
  expectedExcluded: string[];
  excluded: string[];
  lags: LagCheck[];
  /** Why there is no position (the solver's error, or too few stations). */
  failure?: string;
  cpuS?: number;
}

function ellipseFor(result: TdoaResult, p: number): EllipseSummary | undefined {
  return result.ellipses.find((e) => Math.abs(e.p - p) < 1e-6);
}

export function scoreResult(scene: TdoaScene, crb: SceneCrb, result: TdoaResult): SceneOutcome {
  const truth = scene.transmitter;
  const out = baseOutcome(scene, crb);
  out.excluded = result.stations.filter((s) => !s.used).map((s) => s.id);
  const delayUs = new Map(scene.stations.map((s) => [s.station.id, s.delayS * 1e6]));
  for (const p of result.pairs) {
    const a = delayUs.get(p.a);
    const b = delayUs.get(p.b);
    if (a === undefined || b === undefined) continue;
    const errorUs = p.lagUs - (b - a);
    const crbSigma = crb.pairSigmaUs.get(pairKey(p.a, p.b));
    out.lags.push({
      a: p.a,
      b: p.b,
      errorUs,
      z: errorUs / p.sigmaUs,
      zCrb: crbSigma ? errorUs / crbSigma : NaN,
    });
  }
  if (result.lat === undefined || result.lon === undefined) {
    out.failure = result.hyperbola ? 'two usable stations: a hyperbola, no point' : 'no position';
    return out;
  }
  const estimate = { lat: result.lat, lon: result.lon };
  out.errorM = geodesicInverse(estimate, truth).distanceM;
  if (result.modes?.length) {
    out.modes = result.modes.map((m) => ({
      weight: m.weight,
      errorM: geodesicInverse(m, truth).distanceM,
    }));
    out.nearestModeErrorM = Math.min(...out.modes.map((m) => m.errorM));
  }
  if (crb.medianErrorM) {
    out.crbMedianM = crb.medianErrorM;
    out.ratio = out.errorM / crb.medianErrorM;
  }
  if (crb.withEchoes) out.echoRatio = out.errorM / crb.withEchoes.medianErrorM;
  if (crb.withEchoesPhasesOnly)
    out.echoPhasesRatio = out.errorM / crb.withEchoesPhasesOnly.medianErrorM;
  if (result.grid) {
    out.inGrid68 = insideTdoaRegion(result, 0.68, truth);
    out.inGrid95 = insideTdoaRegion(result, 0.95, truth);
    out.truthCredibility = truthCredibility({ grid: result.grid, modes: result.modes }, truth);
  }
  const e68 = ellipseFor(result, 0.68);
  const e95 = ellipseFor(result, 0.95);
  if (e68) out.inEllipse68 = ellipseContains(estimate, e68, truth);
  if (e95) out.inEllipse95 = ellipseContains(estimate, e95, truth);
  return out;
}

/** Issue 12's goal: the median error at most this many times the bound's median error. */
export const GOAL_RATIO = 1.5;

export function baseOutcome(scene: TdoaScene, crb: SceneCrb): SceneOutcome {
  const formats = [...new Set(scene.stations.map((s) => s.format))].sort().join('+');
  return {
    id: scene.id,
    kind: scene.signal.kind,
    snrDb: scene.snrDb,
    stations: scene.stations.length,
    multipath: scene.multipath,
    formats,
    ...(crb.medianErrorM ? { crbMedianM: crb.medianErrorM } : {}),
    ...(crb.withEchoes
      ? Number.isFinite(crb.withEchoes.medianErrorM)
        ? { echoCrbMedianM: crb.withEchoes.medianErrorM }
        : { echoUnbounded: true as const }
      : {}),
    ...(crb.cov && crb.medianErrorM
      ? {
          efficientWithin: crb.withEchoes
            ? crb.withEchoes.cov
              ? radialErrorProbability(crb.withEchoes.cov, GOAL_RATIO * crb.medianErrorM)
              : 0
            : radialErrorProbability(crb.cov, GOAL_RATIO * crb.medianErrorM),
        }
      : {}),
    ...(crb.withEchoesPhasesOnly
      ? Number.isFinite(crb.withEchoesPhasesOnly.medianErrorM)
        ? { echoPhasesCrbMedianM: crb.withEchoesPhasesOnly.medianErrorM }
        : { echoPhasesUnbounded: true as const }
      : {}),
    expectedExcluded: scene.stations.filter((s) => s.expectedExclusion).map((s) => s.station.id),
    excluded: [],
    lags: [],
  };
}

function share(flags: readonly (boolean | undefined)[]): { share: number; n: number } {
  const known = flags.filter((f): f is boolean => f !== undefined);
  return { share: known.filter(Boolean).length / known.length, n: known.length };
}

export interface SetSummary {
  scenes: number;
  located: number;
  medianErrorM: number;
  p90ErrorM: number;
  medianCrbM: number;
  /** Median over scenes of error / bound (1 for an efficient estimator). */
  medianRatio: number;
  grid68: { share: number; n: number };
  grid95: { share: number; n: number };
  ellipse68: { share: number; n: number };
  ellipse95: { share: number; n: number };
  /** Lag errors over the solver's sigmas: share within 1 and 2 sigma (0.683 and 0.954 if right). */
  lagWithin1Sigma: number;
  lagWithin2Sigma: number;
  /** Median |lag error| over the median |error| an efficient estimator would have (0.674 sigma_CRB). */
  lagCrbRatio: number;
}

export function summarise(outcomes: readonly SceneOutcome[]): SetSummary {
  const located = outcomes.filter((o) => o.errorM !== undefined);
  const errors = located.map((o) => o.errorM!);
  const lags = outcomes.flatMap((o) => o.lags);
  const finite = lags.filter((l) => Number.isFinite(l.z));
  const withCrb = lags.filter((l) => Number.isFinite(l.zCrb));
  return {
    scenes: outcomes.length,
    located: located.length,
    medianErrorM: percentile(errors, 0.5),
    p90ErrorM: percentile(errors, 0.9),
    medianCrbM: percentile(
      located.filter((o) => o.crbMedianM !== undefined).map((o) => o.crbMedianM!),
      0.5,
    ),
    medianRatio: percentile(
      located.filter((o) => o.ratio !== undefined).map((o) => o.ratio!),
      0.5,
    ),
    grid68: share(located.map((o) => o.inGrid68)),
    grid95: share(located.map((o) => o.inGrid95)),
    ellipse68: share(located.map((o) => o.inEllipse68)),
    ellipse95: share(located.map((o) => o.inEllipse95)),
    lagWithin1Sigma: finite.filter((l) => Math.abs(l.z) <= 1).length / finite.length,
    lagWithin2Sigma: finite.filter((l) => Math.abs(l.z) <= 2).length / finite.length,
    lagCrbRatio:
      percentile(
        withCrb.map((l) => Math.abs(l.zCrb)),
        0.5,
      ) / 0.6744897501960817,
  };
}

export interface EchoBoundSummary {
  /** Located scenes with an echo on a usable station. */
  scenes: number;
  /** Median over them of the with-echoes bound over the plain one. */
  boundGrowth: number;
  /** Median over them of error / the with-echoes bound. */
  medianEchoRatio: number;
  /**
   * Median over all the given located scenes of error over each scene's own bound: the
   * with-echoes one where the scene has echoes, the plain one elsewhere. Not the goal (issue 12
   * divides by the plain bound): what is left once the echoes' own unknowns are counted.
   */
  medianOwnRatio: number;
}

/**
 * How far the echoed scenes are from the bound that counts their echoes as unknowns: the one
 * whose levels inform too, or with phasesOnly the one whose levels say nothing.
 */
export function echoBoundSummary(
  outcomes: readonly SceneOutcome[],
  phasesOnly = false,
): EchoBoundSummary {
  const of = (o: SceneOutcome) =>
    phasesOnly
      ? { m: o.echoPhasesCrbMedianM, unbounded: o.echoPhasesUnbounded, ratio: o.echoPhasesRatio }
      : { m: o.echoCrbMedianM, unbounded: o.echoUnbounded, ratio: o.echoRatio };
  const located = outcomes.filter((o) => o.ratio !== undefined);
  const echoed = located.filter((o) => of(o).ratio !== undefined);
  return {
    scenes: echoed.length,
    boundGrowth: percentile(
      echoed.map((o) => (of(o).unbounded ? Infinity : of(o).m! / o.crbMedianM!)),
      0.5,
    ),
    medianEchoRatio: percentile(
      echoed.map((o) => of(o).ratio!),
      0.5,
    ),
    medianOwnRatio: percentile(
      located.map((o) => of(o).ratio ?? o.ratio!),
      0.5,
    ),
  };
}

export interface GoalOdds {
  /** Scenes with a bound (the goal's median is over them). */
  scenes: number;
  /** Scenes that must be within GOAL_RATIO for the median to be: floor(n / 2) + 1. */
  needed: number;
  /** Expected number within, for an efficient unbiased solver. */
  expected: number;
  /** Probability that at least `needed` are: that such a solver meets the goal on this set. */
  probability: number;
}

/**
 * Whether the goal is within reach of physics on these scenes: each scene's chance that an
 * efficient unbiased solver lands within GOAL_RATIO of the plain bound (efficientWithin), and
 * the chance that enough of them do (the count is a sum of independent Bernoulli draws, its
 * distribution built exactly, scene by scene). A probability far below one says that no solver
 * without prior knowledge of the echoes meets the goal on this set, however good.
 */
export function goalOdds(outcomes: readonly SceneOutcome[]): GoalOdds {
  const p = outcomes.flatMap((o) => (o.efficientWithin === undefined ? [] : [o.efficientWithin]));
  const needed = Math.floor(p.length / 2) + 1;
  // dist[k]: probability that exactly k of the scenes so far are within.
  let dist = [1];
  for (const q of p) {
    const next = new Array<number>(dist.length + 1).fill(0);
    dist.forEach((d, k) => {
      next[k] += d * (1 - q);
      next[k + 1] += d * q;
    });
    dist = next;
  }
  return {
    scenes: p.length,
    needed,
    expected: p.reduce((a, b) => a + b, 0),
    probability: dist.slice(needed).reduce((a, b) => a + b, 0),
  };
}
