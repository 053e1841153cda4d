/**
 * A TdoaResult with a known posterior, for the UI and export tests: an isotropic Gaussian of
 * sigma `sigmaKm` on a regular lat/lon grid, with the 68 %/95 % highest-posterior levels found by
 * sorting the cells (the definition, computed independently of the code under test).
 */
import type { TdoaGrid, TdoaResult } from '../../src/core/tdoa/types';

const KM_PER_DEG = 111.195;

export function gaussianGrid(
  center: { lat: number; lon: number },
  sigmaKm: number,
  halfSpanDeg = 1,
  cells = 201,
): TdoaGrid {
  const rows = cells;
  const cols = cells;
  const south = center.lat - halfSpanDeg;
  const west = center.lon - halfSpanDeg;
  const latStepDeg = (2 * halfSpanDeg) / rows;
  const lonStepDeg = (2 * halfSpanDeg) / cols;
  const cosLat = Math.cos((center.lat * Math.PI) / 180);
  const prob = new Float32Array(rows * cols);
  let sum = 0;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const lat = south + (r + 0.5) * latStepDeg;
      const lon = west + (c + 0.5) * lonStepDeg;
      const dy = (lat - center.lat) * KM_PER_DEG;
      const dx = (lon - center.lon) * KM_PER_DEG * cosLat;
      const v = Math.exp(-(dx * dx + dy * dy) / (2 * sigmaKm * sigmaKm));
      prob[r * cols + c] = v;
      sum += v;
    }
  }
  for (let i = 0; i < prob.length; i++) prob[i] /= sum;
  const sorted = Array.from(prob).sort((a, b) => b - a);
  const levelFor = (p: number) => {
    let acc = 0;
    for (const v of sorted) {
      acc += v;
      if (acc >= p) return v;
    }
    return sorted[sorted.length - 1];
  };
  return {
    south,
    west,
    latStepDeg,
    lonStepDeg,
    rows,
    cols,
    prob,
    level68: levelFor(0.68),
    level95: levelFor(0.95),
  };
}

/** k(p) = sqrt(-2 ln(1-p)) for a 2-D Gaussian: the radius of the region holding p, in sigmas. */
export const kOf = (p: number) => Math.sqrt(-2 * Math.log(1 - p));

export function gaussianResult(
  center: { lat: number; lon: number },
  sigmaKm: number,
  stations: string[] = ['A', 'B', 'C'],
): TdoaResult {
  return {
    scene: 'test-scene',
    method: 'tdoa',
    lat: center.lat,
    lon: center.lon,
    stations: stations.map((id) => ({ id, used: true })),
    pairs: [
      {
        a: stations[0],
        b: stations[1],
        lagUs: 123.4,
        sigmaUs: 2.5,
        peak: 0.9,
        curve: { lagUs: [100, 110, 120, 130, 140], value: [0.1, 0.5, 0.9, 0.6, 0.2] },
      },
    ],
    ellipses: [0.68, 0.95].map((p) => ({
      p,
      semiMajorM: kOf(p) * sigmaKm * 1000,
      semiMinorM: kOf(p) * sigmaKm * 1000,
      azimuthDeg: 0,
    })),
    grid: gaussianGrid(center, sigmaKm),
  };
}
