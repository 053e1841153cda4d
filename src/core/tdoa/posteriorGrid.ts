/**
 * The posterior of the transmitter's position on a latitude-longitude grid: the likelihood of the
 * consensus arrival times (closure.ts, stationLikelihood.ts) under ground-wave delays, times a flat
 * prior per unit area (cells are weighted by their area, cos(latitude)).
 */
import type { LatLon } from '../geodesy';
import { borrowFloat32, borrowFloat64, giveBack } from './bufferPool';
import { gridGeometry, rowResiduals, type GridGeometry, type GridSpec } from './gridGeometry';
import { gridPrior, priorAt, priorRow, type GridPrior, type SpatialPrior } from './spatialPrior';
import {
  prepareLikelihood,
  preparedLogLikelihood,
  type Configurations,
  type PreparedLikelihood,
} from './stationLikelihood';

export type { GridSpec } from './gridGeometry';

/**
 * What the likelihood needs (stationLikelihood.ts): stations, their consensus arrival times
 * (station 0 at 0), the inverse of each one's timing variance, and the multipath configurations.
 */
export interface DelayModel {
  stations: LatLon[];
  timesS: number[];
  weights: Float64Array;
  configs?: Configurations;
}

const DEG = Math.PI / 180;

export function cellCentre(spec: GridSpec, row: number, col: number): LatLon {
  return {
    lat: spec.south + (row + 0.5) * spec.latStepDeg,
    lon: spec.west + (col + 0.5) * spec.lonStepDeg,
  };
}

/**
 * A grid over [south, north] x [west, east] with about `cells` cells, square on the ground at the
 * box's middle latitude.
 */
export function gridSpec(
  box: { south: number; north: number; west: number; east: number },
  cells: number,
): GridSpec {
  const midCos = Math.cos(((box.south + box.north) / 2) * DEG);
  const heightDeg = box.north - box.south;
  const widthDeg = box.east - box.west;
  const aspect = (widthDeg * midCos) / heightDeg;
  const rows = Math.max(2, Math.round(Math.sqrt(cells / aspect)));
  const cols = Math.max(2, Math.ceil(cells / rows));
  return {
    south: box.south,
    west: box.west,
    latStepDeg: heightDeg / rows,
    lonStepDeg: widthDeg / cols,
    rows,
    cols,
  };
}

/** Log-likelihood per cell (row-major), up to a constant. */
export function logLikelihood(spec: GridSpec, model: DelayModel): Float64Array {
  // From the pool (bufferPool.ts), every cell written below; the caller may give it back.
  const out = borrowFloat64(spec.rows * spec.cols);
  const grid = gridLikelihood(spec, model);
  // Row by row: a loop the browser's engine optimises once and keeps, where one call over the
  // whole grid is compiled anew on the stack (on-stack replacement) in every solve (issue 12,
  // item 10; the same cells in the same order).
  for (let row = 0; row < spec.rows; row++) fillCells(grid, out, row, row + 1, 0, spec.cols);
  return out;
}

/**
 * What the per-cell log-likelihood of a grid needs, worked out once: the trigonometry of rows and
 * columns (gridGeometry.ts), the prepared likelihood and a row's scratch. fillCells evaluates any
 * part of the grid with it, so parts can be evaluated where needed (boundedGrid.ts). Plain data
 * and a module function, not a closure per grid: code that called the last solve's closure was
 * discarded at the next solve (issue 12, item 10).
 */
export interface GridEvaluator {
  cols: number;
  geometry: GridGeometry;
  res: Float64Array;
  likelihood: PreparedLikelihood;
  times: Float64Array;
}

export function gridLikelihood(spec: GridSpec, model: DelayModel): GridEvaluator {
  return {
    cols: spec.cols,
    geometry: gridGeometry(spec, model.stations),
    res: new Float64Array(spec.cols * model.stations.length),
    likelihood: prepareLikelihood(model.weights, model.configs),
    times: Float64Array.from(model.timesS),
  };
}

/** out[] (row-major) for the cells of rows [r0, r1) and columns [c0, c1). */
export function fillCells(
  e: GridEvaluator,
  out: Float64Array,
  r0: number,
  r1: number,
  c0: number,
  c1: number,
): void {
  for (let row = r0; row < r1; row++) {
    rowResiduals(e.geometry, e.times, row, c0, c1, e.res);
    rowLikelihood(e.res, e.likelihood, e.geometry.stations, c0, c1, out, row * e.cols);
  }
}

/** out[at + c] = the log-likelihood of the residuals of column c (res[c * stations ..]). */
function rowLikelihood(
  res: Float64Array,
  likelihood: PreparedLikelihood,
  stations: number,
  c0: number,
  c1: number,
  out: Float64Array,
  at: number,
): void {
  for (let c = c0; c < c1; c++) out[at + c] = preparedLogLikelihood(res, likelihood, c * stations);
}

/**
 * Normalised posterior per cell: exp(logL) times the cell's area (cos latitude), times the
 * spatial prior when one is given (spatialPrior.ts).
 */
export function posterior(spec: GridSpec, logL: Float64Array, prior?: SpatialPrior): Float32Array {
  // The temporaries come from the pool (bufferPool.ts) and go back to it; each is written in full
  // before it is read.
  let withPrior: Float64Array | undefined;
  if (prior) {
    withPrior = borrowFloat64(logL.length);
    const lons = new Float64Array(spec.cols);
    for (let c = 0; c < spec.cols; c++) lons[c] = spec.west + (c + 0.5) * spec.lonStepDeg;
    const cells = gridPrior(prior, lons);
    for (let row = 0; row < spec.rows; row++) withPriorRow(withPrior, logL, spec, row, cells);
    logL = withPrior;
  }
  const max = maxOf(logL);
  const p = borrowFloat64(logL.length);
  let sum = 0;
  for (let row = 0; row < spec.rows; row++) {
    const area = Math.cos((spec.south + (row + 0.5) * spec.latStepDeg) * DEG);
    sum = expRow(p, logL, row * spec.cols, spec.cols, max, area, sum);
  }
  const out = dividedBy(p, sum);
  giveBack(p, withPrior);
  return out;
}

/*
 * Every pass over a whole grid below is a function with one loop and nothing after it but its
 * return (issue 12, item 10). A solve calls most of them once, so the browser's engine compiles
 * their loops on the stack (OSR) and re-enters that code in later solves; code after a loop that
 * had not run when the loop was compiled is compiled as a bail-out, taken in every later solve
 * (Chromium's --trace-deopt over five solves: hpdLevels bailed out 9 times, localMaxima 10,
 * posterior 5), each time back to the interpreter, whose arithmetic allocates a number per step.
 * Index loops, not for-of: an iterator that is not optimised away allocates per cell.
 */

/** The largest value, -Infinity for none. */
export function maxOf(a: Float64Array): number {
  let max = -Infinity;
  for (let i = 0; i < a.length; i++) if (a[i] > max) max = a[i];
  return max;
}

/** p / sum, cell by cell, as single precision. */
function dividedBy(p: Float64Array, sum: number): Float32Array {
  const out = new Float32Array(p.length);
  for (let i = 0; i < p.length; i++) out[i] = p[i] / sum;
  return out;
}

/** One row of the posterior: its log-likelihood plus the log prior of each cell. */
function withPriorRow(
  out: Float64Array,
  logL: Float64Array,
  spec: GridSpec,
  row: number,
  prior: GridPrior,
): void {
  priorRow(prior, spec.south + (row + 0.5) * spec.latStepDeg);
  for (let c = 0; c < spec.cols; c++) {
    const i = row * spec.cols + c;
    out[i] = logL[i] + priorAt(prior, c);
  }
}

/** p = exp(logL - max) * area over cells [from, from + count), added to `sum` in order. */
function expRow(
  p: Float64Array,
  logL: Float64Array,
  from: number,
  count: number,
  max: number,
  area: number,
  sum: number,
): number {
  for (let i = from; i < from + count; i++) {
    p[i] = Math.exp(logL[i] - max) * area;
    sum += p[i];
  }
  return sum;
}

/**
 * Floors tried, as shares of the peak, highest first: the cells above the first floor that holds
 * every mass asked for are all the walk below needs (a sharp posterior: a few thousand of 90k).
 */
const HPD_FLOOR_SHARES = [1e-3, 1e-6, 1e-9];

/**
 * Probability thresholds of the highest-posterior-density regions: the cells with prob >= level
 * hold the given mass (the smallest such set). One sort serves every mass asked for. Only the
 * cells above a floor are sorted when they alone hold more than the largest mass: the walk down
 * from the top stops before it reaches the others, so the levels are the same, and the posterior's
 * far tail (most of the grid) is not sorted. Non-negative floats sort as their bit patterns do as
 * unsigned integers, which V8 sorts several times faster than a Float32Array.
 */
export function hpdLevels(prob: Float32Array, masses: readonly number[]): number[] {
  const peak = peakOf(prob);
  const lowest = lowestOf(prob);
  const target = Math.max(...masses) + 1e-6;
  let floor = -Infinity;
  for (const share of HPD_FLOOR_SHARES) {
    if (massAtOrAbove(prob, peak * share) >= target) {
      floor = peak * share;
      break;
    }
  }
  const kept = borrowFloat32(prob.length);
  let sorted = kept.subarray(0, copyAtOrAbove(prob, floor, kept));
  if (lowest >= 0) new Uint32Array(sorted.buffer, 0, sorted.length).sort();
  else sorted = sorted.sort();
  const order = masses.map((m, i) => ({ m, i })).sort((a, b) => a.m - b.m);
  const out = new Array<number>(masses.length).fill(lowest);
  levelsFromTop(sorted, order, out);
  giveBack(kept);
  return out;
}

/** The largest value, at least 0 (a posterior's peak). */
export function peakOf(prob: Float32Array): number {
  let peak = 0;
  for (let i = 0; i < prob.length; i++) if (prob[i] > peak) peak = prob[i];
  return peak;
}

function lowestOf(prob: Float32Array): number {
  let lowest = Infinity;
  for (let i = 0; i < prob.length; i++) if (prob[i] < lowest) lowest = prob[i];
  return lowest;
}

/** The mass of the cells at or above `floor`. */
export function massAtOrAbove(prob: Float32Array, floor: number): number {
  let held = 0;
  for (let i = 0; i < prob.length; i++) if (prob[i] >= floor) held += prob[i];
  return held;
}

/** The cells at or above `floor` into kept[0 ..], in order; how many. */
function copyAtOrAbove(prob: Float32Array, floor: number, kept: Float32Array): number {
  let count = 0;
  for (let i = 0; i < prob.length; i++) if (prob[i] >= floor) kept[count++] = prob[i];
  return count;
}

/**
 * Walks the sorted cells down from the top, adding their mass: each mass asked for (in `order`,
 * smallest first) gets the value of the cell where the sum reaches it.
 */
function levelsFromTop(
  sorted: Float32Array,
  order: readonly { m: number; i: number }[],
  out: number[],
): void {
  let acc = 0;
  let q = 0;
  for (let k = sorted.length - 1; k >= 0 && q < order.length; k--) {
    acc += sorted[k];
    while (q < order.length && acc >= order[q].m) out[order[q++].i] = sorted[k];
  }
}

/** Connected components (8-neighbour) of the cells with prob >= level: labels (-1 outside). */
export function components(
  spec: GridSpec,
  prob: Float32Array,
  level: number,
): { labels: Int32Array; count: number } {
  const { rows, cols } = spec;
  const labels = new Int32Array(rows * cols).fill(-1);
  let count = 0;
  const stack: number[] = [];
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] !== -1 || prob[i] < level) continue;
    labels[i] = count;
    stack.push(i);
    while (stack.length) spread(stack.pop()!, rows, cols, prob, level, labels, count, stack);
    count++;
  }
  return { labels, count };
}

/**
 * Labels the unlabelled neighbours of cell j at or above the level and stacks them. A function
 * called per cell (optimised once) instead of loops nested in the fill (compiled on the stack and
 * discarded at every exit, in every solve, by the browser's engine).
 */
function spread(
  j: number,
  rows: number,
  cols: number,
  prob: Float32Array,
  level: number,
  labels: Int32Array,
  label: number,
  stack: number[],
): void {
  const r = Math.floor(j / cols);
  const c = j - r * cols;
  for (let dr = -1; dr <= 1; dr++)
    for (let dc = -1; dc <= 1; dc++) {
      const rr = r + dr;
      const cc = c + dc;
      if (rr < 0 || rr >= rows || cc < 0 || cc >= cols) continue;
      const q = rr * cols + cc;
      if (labels[q] === -1 && prob[q] >= level) {
        labels[q] = label;
        stack.push(q);
      }
    }
}
