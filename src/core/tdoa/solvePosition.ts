/**
 * From consistent time differences to a position with honest regions: the likelihood on a
 * geodesic search grid (>= 200k cells) over the stations and their surroundings, the separate
 * modes of its 95 % region, a least-squares refinement of each from its best cell, and the
 * 68 %/95 % regions measured on a zoomed grid around them.
 */
import { localOffset, type LatLon } from '../geodesy';
import { invertSmall } from './closure';
import {
  gridSpec,
  hpdLevel,
  logLikelihood,
  posterior,
  type DelayModel,
  type GridSpec,
} from './posteriorGrid';
import { refinePosition } from './refine';
import { fitRegions, gridModes, metresPerDegree } from './regions';
import {
  FINE_GRID_CELLS,
  GRID_CELLS,
  GRID_MIN_PAD_M,
  GRID_PAD_FRACTION,
  MIN_MODE_WEIGHT,
} from './tdoaDefaults';
import type { EllipseSummary } from '../ellipse';
import type { TdoaGrid, TdoaMode } from './types';

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

/** The station-level covariance of t_i - t_0 (i >= 1): v_0 on every entry plus v_i on the diagonal. */
export function delayModel(
  stations: LatLon[],
  timesS: number[],
  variancesS2: number[],
): DelayModel {
  const m = stations.length - 1;
  const cov = Array.from({ length: m }, (_, i) =>
    Array.from({ length: m }, (_, j) => variancesS2[0] + (i === j ? variancesS2[i + 1] : 0)),
  );
  return { stations, measuredS: timesS.slice(1), covInv: invertSmall(cov) };
}

function toTdoaGrid(spec: GridSpec, prob: Float32Array): TdoaGrid {
  return { ...spec, prob, level68: hpdLevel(prob, 0.68), level95: hpdLevel(prob, 0.95) };
}

/** The box of cells whose log-likelihood is within `depth` of the best, padded by `pad` cells. */
function activeBox(spec: GridSpec, logL: Float64Array, depth: number, pad: number): Box {
  let max = -Infinity;
  for (const v of logL) if (v > max) max = v;
  let r0 = spec.rows;
  let r1 = -1;
  let c0 = spec.cols;
  let c1 = -1;
  for (let i = 0; i < logL.length; i++) {
    if (logL[i] < max - depth) continue;
    const r = Math.floor(i / spec.cols);
    const c = i - r * spec.cols;
    r0 = Math.min(r0, r);
    r1 = Math.max(r1, r);
    c0 = Math.min(c0, c);
    c1 = Math.max(c1, c);
  }
  r0 = Math.max(0, r0 - pad);
  c0 = Math.max(0, c0 - pad);
  r1 = Math.min(spec.rows - 1, r1 + pad);
  c1 = Math.min(spec.cols - 1, c1 + pad);
  return {
    south: spec.south + r0 * spec.latStepDeg,
    north: spec.south + (r1 + 1) * spec.latStepDeg,
    west: spec.west + c0 * spec.lonStepDeg,
    east: spec.west + (c1 + 1) * spec.lonStepDeg,
  };
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

export function solvePosition(model: DelayModel, gridCells = GRID_CELLS): PositionSolution {
  const notes: string[] = [];
  const coarse = gridSpec(searchBox(model.stations), gridCells);
  const coarseLogL = logLikelihood(coarse, model);

  // Zoomed grid over everything that carries probability.
  const zoomBox = activeBox(coarse, coarseLogL, ACTIVE_DEPTH, 3);
  const fine = gridSpec(zoomBox, FINE_GRID_CELLS);
  const fineProb = posterior(fine, logLikelihood(fine, model));
  const grid = toTdoaGrid(fine, fineProb);
  const edge =
    zoomBox.south <= coarse.south ||
    zoomBox.west <= coarse.west ||
    zoomBox.north >= coarse.south + coarse.rows * coarse.latStepDeg - 1e-9 ||
    zoomBox.east >= coarse.west + coarse.cols * coarse.lonStepDeg - 1e-9;
  if (edge)
    notes.push('the posterior reaches the edge of the search grid: the regions may be cut off');

  const { modes, labels } = gridModes(fine, fineProb, grid.level95);
  const significant = modes.filter((m) => m.weight >= MIN_MODE_WEIGHT);
  const kept = significant.length ? significant : modes.slice(0, 1);
  const refined = kept.map((m) => {
    const r = refinePosition(model, { lat: m.lat, lon: m.lon });
    // The refinement must stay in its mode; if it wandered off (a flat ridge), keep the cell.
    const cellM = Math.hypot(
      fine.latStepDeg * metresPerDegree(m.lat).lat,
      fine.lonStepDeg * metresPerDegree(m.lat).lon,
    );
    const off = localOffset({ lat: m.lat, lon: m.lon }, r.point);
    const moved = Math.hypot(off.eastM, off.northM);
    const point = moved <= 20 * cellM ? r.point : { lat: m.lat, lon: m.lon };
    return { mode: m, point };
  });
  const main = refined[0];
  const regions = fitRegions(fine, fineProb, labels, main.mode.label, main.point);
  const solution: PositionSolution = {
    lat: main.point.lat,
    lon: main.point.lon,
    ellipses: regions.ellipses,
    grid,
    notes,
  };
  if (refined.length >= 2) {
    solution.modes = refined.map((r) => ({
      lat: r.point.lat,
      lon: r.point.lon,
      weight: r.mode.weight,
    }));
    notes.push(
      `the geometry is ambiguous: ${refined.length} separate modes (weights ${refined.map((r) => r.mode.weight.toFixed(2)).join(', ')}); the heaviest is given as the position`,
    );
  }
  return solution;
}

/** Only the grid, for two stations (no point): the posterior band along the hyperbola. */
export function hyperbolaGrid(model: DelayModel, gridCells = GRID_CELLS): TdoaGrid {
  const spec = gridSpec(searchBox(model.stations), gridCells);
  return toTdoaGrid(spec, posterior(spec, logLikelihood(spec, model)));
}
