/**
 * From consistent time differences to a position with honest regions: the likelihood on a
 * geodesic search grid (>= 200k cells) over the stations and their surroundings, the separate
 * modes of its 95 % region, a least-squares refinement of each from its best cell, and the
 * 68 %/95 % regions measured on a zoomed grid around them.
 */
import { geodesicInverse, type LatLon } from '../geodesy';
import {
  cellCentre,
  gridSpec,
  hpdLevels,
  logLikelihood,
  maxOf,
  peakOf,
  posterior,
  type DelayModel,
  type GridSpec,
} from './posteriorGrid';
import { boundedLogLikelihood } from './boundedGrid';
import { exactSolutions } from './exactSolutions';
import { tdoaPositionCrb } from './crb';
import { principalAxes, type Cov2, type EllipseSummary } from '../ellipse';
import { giveBack } from './bufferPool';
import { chi2UpperQuantile } from './closure';
import { logLikelihoodAt, refinePosition } from './refine';
import { logPrior, networkPrior, type SpatialPrior } from './spatialPrior';
import { configurations, type OutlierModel } from './stationLikelihood';
import {
  cellAreaM2,
  corePeak,
  fitRegions,
  gridModes,
  massDenserThan,
  metresPerDegree,
  type OffGridCore,
} from './regions';
import {
  FINE_GRID_CELLS,
  GRID_CELLS,
  GRID_MIN_PAD_M,
  GRID_PAD_FRACTION,
  MIN_MODE_WEIGHT,
  MODE_SADDLE_RATIO,
} from './tdoaDefaults';
import { AMBIGUOUS_NOTE, type TdoaGrid, type TdoaMode } from './types';

export interface Box {
  south: number;
  north: number;
  west: number;
  east: number;
}

/** The search box: the stations' box padded on every side (longitudes continuous around station 0). */
export function searchBox(stations: readonly LatLon[]): Box {
  const lon0 = stations[0].lon;
  const lons = stations.map((s) => lon0 + ((((s.lon - lon0) % 360) + 540) % 360) - 180);
  const lats = stations.map((s) => s.lat);
  const south = Math.min(...lats);
  const north = Math.max(...lats);
  const west = Math.min(...lons);
  const east = Math.max(...lons);
  const mid = metresPerDegree((south + north) / 2);
  const padLatDeg = Math.max(GRID_PAD_FRACTION * (north - south), GRID_MIN_PAD_M / mid.lat);
  const widthM = (east - west) * mid.lon;
  const padLonDeg = Math.max(GRID_PAD_FRACTION * widthM, GRID_MIN_PAD_M) / Math.max(mid.lon, 1);
  return {
    south: Math.max(-89.9, south - padLatDeg),
    north: Math.min(89.9, north + padLatDeg),
    west: west - padLonDeg,
    east: east + padLonDeg,
  };
}

/**
 * The likelihood's inputs: arrival times, each station's variance (as a weight), and the
 * multipath configurations when an outlier model is given (stationLikelihood.ts).
 */
export function delayModel(
  stations: LatLon[],
  timesS: number[],
  variancesS2: number[],
  outliers?: OutlierModel,
): DelayModel {
  const model: DelayModel = {
    stations,
    timesS,
    weights: Float64Array.from(variancesS2, (v) => 1 / v),
  };
  const anyShare =
    outliers !== undefined &&
    (typeof outliers.share === 'number' ? outliers.share > 0 : outliers.share.some((p) => p > 0));
  if (outliers && anyShare && outliers.maxCount > 0)
    model.configs = configurations(variancesS2, outliers);
  return model;
}

function toTdoaGrid(spec: GridSpec, prob: Float32Array): TdoaGrid {
  const [level68, level95] = hpdLevels(prob, [0.68, 0.95]);
  return { ...spec, prob, level68, level95 };
}

/** The box of cells whose log-likelihood is within `depth` of the best, padded by `pad` cells. */
function activeBox(spec: GridSpec, logL: Float64Array, depth: number, pad: number): Box {
  const [first, last] = cellsAtOrAbove(logL, spec.rows, spec.cols, maxOf(logL) - depth);
  const r0 = Math.max(0, first.row - pad);
  const c0 = Math.max(0, first.col - pad);
  const r1 = Math.min(spec.rows - 1, last.row + pad);
  const c1 = Math.min(spec.cols - 1, last.col + pad);
  return {
    south: spec.south + r0 * spec.latStepDeg,
    north: spec.south + (r1 + 1) * spec.latStepDeg,
    west: spec.west + c0 * spec.lonStepDeg,
    east: spec.west + (c1 + 1) * spec.lonStepDeg,
  };
}

/**
 * The first and last row and column of the cells at or above `floor` (one loop alone in its
 * function: see posteriorGrid.ts, maxOf).
 */
function cellsAtOrAbove(
  logL: Float64Array,
  rows: number,
  cols: number,
  floor: number,
): [{ row: number; col: number }, { row: number; col: number }] {
  let r0 = rows;
  let r1 = -1;
  let c0 = cols;
  let c1 = -1;
  for (let i = 0; i < logL.length; i++) {
    if (logL[i] < floor) continue;
    const r = Math.floor(i / cols);
    const c = i - r * cols;
    r0 = Math.min(r0, r);
    r1 = Math.max(r1, r);
    c0 = Math.min(c0, c);
    c1 = Math.max(c1, c);
  }
  return [
    { row: r0, col: c0 },
    { row: r1, col: c1 },
  ];
}

export interface PositionSolution {
  lat: number;
  lon: number;
  ellipses: EllipseSummary[];
  modes?: TdoaMode[];
  grid: TdoaGrid;
  notes: string[];
}

/** Depth of log-likelihood (below the best) that bounds the zoomed grid: e^-15 is nothing. */
const ACTIVE_DEPTH = 15;
/** The fine grid extends this fraction of the core's box beyond it on every side (the tail). */
const TAIL_PAD_FRACTION = 0.5;
const GRID_MAX_GROWTH_M = 1_500_000;

function padded(b: Box, fraction: number): Box {
  const h = (b.north - b.south) * fraction;
  const w = (b.east - b.west) * fraction;
  return {
    south: Math.max(-89.9, b.south - h),
    north: Math.min(89.9, b.north + h),
    west: b.west - w,
    east: b.east + w,
  };
}

/** How many times the search box may grow where the probable cells reach its edge. */
const MAX_BOX_GROWTHS = 3;

/** The box grown by its own size on each side where `active` touches it (latitudes clamped). */
function grownBox(box: Box, active: Box, limit: Box): Box {
  const h = box.north - box.south;
  const w = box.east - box.west;
  const eps = 1e-9;
  const grown = {
    south: active.south <= box.south + eps ? box.south - h : box.south,
    north: active.north >= box.north - eps ? box.north + h : box.north,
    west: active.west <= box.west + eps ? box.west - w : box.west,
    east: active.east >= box.east - eps ? box.east + w : box.east,
  };
  grown.south = Math.max(limit.south, grown.south);
  grown.north = Math.min(limit.north, grown.north);
  grown.west = Math.max(limit.west, grown.west);
  grown.east = Math.min(limit.east, grown.east);
  return grown;
}

/**
 * How far the box may grow: GRID_MAX_GROWTH_M beyond the first box on every side. Ground-wave
 * TDoA from receivers a few hundred km apart says little about a transmitter thousands of km
 * away, and a grid over half the globe would only find the hyperbolas' far branches.
 */
function growthLimit(box: Box): Box {
  const mid = metresPerDegree((box.south + box.north) / 2);
  const dLat = GRID_MAX_GROWTH_M / mid.lat;
  const dLon = GRID_MAX_GROWTH_M / Math.max(mid.lon, 1);
  return {
    south: Math.max(-89.9, box.south - dLat),
    north: Math.min(89.9, box.north + dLat),
    west: box.west - Math.min(dLon, 90),
    east: box.east + Math.min(dLon, 90),
  };
}

/**
 * The chi-square the Gaussian core's best cell may reach before its fit counts as rejected: the
 * upper 1e-4 point (z = 3.719) for the stations' degrees of freedom (arrival times less the
 * common offset and the two coordinates).
 */
const MISFIT_Z = 3.719;
/** How much lower a grown box's best chi-square must be to replace the box's (two in 10^4 tails). */
const MISFIT_GAIN = 9;

/** The best log-likelihood of a grid (cells bounded away hold -Infinity). */
function bestOf(logL: Float64Array): number {
  let best = -Infinity;
  for (let i = 0; i < logL.length; i++) if (logL[i] > best) best = logL[i];
  return best;
}

function sameBox(a: Box, b: Box): boolean {
  return a.south === b.south && a.north === b.north && a.west === b.west && a.east === b.east;
}

function touches(box: Box, active: Box): boolean {
  const eps = 1e-9;
  return (
    active.south <= box.south + eps ||
    active.north >= box.north - eps ||
    active.west <= box.west + eps ||
    active.east >= box.east - eps
  );
}

/**
 * `lap` (stageTimes.ts), when given, is called at the end of each step with its name: the
 * benchmark's finer breakdown of the position stage.
 */
export function solvePosition(
  model: DelayModel,
  gridCells = GRID_CELLS,
  lap: (stage: string) => void = () => undefined,
): PositionSolution {
  // What the caller did since its last lap (closure, variances, the delay model).
  lap('position: model');
  const notes: string[] = [];
  // The stations' padded box first; where the probable cells reach its edge (a transmitter far
  // outside the network, or a long ridge) the box grows on that side and the grid is computed
  // again, a few times at most.
  // The search finds the Gaussian core (no multipath tail): a tail that never decays along a
  // far-field hyperbola would otherwise grow the box without end.
  const core: DelayModel = { ...model, configs: undefined };
  let box = searchBox(model.stations);
  const limit = growthLimit(box);
  let coarse = gridSpec(box, gridCells);
  // Cells that cannot reach the box are bounded, not evaluated (boundedGrid.ts): the same box.
  let coarseLogL = boundedLogLikelihood(coarse, core, ACTIVE_DEPTH);
  let zoomBox = activeBox(coarse, coarseLogL, ACTIVE_DEPTH, 3);
  /** The search grid over `next` in place of the current one. */
  const take = (next: Box, spec = gridSpec(next, gridCells), logL?: Float64Array) => {
    box = next;
    coarse = spec;
    giveBack(coarseLogL);
    coarseLogL = logL ?? boundedLogLikelihood(coarse, core, ACTIVE_DEPTH);
    zoomBox = activeBox(coarse, coarseLogL, ACTIVE_DEPTH, 3);
  };
  /** Grows the box where the probable cells reach its edge, a few times at most. */
  const followProbable = () => {
    for (let i = 0; i < MAX_BOX_GROWTHS && touches(box, zoomBox); i++) {
      const next = grownBox(box, zoomBox, limit);
      if (sameBox(next, box)) break;
      take(next);
    }
  };
  followProbable();
  // A best cell whose fit the data reject (four or more stations: the core's chi-square beyond
  // its 1e-4 point) is no solution but the nearest the box holds to one outside it, where the
  // probable cells need not reach the box's edge (a transmitter hundreds of km outside the
  // network, whose hyperbolas also cross, worse, inside it: tdoa-5-00022 of `eval:tdoa --seed 5
  // --kind fsk` was placed 530 km off with a 310 m region). The box grows on every side while
  // that holds, and is kept grown where the fit is clearly better there; then it follows the
  // probable cells again.
  const dof = model.stations.length - 3;
  const misfit = dof >= 1 ? chi2UpperQuantile(dof, MISFIT_Z) : Infinity;
  for (let i = 0; i < MAX_BOX_GROWTHS && -2 * bestOf(coarseLogL) > misfit; i++) {
    const next = grownBox(box, box, limit);
    if (sameBox(next, box)) break;
    const spec = gridSpec(next, gridCells);
    const logL = boundedLogLikelihood(spec, core, ACTIVE_DEPTH);
    if (-2 * bestOf(logL) > -2 * bestOf(coarseLogL) - MISFIT_GAIN) {
      giveBack(logL);
      break;
    }
    take(next, spec, logL);
    followProbable();
  }

  // Three stations: both crossings of their hyperbolas fit exactly, and the box holds the one
  // near the network while the other can lie hundreds of km out with nothing probable at the
  // box's edge to show it (exactSolutions.ts). The box grows to hold every crossing within its
  // limit, and the zoomed grid covers them all.
  const allCrossings = exactSolutions(model.stations, model.timesS);
  const crossings = allCrossings.filter((p) => inBox(limit, p));
  for (const p of allCrossings.filter((q) => !inBox(limit, q)))
    notes.push(
      `the hyperbolas also cross at ${p.lat.toFixed(3)}, ${p.lon.toFixed(3)}, beyond the search's reach (${GRID_MAX_GROWTH_M / 1000} km past the stations' box): not considered`,
    );
  for (const p of crossings) {
    if (inBox(box, p)) continue;
    take(boxHolding(box, p, limit));
    followProbable();
  }
  for (const p of crossings)
    zoomBox = boxHolding(
      zoomBox,
      p,
      box,
      CROSSING_PAD_CELLS * Math.max(coarse.latStepDeg, coarse.lonStepDeg),
    );
  const prior = networkPrior(model.stations);
  /** The zoomed grid's box: with room around the core for the multipath tail. */
  const fineBoxOf = (b: Box) => (model.configs ? padded(b, TAIL_PAD_FRACTION) : b);
  // Crossings hundreds of km apart whose regions are a few hundred metres across: one zoomed grid
  // over both cannot resolve them (its cells are about a km), and a crossing narrower than a cell
  // was measured at cell centres off its peak and lost (three stations timed to 0.3 us). Then
  // the grid zooms on the crossing of the largest posterior mass (a Laplace approximation at
  // each: the density there times the area of its Gaussian core) and the others are listed as
  // modes by the same measure.
  const shapes = crossings.flatMap((p) => crossingShape(core, prior, p) ?? []);
  let offGrid: CrossingShape[] = [];
  let onGrid: CrossingShape | undefined;
  if (shapes.length >= 2) {
    const cell = cellSizeM(fineBoxOf(zoomBox));
    if (shapes.some((c) => c.sigmaMinorM < cell)) {
      const heaviest = shapes.reduce((a, b) => (b.logMass > a.logMass ? b : a));
      zoomBox = boxHolding(coreBox(heaviest, box), heaviest.point, box, 0);
      // A crossing inside that box is on the grid still (its core spans the other).
      const fineBox = fineBoxOf(zoomBox);
      offGrid = shapes.filter((c) => c !== heaviest && !inBox(fineBox, c.point));
      onGrid = heaviest;
    }
  }

  lap('position: search grid');
  // Zoomed grid over everything that carries probability.
  const fine = gridSpec(fineBoxOf(zoomBox), FINE_GRID_CELLS);
  giveBack(coarseLogL);
  const fineLogL = logLikelihood(fine, model);
  const fineProb = posterior(fine, fineLogL, prior);
  giveBack(fineLogL);
  lap('position: fine grid');
  const grid = toTdoaGrid(fine, fineProb);
  if (touches(box, zoomBox))
    notes.push('the posterior reaches the edge of the search grid: the regions may be cut off');

  // Candidate modes: each component of the 95 % region and every local maximum above 1 % of
  // the peak (a ridge can join two exact solutions of three stations in one component), each
  // refined; those that meet are one mode, and so are two on one hill (separatePeaks); every
  // cell of the 95 % region goes to the nearest mode, which gives the weights.
  const { modes: parts } = gridModes(fine, fineProb, grid.level95);
  const starts = [...parts.map((m) => m.bestCell), ...localMaxima(fine, fineProb, 0.01, 6)];
  const scale = metresPerDegree(fine.south + (fine.rows * fine.latStepDeg) / 2);
  const cellM = Math.hypot(fine.latStepDeg * scale.lat, fine.lonStepDeg * scale.lon);
  const points: LatLon[] = [];
  for (const cell of starts) {
    const c = cellCentre(fine, Math.floor(cell / fine.cols), cell % fine.cols);
    const r = refinePosition(model, c);
    // A refinement that left the grid wandered along a ridge: keep the cell.
    const p = inGrid(fine, r.point) ? r.point : c;
    const near = points.some(
      (q) => Math.hypot((q.lat - p.lat) * scale.lat, (q.lon - p.lon) * scale.lon) < 3 * cellM,
    );
    if (!near) points.push(p);
  }
  const modes = separatePeaks(model, prior, points, {
    latDeg: fine.latStepDeg,
    lonDeg: fine.lonStepDeg,
  });
  lap('position: modes');
  const { labels, weights } = nearestLabels(fine, fineProb, grid.level95, modes, scale);
  // The position: the mode of the largest posterior mass (the prior, spatialPrior.ts, keeps a
  // far solution from winning on its area alone); the others are listed with theirs.
  const order = modes
    .map((point, label) => ({ point, label, weight: weights[label] }))
    .sort((a, b) => b.weight - a.weight);
  // Crossings the grid left out, by their mass against the crossing it holds (the grid's mass
  // is that crossing's: every weight is rescaled to the whole).
  const held = onGrid;
  const ratios = held ? offGrid.map((c) => Math.exp(c.logMass - held.logMass)) : [];
  const whole = 1 + ratios.reduce((a, b) => a + b, 0);
  for (const m of order) m.weight /= whole;
  const others = offGrid
    .map((c, k) => ({ point: c.point, label: -1, weight: ratios[k] / whole, shape: c }))
    .filter((m) => m.weight >= MIN_MODE_WEIGHT)
    .sort((a, b) => b.weight - a.weight);
  for (const m of others)
    notes.push(
      `the hyperbolas also cross at ${m.point.lat.toFixed(4)}, ${m.point.lon.toFixed(4)} (${(100 * m.weight).toFixed(0)} % of the posterior), too far from the position for one grid to resolve both: the heat map shows the position's crossing only, and this crossing's part of the regions is drawn as an ellipse of its own`,
    );
  const refined = [...order.filter((m, i) => i === 0 || m.weight >= MIN_MODE_WEIGHT), ...others];
  const main = refined[0];
  // The regions hold 68 % and 95 % of the whole posterior, the crossings off the grid included.
  const cores = others.map((m) => ({ cov: m.shape.cov, weight: m.weight }));
  const joint = cores.length > 0 ? jointRegions(grid, 1 / whole, cores) : undefined;
  if (joint) {
    grid.level68 = joint.level68;
    grid.level95 = joint.level95;
    grid.share = 1 / whole;
  }
  const regions = fitRegions(fine, fineProb, labels, main.label, main.point, grid);
  lap('position: regions');
  const solution: PositionSolution = {
    lat: main.point.lat,
    lon: main.point.lon,
    ellipses: regions.ellipses,
    grid,
    notes,
  };
  if (refined.length >= 2) {
    solution.modes = refined.map((r) => {
      const mode: TdoaMode = { lat: r.point.lat, lon: r.point.lon, weight: r.weight };
      const k = others.findIndex((o) => o.point === r.point);
      if (k >= 0 && joint) {
        mode.core = cores[k].cov;
        if (joint.ellipses[k].length > 0) mode.ellipses = joint.ellipses[k];
      }
      return mode;
    });
    notes.push(
      `${AMBIGUOUS_NOTE}: ${refined.length} separate modes (weights ${refined.map((r) => r.weight.toFixed(2)).join(', ')}); the heaviest is given as the position`,
    );
  }
  return solution;
}

/**
 * The path between two peaks is sampled at least this many times, and at least once per cell of
 * the grid the peaks came from (a valley narrower than the grid could not have told them apart),
 * at most SADDLE_MAX_SAMPLES times.
 */
const SADDLE_MIN_SAMPLES = 24;
const SADDLE_MAX_SAMPLES = 256;

/**
 * The refined peaks that are modes of their own, the densest first. A peak is another's bump,
 * and no mode, where the straight path from a denser peak to it never drops below
 * MODE_SADDLE_RATIO of its own density (the continuous posterior: likelihood and prior). Without
 * this, a multipath configuration a few sigma from the plain solution makes a second local
 * maximum on the same hill; the hill's cells went to the nearer of the two, the bump could
 * outweigh the peak and was taken as the position (eval:tdoa seed 2, scene 52: the bump at 96 %
 * of the peak's density with a saddle at 64 % got 0.48 of the mass against 0.40, 580 m from the
 * truth where the peak is 90 m from it). Two solutions of three stations lie on separate hills
 * or are joined by a ridge that bends or dips between them, and stay two.
 */
function separatePeaks(
  model: DelayModel,
  prior: SpatialPrior,
  peaks: LatLon[],
  cell: { latDeg: number; lonDeg: number },
): LatLon[] {
  const density = (p: LatLon) => logLikelihoodAt(model, p) + logPrior(prior, p.lat, p.lon);
  const ranked = peaks
    .map((point) => ({ point, logP: density(point) }))
    .sort((a, b) => b.logP - a.logP);
  const kept: typeof ranked = [];
  const floor = Math.log(MODE_SADDLE_RATIO);
  for (const peak of ranked) {
    const onHill = kept.some((higher) => {
      const dLat = peak.point.lat - higher.point.lat;
      // The shorter way round in longitude.
      const dLon = ((((peak.point.lon - higher.point.lon) % 360) + 540) % 360) - 180;
      const cells = Math.max(Math.abs(dLat) / cell.latDeg, Math.abs(dLon) / cell.lonDeg);
      const samples = Math.min(SADDLE_MAX_SAMPLES, Math.max(SADDLE_MIN_SAMPLES, Math.ceil(cells)));
      for (let k = 1; k < samples; k++) {
        const t = k / samples;
        const p = { lat: higher.point.lat + t * dLat, lon: higher.point.lon + t * dLon };
        if (density(p) - peak.logP < floor) return false;
      }
      return true;
    });
    if (!onHill) kept.push(peak);
  }
  return kept.map((k) => k.point);
}

interface CrossingShape {
  point: LatLon;
  /** Its Gaussian core's covariance (east, north), m^2. */
  cov: Cov2;
  /** ln of the posterior mass of its Gaussian core: density at the point times 2 pi sqrt(det C). */
  logMass: number;
  /** Its core's standard deviations along the axes (C's square-rooted eigenvalues), m. */
  sigmaMinorM: number;
  sigmaMajorM: number;
}

/**
 * A crossing's Laplace approximation: its core's covariance is the position bound of its
 * stations' weights at it (crb.ts tdoaPositionCrb, the emission time profiled out); undefined
 * where that geometry does not fix the position.
 */
function crossingShape(
  core: DelayModel,
  prior: SpatialPrior,
  p: LatLon,
): CrossingShape | undefined {
  const shareS2 = (k: number) => 1 / core.weights[k];
  const cov = tdoaPositionCrb(
    core.stations.map((st, k) => ({
      azimuthDeg: geodesicInverse(p, st).azimuthDeg,
      shareS2: shareS2(k),
    })),
    (a, b) => shareS2(a) + shareS2(b),
  );
  if (!cov) return undefined;
  const { majorVarM2, minorVarM2 } = principalAxes(cov);
  return {
    point: p,
    cov,
    logMass:
      logLikelihoodAt(core, p) +
      logPrior(prior, p.lat, p.lon) +
      0.5 * Math.log(cov.ee * cov.nn - cov.en * cov.en),
    sigmaMinorM: Math.sqrt(minorVarM2),
    sigmaMajorM: Math.sqrt(majorVarM2),
  };
}

/**
 * The 68 % and 95 % highest-posterior levels when part of the posterior lies in crossings off the
 * grid (regions.ts massDenserThan: the density t at which the grid's cells and the cores above it
 * hold that share of the whole). Returns the grid's levels (its cells' probability at t) and each
 * core's ellipses at those levels (Mahalanobis radius sqrt(2 ln(peak / t)); none where its peak
 * is under t).
 */
function jointRegions(
  grid: TdoaGrid,
  gridShare: number,
  cores: OffGridCore[],
): { level68: number; level95: number; ellipses: EllipseSummary[][] } {
  const cellM2 = cellAreaM2(grid);
  const peaks = cores.map(corePeak);
  const top = Math.max((gridShare * peakOf(grid.prob)) / cellM2, ...peaks);
  // The densest level that still holds p: the mass above t falls as t rises.
  const levelFor = (p: number) => {
    let lo = 0;
    let hi = top;
    for (let i = 0; i < JOINT_LEVEL_BISECTIONS; i++) {
      const t = (lo + hi) / 2;
      if (massDenserThan(grid, gridShare, cores, t) >= p) lo = t;
      else hi = t;
    }
    return lo;
  };
  const t68 = levelFor(0.68);
  const t95 = levelFor(0.95);
  const ellipses = cores.map((c, k) => {
    const axes = principalAxes(c.cov);
    return [
      { p: 0.68, t: t68 },
      { p: 0.95, t: t95 },
    ]
      .filter(({ t }) => peaks[k] > t)
      .map(({ p, t }): EllipseSummary => {
        const r = Math.sqrt(2 * Math.log(peaks[k] / t));
        return {
          p,
          semiMajorM: r * Math.sqrt(axes.majorVarM2),
          semiMinorM: r * Math.sqrt(axes.minorVarM2),
          azimuthDeg: axes.azimuthDeg,
        };
      });
  });
  return {
    level68: (t68 * cellM2) / gridShare,
    level95: (t95 * cellM2) / gridShare,
    ellipses,
  };
}

/** Halvings of the density range for jointRegions' levels (2^-60 of the peak: exact in float32). */
const JOINT_LEVEL_BISECTIONS = 60;

/** Standard deviations of a crossing's core the zoomed grid spans on each side of it. */
const CORE_SPAN_SIGMAS = 12;

/**
 * The box of CORE_SPAN_SIGMAS major-axis sigmas (at least GRID_MIN_PAD_M / 100) around a
 * crossing, in `box`'s continuous longitudes.
 */
function coreBox(c: CrossingShape, box: Box): Box {
  const reachM = Math.max(CORE_SPAN_SIGMAS * c.sigmaMajorM, GRID_MIN_PAD_M / 100);
  const mid = metresPerDegree(c.point.lat);
  const dLat = reachM / mid.lat;
  const dLon = reachM / Math.max(mid.lon, 1);
  const lon = lonNear(box, c.point.lon);
  return {
    south: c.point.lat - dLat,
    north: c.point.lat + dLat,
    west: lon - dLon,
    east: lon + dLon,
  };
}

/** The side of a zoomed grid's cell over `b`, m (the square root of a cell's area). */
function cellSizeM(b: Box): number {
  const mid = metresPerDegree((b.south + b.north) / 2);
  const area = (b.north - b.south) * mid.lat * (b.east - b.west) * mid.lon;
  return Math.sqrt(Math.abs(area) / FINE_GRID_CELLS);
}

/** Cells of the search grid kept around a crossing in the zoomed grid. */
const CROSSING_PAD_CELLS = 3;

/** Longitude of p taken the short way round to lie nearest the box's centre. */
function lonNear(box: Box, lon: number): number {
  const mid = (box.west + box.east) / 2;
  return mid + ((((lon - mid) % 360) + 540) % 360) - 180;
}

function inBox(box: Box, p: LatLon): boolean {
  const lon = lonNear(box, p.lon);
  return p.lat >= box.south && p.lat <= box.north && lon >= box.west && lon <= box.east;
}

/**
 * The box grown to hold p with `padDeg` around it (by default a quarter of p's distance from the
 * box's centre, at least GRID_MIN_PAD_M / 4), within `limit`.
 */
function boxHolding(box: Box, p: LatLon, limit: Box, padDeg?: number): Box {
  const lon = lonNear(box, p.lon);
  const mid = metresPerDegree(p.lat);
  const padLat =
    padDeg ??
    Math.max(
      0.25 *
        Math.hypot(
          p.lat - (box.south + box.north) / 2,
          ((lon - (box.west + box.east) / 2) * mid.lon) / mid.lat,
        ),
      GRID_MIN_PAD_M / 4 / mid.lat,
    );
  const padLon = padDeg ?? (padLat * mid.lat) / Math.max(mid.lon, 1);
  return {
    south: Math.max(limit.south, Math.min(box.south, p.lat - padLat)),
    north: Math.min(limit.north, Math.max(box.north, p.lat + padLat)),
    west: Math.max(limit.west, Math.min(box.west, lon - padLon)),
    east: Math.min(limit.east, Math.max(box.east, lon + padLon)),
  };
}

function inGrid(spec: GridSpec, p: LatLon): boolean {
  const row = Math.floor((p.lat - spec.south) / spec.latStepDeg);
  const dLon = p.lon - spec.west;
  const col = Math.floor((dLon - 360 * Math.floor(dLon / 360)) / spec.lonStepDeg);
  return row >= 0 && row < spec.rows && col >= 0 && col < spec.cols;
}

/** Cells that beat their eight neighbours and hold at least `share` of the peak, best first. */
function localMaxima(spec: GridSpec, prob: Float32Array, share: number, most: number): number[] {
  const { rows, cols } = spec;
  const peak = peakOf(prob);
  const found: number[] = [];
  // Row by row through a helper: see rowMaxima.
  for (let r = 1; r < rows - 1; r++) rowMaxima(prob, r, cols, share * peak, found);
  return found.sort((a, b) => prob[b] - prob[a]).slice(0, most);
}

/**
 * The cells of row r (not on the grid's edge) at or above `floor` that no neighbour beats. One
 * call per row with the neighbours spelled out: the browser's engine optimises it once, where
 * nested loops over the grid were compiled on the stack and discarded in every solve.
 */
function rowMaxima(
  prob: Float32Array,
  r: number,
  cols: number,
  floor: number,
  found: number[],
): void {
  for (let c = 1; c < cols - 1; c++) {
    const i = r * cols + c;
    const v = prob[i];
    if (v < floor) continue;
    const up = i + cols;
    const down = i - cols;
    if (
      prob[down - 1] > v ||
      prob[down] > v ||
      prob[down + 1] > v ||
      prob[i - 1] > v ||
      prob[i + 1] > v ||
      prob[up - 1] > v ||
      prob[up] > v ||
      prob[up + 1] > v
    )
      continue;
    found.push(i);
  }
}

/** Each cell of the region {prob >= level} labelled with its nearest point; each label's mass. */
function nearestLabels(
  spec: GridSpec,
  prob: Float32Array,
  level: number,
  points: readonly LatLon[],
  scale: { lat: number; lon: number },
): { labels: Int32Array; weights: number[] } {
  const labels = new Int32Array(prob.length).fill(-1);
  const weights = new Array<number>(points.length).fill(0);
  for (let row = 0; row < spec.rows; row++)
    labelRow(spec, prob, level, points, scale, row, labels, weights);
  return { labels, weights };
}

/** nearestLabels for one row (a helper called per row, optimised once; see rowMaxima). */
function labelRow(
  spec: GridSpec,
  prob: Float32Array,
  level: number,
  points: readonly LatLon[],
  scale: { lat: number; lon: number },
  row: number,
  labels: Int32Array,
  weights: number[],
): void {
  // cellCentre's arithmetic, without an object per cell.
  const lat = spec.south + (row + 0.5) * spec.latStepDeg;
  for (let col = 0; col < spec.cols; col++) {
    const i = row * spec.cols + col;
    if (prob[i] < level) continue;
    const lon = spec.west + (col + 0.5) * spec.lonStepDeg;
    let best = 0;
    let bestD = Infinity;
    for (let k = 0; k < points.length; k++) {
      const p = points[k];
      const d = ((p.lat - lat) * scale.lat) ** 2 + ((p.lon - lon) * scale.lon) ** 2;
      if (d < bestD) {
        best = k;
        bestD = d;
      }
    }
    labels[i] = best;
    weights[best] += prob[i];
  }
}

/** Only the grid, for two stations (no point): the posterior band along the hyperbola. */
export function hyperbolaGrid(model: DelayModel, gridCells = GRID_CELLS): TdoaGrid {
  const spec = gridSpec(searchBox(model.stations), gridCells);
  return toTdoaGrid(
    spec,
    posterior(spec, logLikelihood(spec, model), networkPrior(model.stations)),
  );
}
