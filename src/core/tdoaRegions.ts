/**
 * The TDoA posterior's regions for drawing and export (issue 12): the 68 % and 95 % highest-
 * posterior regions of a TdoaGrid as GeoJSON polygons (marching squares, d3-contour), whether a
 * point lies inside one, and an ellipse summary turned back into a covariance so the ellipse
 * fitted to a region is drawn by the same ellipsePolygon as the model's.
 */
import { contours } from 'd3-contour';
import { kForProbability, type Cov2, type EllipseSummary } from './ellipse';
import type { LatLon } from './geodesy';
import type { MultiPolygonGeometry, Position } from './geojson';
import type { TdoaGrid } from './tdoa/types';

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

/** The cell holding a point; null outside the grid. */
export function cellOf(grid: TdoaGrid, p: LatLon): { row: number; col: number } | null {
  const row = Math.floor((p.lat - grid.south) / grid.latStepDeg);
  const col = Math.floor((p.lon - grid.west) / grid.lonStepDeg);
  if (row < 0 || col < 0 || row >= grid.rows || col >= grid.cols) return null;
  return { row, col };
}

/** Whether p lies inside the region of the given level (false outside the grid). */
export function insideRegion(grid: TdoaGrid, level: number, p: LatLon): boolean {
  const cell = cellOf(grid, p);
  return cell !== null && grid.prob[cell.row * grid.cols + cell.col] >= level;
}

/**
 * The 95 % and 68 % regions (in that order, so the 68 % one draws on top). d3-contour puts the
 * value of cell (col, row) at pixel (col, row)..(col+1, row+1) and interpolates its borders
 * linearly between cell centres, so a pixel coordinate x maps to west + x·lonStep.
 */
export function tdoaRegions(grid: TdoaGrid): TdoaRegion[] {
  const values = Array.from(grid.prob);
  const generator = contours().size([grid.cols, grid.rows]);
  const levels = [
    { p: 0.95, level: grid.level95 },
    { p: 0.68, level: grid.level68 },
  ];
  return levels.map(({ p, level }) => {
    const mp = generator.contour(values, level);
    const coordinates = mp.coordinates.map((polygon) =>
      polygon.map((ring) =>
        ring.map(([x, y]): [number, number] => [
          grid.west + x * grid.lonStepDeg,
          grid.south + y * grid.latStepDeg,
        ]),
      ),
    );
    return { p, level, coordinates };
  });
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
