/**
 * The highest-posterior-density regions of a grid posterior, their separate modes, and ellipses
 * fitted to them in the model's `ellipses` shape. An ellipse takes its shape (axes' ratio and
 * direction) from the posterior's covariance within the main mode and its size from the region's
 * area, so it holds the same area as the region it stands for (for a Gaussian posterior this is
 * exactly the usual k-sigma ellipse).
 */
import { principalAxes, type Cov2, type EllipseSummary } from '../ellipse';
import type { LatLon } from '../geodesy';
import { cellCentre, components, hpdLevels, massAtOrAbove, type GridSpec } from './posteriorGrid';

const DEG = Math.PI / 180;

/** Metres per degree of latitude and of longitude at latitude phi (WGS84 series). */
export function metresPerDegree(latDeg: number): { lat: number; lon: number } {
  const p = latDeg * DEG;
  return {
    lat: 111132.954 - 559.822 * Math.cos(2 * p) + 1.175 * Math.cos(4 * p),
    lon: 111412.84 * Math.cos(p) - 93.5 * Math.cos(3 * p),
  };
}

export interface GridMode {
  lat: number;
  lon: number;
  weight: number;
  /** Index of the mode's most probable cell. */
  bestCell: number;
  label: number;
}

/** Components of the 95 % region, heaviest first. */
export function gridModes(
  spec: GridSpec,
  prob: Float32Array,
  level95: number,
): {
  modes: GridMode[];
  labels: Int32Array;
} {
  const { labels, count } = components(spec, prob, level95);
  const modes: GridMode[] = Array.from({ length: count }, (_, label) => ({
    lat: 0,
    lon: 0,
    weight: 0,
    bestCell: -1,
    label,
  }));
  addCells(prob, labels, modes);
  for (const m of modes) {
    const c = cellCentre(spec, Math.floor(m.bestCell / spec.cols), m.bestCell % spec.cols);
    m.lat = c.lat;
    m.lon = c.lon;
  }
  modes.sort((a, b) => b.weight - a.weight);
  return { modes, labels };
}

/**
 * Each labelled cell's mass to its mode, and the mode's best cell. One loop alone in its function
 * (posteriorGrid.ts, maxOf, says why).
 */
function addCells(prob: Float32Array, labels: Int32Array, modes: GridMode[]): void {
  for (let i = 0; i < prob.length; i++) {
    const l = labels[i];
    if (l < 0) continue;
    modes[l].weight += prob[i];
    if (modes[l].bestCell < 0 || prob[i] > prob[modes[l].bestCell]) modes[l].bestCell = i;
  }
}

export interface RegionSummary {
  level68: number;
  level95: number;
  ellipses: EllipseSummary[];
  /** Area of the 68 % and 95 % regions in the main mode, m^2. */
  areaM2: { p68: number; p95: number };
}

/**
 * Ellipses for p = 0.68 and 0.95 fitted to the main mode (the 95 % component `label`) of the
 * posterior, centred at `centre`.
 */
export function fitRegions(
  spec: GridSpec,
  prob: Float32Array,
  labels: Int32Array,
  label: number,
  centre: LatLon,
  /** The levels when the caller has them already (one sort of the cells saved). */
  known?: { level68: number; level95: number },
): RegionSummary {
  const [level68, level95] = known ? [known.level68, known.level95] : hpdLevels(prob, [0.68, 0.95]);
  const { cells, w, me, mn, area68, area95 } = modeCells(
    spec,
    prob,
    labels,
    label,
    centre,
    level68,
  );
  let { ee, en, nn } = spread(cells, w, me, mn);
  // A region of one or two cells has no shape of its own: take it round at the cell size.
  const cellM2 = cells.p.length ? cells.firstAreaM2 : 1;
  const minVar = cellM2 / 12;
  if (!(ee * nn - en * en > minVar * minVar)) {
    ee = Math.max(ee, minVar);
    nn = Math.max(nn, minVar);
    en = 0;
  }
  const axes = principalAxes({ ee, en, nn });
  const ellipse = (p: number, areaM2: number): EllipseSummary => {
    // Same shape, scaled so that pi * a * b equals the region's area.
    const k2 = areaM2 / (Math.PI * Math.sqrt(axes.majorVarM2 * axes.minorVarM2));
    return {
      p,
      semiMajorM: Math.sqrt(k2 * axes.majorVarM2),
      semiMinorM: Math.sqrt(k2 * axes.minorVarM2),
      azimuthDeg: axes.azimuthDeg,
    };
  };
  return {
    level68,
    level95,
    ellipses: [ellipse(0.68, Math.max(area68, cellM2)), ellipse(0.95, Math.max(area95, cellM2))],
    areaM2: { p68: area68, p95: area95 },
  };
}

/** The cells of a mode, east and north of its centre (m) and their mass, as parallel arrays. */
interface ModeCells {
  e: number[];
  n: number[];
  p: number[];
  /** The first cell's area, m^2. */
  firstAreaM2: number;
}

/** The running sums over a mode's cells, in cell order. */
interface ModeSums {
  w: number;
  me: number;
  mn: number;
  area68: number;
  area95: number;
}

/**
 * The cells of mode `label` in metres east and north of `centre`, their mass, its mean, and the
 * areas of the 68 % and 95 % regions. Row by row (a cell's area and metres per degree are its
 * row's), through a function per row that the browser's engine optimises once (posteriorGrid.ts,
 * maxOf); numbers in arrays, not an object per cell.
 */
function modeCells(
  spec: GridSpec,
  prob: Float32Array,
  labels: Int32Array,
  label: number,
  centre: LatLon,
  level68: number,
): { cells: ModeCells; w: number; me: number; mn: number; area68: number; area95: number } {
  const scale = metresPerDegree(centre.lat);
  const sums: ModeSums = { w: 0, me: 0, mn: 0, area68: 0, area95: 0 };
  const cells: ModeCells = { e: [], n: [], p: [], firstAreaM2: 0 };
  const at = { centre, scale, level68, label };
  for (let row = 0; row < spec.rows; row++) modeRow(spec, prob, labels, row, at, sums, cells);
  const { w, me, mn, area68, area95 } = sums;
  return { cells, w, me: me / w, mn: mn / w, area68, area95 };
}

function modeRow(
  spec: GridSpec,
  prob: Float32Array,
  labels: Int32Array,
  row: number,
  at: { centre: LatLon; scale: { lat: number; lon: number }; level68: number; label: number },
  sums: ModeSums,
  cells: ModeCells,
): void {
  const { centre, scale, level68, label } = at;
  // cellCentre's arithmetic; metresPerDegree and the area depend on the row alone.
  const lat = spec.south + (row + 0.5) * spec.latStepDeg;
  let local: { lat: number; lon: number } | undefined;
  let area = 0;
  for (let col = 0; col < spec.cols; col++) {
    const i = row * spec.cols + col;
    if (labels[i] !== label) continue;
    if (!local) {
      local = metresPerDegree(lat);
      area = spec.latStepDeg * local.lat * spec.lonStepDeg * local.lon;
    }
    const lon = spec.west + (col + 0.5) * spec.lonStepDeg;
    sums.area95 += area;
    if (prob[i] >= level68) sums.area68 += area;
    const e = (lon - centre.lon) * scale.lon;
    const n = (lat - centre.lat) * scale.lat;
    if (cells.p.length === 0) cells.firstAreaM2 = area;
    cells.e.push(e);
    cells.n.push(n);
    cells.p.push(prob[i]);
    sums.w += prob[i];
    sums.me += prob[i] * e;
    sums.mn += prob[i] * n;
  }
}

/** The mass-weighted covariance of the cells about (me, mn), m^2. */
function spread(
  cells: ModeCells,
  w: number,
  me: number,
  mn: number,
): { ee: number; en: number; nn: number } {
  const { e, n, p } = cells;
  let ee = 0;
  let en = 0;
  let nn = 0;
  for (let i = 0; i < p.length; i++) {
    ee += (p[i] * (e[i] - me) ** 2) / w;
    en += (p[i] * (e[i] - me) * (n[i] - mn)) / w;
    nn += (p[i] * (n[i] - mn) ** 2) / w;
  }
  return { ee, en, nn };
}

/** A mode's Gaussian core off the grid (a crossing too far for one grid): its mass and covariance. */
export interface OffGridCore {
  weight: number;
  /** East/north covariance, m^2. */
  cov: Cov2;
}

/** A core's peak density, per m^2: w / (2 pi sqrt(det C)). */
export function corePeak(core: OffGridCore): number {
  const { ee, en, nn } = core.cov;
  return core.weight / (2 * Math.PI * Math.sqrt(ee * nn - en * en));
}

/** The area of the grid's middle cell, m^2: its cells' probability over it is their density. */
export function cellAreaM2(grid: GridSpec): number {
  const mid = metresPerDegree(grid.south + (grid.rows * grid.latStepDeg) / 2);
  return grid.latStepDeg * mid.lat * grid.lonStepDeg * mid.lon;
}

/**
 * The mass of the whole posterior where its density is at least t (per m^2): the grid's cells
 * (the grid holding `gridShare` of the whole) and each core's part above t, w (1 - t / peak).
 * Highest-posterior regions are its super-level sets: the level holding p is where this is p.
 */
export function massDenserThan(
  grid: GridSpec & { prob: Float32Array },
  gridShare: number,
  cores: readonly OffGridCore[],
  t: number,
): number {
  let held = gridShare * massAtOrAbove(grid.prob, (t * cellAreaM2(grid)) / gridShare);
  for (const c of cores) held += c.weight * Math.max(0, 1 - t / corePeak(c));
  return held;
}
