/**
 * The search grid's log-likelihood where it can matter (issue 12, item 10: speed).
 *
 * The search grid (at least 200k cells, GRID_CELLS) only decides where the probable cells lie:
 * solvePosition takes the box of the cells within `depth` of the best and measures the posterior
 * on a zoomed grid there. So every cell is accounted for, but not every cell needs its exact value:
 * the grid is cut into tiles of TILE x TILE cells, each tile's centre cell is evaluated, and a
 * rigorous upper bound on the likelihood anywhere in the tile follows from how far its cells are
 * from the centre. Tiles whose bound lies more than `depth` below the best centre cannot hold a
 * cell of that box and are left at -Infinity; every other tile is evaluated cell by cell, exactly
 * as the full grid would be. The box, the grid growth and everything after are unchanged (tests:
 * tests/tdoa/boundedGrid.test.ts compares with the full evaluation).
 *
 * The bound (Gaussian likelihood only, the search grid's): log L = -Q(r)/2 with Q the quadratic
 * form of the residuals r_i = t_i - d_i/c after the emission time is integrated out,
 * Q(r) = r'Pr with P = diag(w) - w w'/W positive semi-definite, so sqrt(Q) is a seminorm and
 * sqrt(Q(r_c + e)) >= sqrt(Q(r_c)) - sqrt(e'Pe) >= sqrt(Q(r_c)) - sqrt(W) max|e_i|. Each residual
 * moves by at most the distance between a cell and the tile's centre over c (the triangle
 * inequality; that distance is bounded by the path along the meridian, then the parallel).
 */
import type { DelayModel, GridSpec } from './posteriorGrid';
import { fillCells, gridLikelihood, type GridEvaluator } from './posteriorGrid';
import { borrowFloat64 } from './bufferPool';
import { SPEED_OF_LIGHT_M_S } from './propagation';

/** Tile side, cells: 64 cells share one bound (a 250k grid has about 4000 tiles). */
const TILE = 8;
/**
 * Metres added to every tile's reach: the grid's Andoyer-Lambert distances differ from the true
 * geodesic by up to about 10 m (propagation.ts), and the bound must hold for them.
 */
const DISTANCE_SLACK_M = 100;
/** Longest degree of latitude (at the poles), m; a degree of longitude is at most 111412.84 cos(lat) + 93.5 m (WGS84 series). */
const MAX_METRES_PER_DEG_LAT = 111_700;
const DEG = Math.PI / 180;

/**
 * Log-likelihood per cell (row-major) wherever a cell can lie within `depth` of the best;
 * -Infinity in tiles that provably cannot. Without multipath configurations only (the bound is
 * the Gaussian one); with them, every cell is evaluated.
 */
export function boundedLogLikelihood(
  spec: GridSpec,
  model: DelayModel,
  depth: number,
): Float64Array {
  const { rows, cols } = spec;
  // From the pool (bufferPool.ts): a fresh 2 MB array per solve costs milliseconds here; the
  // caller may give it back once done with it.
  const out = borrowFloat64(rows * cols).fill(-Infinity);
  const grid = gridLikelihood(spec, model);
  if (model.configs) {
    fillCells(grid, out, 0, rows, 0, cols);
    return out;
  }
  let weightSum = 0;
  for (const w of model.weights) weightSum += w;
  const rootW = Math.sqrt(weightSum);

  // The tiles as parallel arrays (row range, column range, centre cell, reach in seconds), filled
  // and read by functions with one loop each: 4000 objects a solve, and the doubles of loops the
  // engine interprets, were a share of the solver's garbage (issue 12, item 10).
  const tileRows = Math.ceil(rows / TILE);
  const tileCols = Math.ceil(cols / TILE);
  const tiles = {
    r0: new Int32Array(tileRows * tileCols),
    c0: new Int32Array(tileRows * tileCols),
    centre: new Int32Array(tileRows * tileCols),
    reachS: new Float64Array(tileRows * tileCols),
  };
  for (let t = 0; t < tileRows; t++) tileRow(spec, grid, out, t, tileCols, tiles);
  const best = bestCentre(out, tiles.centre);
  for (let k = 0; k < tiles.centre.length; k++) {
    const q = Math.max(0, -2 * out[tiles.centre[k]]);
    const root = Math.max(0, Math.sqrt(q) - rootW * tiles.reachS[k]);
    const upper = -0.5 * root * root;
    // The best centre is at most the best cell: a tile under it by more than depth is out.
    if (upper < best - depth) continue;
    const r0 = tiles.r0[k];
    const c0 = tiles.c0[k];
    fillCells(grid, out, r0, Math.min(rows, r0 + TILE), c0, Math.min(cols, c0 + TILE));
  }
  return out;
}

/** The tiles of tile row t: their ranges and reach, and the log-likelihood of their centres. */
function tileRow(
  spec: GridSpec,
  grid: GridEvaluator,
  out: Float64Array,
  t: number,
  tileCols: number,
  tiles: { r0: Int32Array; c0: Int32Array; centre: Int32Array; reachS: Float64Array },
): void {
  const { rows, cols } = spec;
  const r0 = t * TILE;
  const r1 = Math.min(rows, r0 + TILE);
  const rc = r0 + ((r1 - r0) >> 1);
  // The tile's latitudes (cell centres) and the one nearest the equator (longest parallel).
  const latLo = spec.south + (r0 + 0.5) * spec.latStepDeg;
  const latHi = spec.south + (r1 - 0.5) * spec.latStepDeg;
  const minAbsLat = latLo <= 0 && latHi >= 0 ? 0 : Math.min(Math.abs(latLo), Math.abs(latHi));
  const lonMetresPerDeg = 111_412.84 * Math.cos(minAbsLat * DEG) + 93.5;
  const northM = Math.max(rc - r0, r1 - 1 - rc) * spec.latStepDeg * MAX_METRES_PER_DEG_LAT;
  for (let u = 0; u < tileCols; u++) {
    const c0 = u * TILE;
    const c1 = Math.min(cols, c0 + TILE);
    const cc = c0 + ((c1 - c0) >> 1);
    const eastM = Math.max(cc - c0, c1 - 1 - cc) * spec.lonStepDeg * lonMetresPerDeg;
    const k = t * tileCols + u;
    tiles.r0[k] = r0;
    tiles.c0[k] = c0;
    tiles.centre[k] = rc * cols + cc;
    tiles.reachS[k] = (northM + eastM + DISTANCE_SLACK_M) / SPEED_OF_LIGHT_M_S;
    fillCells(grid, out, rc, rc + 1, cc, cc + 1);
  }
}

/** The largest of the centres' values. */
function bestCentre(out: Float64Array, centres: Int32Array): number {
  let best = -Infinity;
  for (let k = 0; k < centres.length; k++) if (out[centres[k]] > best) best = out[centres[k]];
  return best;
}
