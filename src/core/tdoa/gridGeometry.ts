/**
 * The path delays from every cell of a latitude-longitude grid to each station, separated into
 * per-row and per-column terms (issue 12, item 10: speed).
 *
 * On a grid a cell's latitude is its row's and its longitude its column's, so every product in
 * Andoyer-Lambert's central angle (propagation.ts) that involves one of them alone is worked out
 * once per row or per column instead of once per cell: a cell then costs a few multiplications, a
 * square root and the arctangent. The products are the ones andoyerLambertM forms, in its order,
 * so each delay is the same number it gives.
 */
import type { LatLon } from '../geodesy';
import { fastPoint, lambertM, SPEED_OF_LIGHT_M_S } from './propagation';

const DEG = Math.PI / 180;
/** Per row and station: the terms of andoyerLambertM that depend on the two latitudes alone. */
const ROW_TERMS = 6;

/** A latitude-longitude grid: rows from `south`, columns from `west`, cells of equal steps. */
export interface GridSpec {
  south: number;
  west: number;
  latStepDeg: number;
  lonStepDeg: number;
  rows: number;
  cols: number;
}

export interface GridGeometry {
  stations: number;
  cols: number;
  /** Per column and station ([col * stations + s]): cos of the longitude difference. */
  cosD: Float64Array;
  /** Per column and station: the station's cos(reduced latitude) times sin(longitude difference). */
  cx: Float64Array;
  /**
   * Per row and station ([(row * stations + s) * ROW_TERMS + k]): sinB1 sinB2, cosB1 cosB2,
   * cosB1 sinB2, sinB1 cosB2, ((sinB1 + sinB2) / 2)^2, ((sinB2 - sinB1) / 2)^2 (1: the cell).
   */
  rowTerms: Float64Array;
}

export function gridGeometry(spec: GridSpec, stations: readonly LatLon[]): GridGeometry {
  const { rows, cols } = spec;
  const m = stations.length;
  const pts = stations.map(fastPoint);
  // The result first, its loops after: nothing follows them that they would compile unseen
  // (posteriorGrid.ts, maxOf).
  const g: GridGeometry = {
    stations: m,
    cols,
    cosD: new Float64Array(cols * m),
    cx: new Float64Array(cols * m),
    rowTerms: new Float64Array(rows * m * ROW_TERMS),
  };
  const { cosD, cx, rowTerms } = g;
  for (let c = 0; c < cols; c++) {
    const lonRad = (spec.west + (c + 0.5) * spec.lonStepDeg) * DEG;
    for (let s = 0; s < m; s++) {
      cosD[c * m + s] = Math.cos(pts[s].lonRad - lonRad);
      cx[c * m + s] = pts[s].cosB * Math.sin(pts[s].lonRad - lonRad);
    }
  }
  for (let row = 0; row < rows; row++) {
    const cell = fastPoint({ lat: spec.south + (row + 0.5) * spec.latStepDeg, lon: 0 });
    for (let s = 0; s < m; s++) {
      const k = (row * m + s) * ROW_TERMS;
      const { sinB, cosB } = pts[s];
      rowTerms[k] = cell.sinB * sinB;
      rowTerms[k + 1] = cell.cosB * cosB;
      rowTerms[k + 2] = cell.cosB * sinB;
      rowTerms[k + 3] = cell.sinB * cosB;
      rowTerms[k + 4] = ((cell.sinB + sinB) / 2) ** 2;
      rowTerms[k + 5] = ((sinB - cell.sinB) / 2) ** 2;
    }
  }
  return g;
}

/**
 * Residuals t_s - d_s / c of the cells (row, c0 .. c1 - 1) into res[c * stations + s]: station by
 * station, so a station's row terms stay in registers across the row.
 */
export function rowResiduals(
  g: GridGeometry,
  timesS: ArrayLike<number>,
  row: number,
  c0: number,
  c1: number,
  res: Float64Array,
): void {
  const m = g.stations;
  const { cosD, cx, rowTerms } = g;
  for (let s = 0; s < m; s++) {
    const k = (row * m + s) * ROW_TERMS;
    const sinSin = rowTerms[k];
    const cosCos = rowTerms[k + 1];
    const cosSin = rowTerms[k + 2];
    const sinCos = rowTerms[k + 3];
    const sinPcosQ2 = rowTerms[k + 4];
    const cosPsinQ2 = rowTerms[k + 5];
    const t = timesS[s];
    for (let c = c0; c < c1; c++) {
      const j = c * m + s;
      const x = cx[j];
      const y = cosSin - sinCos * cosD[j];
      const sinS = Math.sqrt(x * x + y * y);
      const cosS = sinSin + cosCos * cosD[j];
      res[j] = t - lambertM(sinS, cosS, sinPcosQ2, cosPsinQ2) / SPEED_OF_LIGHT_M_S;
    }
  }
}
