import { describe, expect, it } from 'vitest';
import { gridGeometry, rowResiduals } from '../../src/core/tdoa/gridGeometry';
import { gridSpec, logLikelihood } from '../../src/core/tdoa/posteriorGrid';
import { andoyerLambertM, fastPoint, SPEED_OF_LIGHT_M_S } from '../../src/core/tdoa/propagation';
import { delayModel } from '../../src/core/tdoa/solvePosition';
import { stationLogLikelihood } from '../../src/core/tdoa/stationLikelihood';

const DEG = Math.PI / 180;

/** The delay residual of one cell the way the grid computed it before gridGeometry: per cell. */
function perCell(
  spec: ReturnType<typeof gridSpec>,
  row: number,
  col: number,
  station: { lat: number; lon: number },
  timeS: number,
): number {
  const cell = fastPoint({ lat: spec.south + (row + 0.5) * spec.latStepDeg, lon: 0 });
  const s = fastPoint(station);
  const lonRad = (spec.west + (col + 0.5) * spec.lonStepDeg) * DEG;
  const d = andoyerLambertM(
    cell.sinB,
    cell.cosB,
    s.sinB,
    s.cosB,
    Math.cos(s.lonRad - lonRad),
    Math.sin(s.lonRad - lonRad),
  );
  return timeS - d / SPEED_OF_LIGHT_M_S;
}

const CASES = [
  {
    name: 'central Europe',
    stations: [
      { lat: 46.5, lon: 8.8 },
      { lat: 51.47, lon: 11.98 },
      { lat: 51.5, lon: 3.6 },
    ],
    box: { south: 42, north: 56, west: -2, east: 18 },
  },
  {
    name: 'across the antimeridian, a station on the grid',
    stations: [
      { lat: -41.3, lon: 174.8 },
      { lat: -36.85, lon: 174.76 },
      { lat: -43.5, lon: -176.5 },
      { lat: -40, lon: 178.05 },
    ],
    box: { south: -46, north: -34, west: 170, east: 186 },
  },
  {
    name: 'near the pole',
    stations: [
      { lat: 78.2, lon: 15.6 },
      { lat: 69.6, lon: 18.9 },
      { lat: 74.5, lon: 19 },
    ],
    box: { south: 66, north: 82, west: 0, east: 35 },
  },
];

describe('grid delays from per-row and per-column terms', () => {
  for (const c of CASES) {
    it(`are the per-cell Andoyer-Lambert delays, bit for bit (${c.name})`, () => {
      const spec = gridSpec(c.box, 3000);
      const times = c.stations.map((_, i) => i * 1.7e-4 - 2e-4);
      const g = gridGeometry(spec, c.stations);
      const res = new Float64Array(spec.cols * c.stations.length);
      let compared = 0;
      for (let row = 0; row < spec.rows; row++) {
        // A part of the row, as the bounded grid asks for, then the whole row.
        for (const [c0, c1] of [
          [3, Math.min(spec.cols, 11)],
          [0, spec.cols],
        ]) {
          rowResiduals(g, times, row, c0, c1, res);
          for (let col = c0; col < c1; col++)
            for (let s = 0; s < c.stations.length; s++) {
              expect(res[col * c.stations.length + s]).toBe(
                perCell(spec, row, col, c.stations[s], times[s]),
              );
              compared++;
            }
        }
      }
      expect(compared).toBeGreaterThan(3000 * c.stations.length);
    });
  }

  it('give the grid the likelihood of each cell on its own (mixture included)', () => {
    const { stations, box } = CASES[0];
    const model = delayModel(stations, [0, -4.2e-4, 8.3e-5], [1e-12, 1.3e-12, 9e-10], {
      share: [0.1, 0.1, 0],
      extraS2: 9e-10,
      maxCount: 2,
    });
    const spec = gridSpec(box, 2000);
    const grid = logLikelihood(spec, model);
    for (let row = 0; row < spec.rows; row += 7)
      for (let col = 0; col < spec.cols; col += 5) {
        const r = model.timesS.map((t, s) => perCell(spec, row, col, stations[s], t));
        expect(grid[row * spec.cols + col]).toBe(
          stationLogLikelihood(r, model.weights, model.configs),
        );
      }
  });
});
