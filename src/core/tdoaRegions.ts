/**
 * The TDoA posterior's regions for drawing and export (issue 12): the 68 % and 95 % highest-
 * posterior regions of a TdoaGrid as GeoJSON polygons (marching squares, d3-contour), with the
 * parts that lie in modes off the grid (their ellipses, TdoaMode.ellipses), whether a point lies
 * inside one, and an ellipse summary turned back into a covariance so the ellipse fitted to a
 * region is drawn by the same ellipsePolygon as the model's.
 */
import { contours } from 'd3-contour';
import {
  ellipsePolygon,
  insideEllipse,
  kForProbability,
  type Cov2,
  type EllipseSummary,
} from './ellipse';
import { localOffset, type LatLon } from './geodesy';
import type { MultiPolygonGeometry, Position } from './geojson';
import type { TdoaGrid, TdoaMode } from './tdoa/types';

export type Ring = Position[];
/** A region as GeoJSON MultiPolygon coordinates ([lon, lat]). */
export type RegionPolygons = MultiPolygonGeometry['coordinates'];

export interface TdoaRegion {
  /** Posterior mass the region holds (0.68 or 0.95). */
  p: number;
  /** The probability level of a cell on its border. */
  level: number;
  coordinates: RegionPolygons;
}

/**
 * The grid's outer edges. Cell (row, col) covers [south + row·latStep, south + (row+1)·latStep]
 * and likewise in longitude; row 0 is the southernmost row (TdoaGrid: south, west of the grid).
 */
export function gridBounds(grid: TdoaGrid): {
  south: number;
  west: number;
  north: number;
  east: number;
} {
  return {
    south: grid.south,
    west: grid.west,
    north: grid.south + grid.rows * grid.latStepDeg,
    east: grid.west + grid.cols * grid.lonStepDeg,
  };
}

/**
 * The cell holding a point; null outside the grid. A grid across the antimeridian runs on past
 * 180 degrees: the point's longitude is read on the turn of the world that starts at its west edge.
 */
export function cellOf(grid: TdoaGrid, p: LatLon): { row: number; col: number } | null {
  const row = Math.floor((p.lat - grid.south) / grid.latStepDeg);
  let dLon = p.lon - grid.west;
  dLon -= 360 * Math.floor(dLon / 360);
  const col = Math.floor(dLon / grid.lonStepDeg);
  if (row < 0 || col < 0 || row >= grid.rows || col >= grid.cols) return null;
  return { row, col };
}

/** Whether p lies inside the grid's region of the given level (false outside the grid). */
export function insideRegion(grid: TdoaGrid, level: number, p: LatLon): boolean {
  const cell = cellOf(grid, p);
  return cell !== null && grid.prob[cell.row * grid.cols + cell.col] >= level;
}

/**
 * Whether p lies inside a result's region holding `mass` (0.68 or 0.95): on its grid, at or above
 * that level; off it, inside the ellipse of that mass of a mode the grid left out.
 */
export function insideTdoaRegion(
  result: { grid?: TdoaGrid; modes?: readonly TdoaMode[] },
  mass: number,
  p: LatLon,
): boolean {
  const g = result.grid;
  if (g && insideRegion(g, mass === 0.68 ? g.level68 : g.level95, p)) return true;
  return (result.modes ?? []).some((m) =>
    (m.ellipses ?? []).some((e) => {
      if (e.p !== mass) return false;
      const off = localOffset(m, p);
      return insideEllipse(covFromEllipse(e), off.eastM, off.northM, e.p);
    }),
  );
}

/**
 * The 95 % and 68 % regions (in that order, so the 68 % one draws on top), with the ellipses of
 * the modes off the grid (`modes`: the result's). d3-contour puts the
 * value of cell (col, row) at pixel (col, row)..(col+1, row+1) and interpolates its borders
 * linearly between cell centres, so a pixel coordinate x maps to west + x·lonStep.
 *
 * Only the window of cells at or above the lower level, with one cell around it, is contoured:
 * marching squares sees a border only where a cell at or above the level meets one below, and
 * interpolates it from those two cells, so the window gives the whole grid's rings (shifted by
 * its corner) in a fraction of the time (issue 12, item 10: the page draws the heat map sooner).
 */
export function tdoaRegions(grid: TdoaGrid, modes: readonly TdoaMode[] = []): TdoaRegion[] {
  const levels = [
    { p: 0.95, level: grid.level95 },
    { p: 0.68, level: grid.level68 },
  ];
  const w = levelWindow(grid, Math.min(grid.level95, grid.level68));
  const values = new Float64Array(w.cols * w.rows);
  for (let r = 0; r < w.rows; r++)
    for (let c = 0; c < w.cols; c++)
      values[r * w.cols + c] = grid.prob[(w.row0 + r) * grid.cols + w.col0 + c];
  const generator = contours().size([w.cols, w.rows]);
  return levels.map(({ p, level }) => {
    const mp = generator.contour(values as unknown as number[], level);
    const coordinates = mp.coordinates.map((polygon) =>
      polygon.map((ring) =>
        ring.map(([x, y]): [number, number] => [
          grid.west + (w.col0 + x) * grid.lonStepDeg,
          grid.south + (w.row0 + y) * grid.latStepDeg,
        ]),
      ),
    );
    // A mode off the grid holds its part of the region as an ellipse.
    for (const m of modes)
      for (const e of m.ellipses ?? [])
        if (e.p === p) coordinates.push([ellipsePolygon(m, covFromEllipse(e), e.p)]);
    return { p, level, coordinates };
  });
}

/**
 * The rows and columns of the cells with prob >= level, one more on every side where the grid
 * has one; the whole grid when no cell reaches the level.
 */
function levelWindow(
  grid: TdoaGrid,
  level: number,
): { row0: number; col0: number; rows: number; cols: number } {
  const box = Int32Array.of(grid.rows, -1, grid.cols, -1);
  boundsAtOrAbove(grid.prob, grid.cols, level, box);
  let [r0, r1, c0, c1] = box;
  if (r1 < 0) return { row0: 0, col0: 0, rows: grid.rows, cols: grid.cols };
  r0 = Math.max(0, r0 - 1);
  c0 = Math.max(0, c0 - 1);
  r1 = Math.min(grid.rows - 1, r1 + 1);
  c1 = Math.min(grid.cols - 1, c1 + 1);
  return { row0: r0, col0: c0, rows: r1 - r0 + 1, cols: c1 - c0 + 1 };
}

/**
 * The first and last row and column of the cells with prob >= level into box (r0, r1, c0, c1).
 * One flat loop alone in its function: nested loops here were compiled on the stack at the inner
 * one and left at every row's end, in every drop (issue 12, item 10; Chromium's --trace-deopt).
 */
function boundsAtOrAbove(prob: Float32Array, cols: number, level: number, box: Int32Array): void {
  let [r0, r1, c0, c1] = box;
  for (let i = 0, r = 0, c = 0; i < prob.length; i++) {
    if (prob[i] >= level) {
      if (r < r0) r0 = r;
      if (r > r1) r1 = r;
      if (c < c0) c0 = c;
      if (c > c1) c1 = c;
    }
    if (++c === cols) {
      c = 0;
      r++;
    }
  }
  box[0] = r0;
  box[1] = r1;
  box[2] = c0;
  box[3] = c1;
}

/**
 * The covariance whose p-ellipse is the given one: semi-axes k(p)·sigma along the axes, the major
 * axis at azimuthDeg (east of north). ellipsePolygon(center, cov, p) then draws exactly it.
 */
export function covFromEllipse(e: EllipseSummary): Cov2 {
  const k = kForProbability(e.p);
  const major = (e.semiMajorM / k) ** 2;
  const minor = (e.semiMinorM / k) ** 2;
  const az = (e.azimuthDeg * Math.PI) / 180;
  const ue = Math.sin(az);
  const un = Math.cos(az);
  return {
    ee: major * ue * ue + minor * un * un,
    en: (major - minor) * ue * un,
    nn: major * un * un + minor * ue * ue,
  };
}
