/**
 * The bounded search grid (src/core/tdoa/boundedGrid.ts) against the full evaluation: the same
 * best cell, the same value in every cell within the depth of it (the cells the search box is
 * made from), and nothing above that depth elsewhere, for compact, ridge-shaped and far-away
 * posteriors; and it does skip most of the grid when the posterior is compact.
 */
import { describe, expect, it } from 'vitest';
import type { LatLon } from '../../src/core/geodesy';
import { boundedLogLikelihood } from '../../src/core/tdoa/boundedGrid';
import { gridSpec, logLikelihood } from '../../src/core/tdoa/posteriorGrid';
import { geodesicDistanceM, SPEED_OF_LIGHT_M_S } from '../../src/core/tdoa/propagation';
import { delayModel, searchBox } from '../../src/core/tdoa/solvePosition';

const DEPTH = 15;

function model(stations: LatLon[], tx: LatLon, sigmaS: number, biasS: number[] = []) {
  const d0 = geodesicDistanceM(tx, stations[0]);
  const times = stations.map(
    (s, i) => (geodesicDistanceM(tx, s) - d0) / SPEED_OF_LIGHT_M_S + (biasS[i] ?? 0),
  );
  return delayModel(
    stations,
    times,
    stations.map(() => sigmaS ** 2),
  );
}

const NETWORK: LatLon[] = [
  { lat: 46.499351, lon: 8.798828 },
  { lat: 51.466044, lon: 11.977189 },
  { lat: 51.5005, lon: 3.60069 },
];

const CASES: { name: string; stations: LatLon[]; tx: LatLon; sigmaS: number; bias?: number[] }[] = [
  { name: 'compact, inside', stations: NETWORK, tx: { lat: 50.0152, lon: 9.0112 }, sigmaS: 2e-6 },
  {
    name: 'wide (30 us), with a biased station',
    stations: NETWORK,
    tx: { lat: 49.2, lon: 6.1 },
    sigmaS: 30e-6,
    bias: [0, 40e-6, 0],
  },
  { name: 'far outside (a ridge)', stations: NETWORK, tx: { lat: 43.0, lon: 16.0 }, sigmaS: 3e-6 },
  {
    name: 'four stations',
    stations: [...NETWORK, { lat: 48.1, lon: 16.4 }],
    tx: { lat: 47.6, lon: 12.2 },
    sigmaS: 1e-6,
  },
];

describe('bounded search grid', () => {
  for (const c of CASES) {
    it(`matches the full grid where it matters: ${c.name}`, () => {
      const m = model(c.stations, c.tx, c.sigmaS, c.bias);
      const spec = gridSpec(searchBox(c.stations), 250_000);
      const full = logLikelihood(spec, m);
      const bounded = boundedLogLikelihood(spec, m, DEPTH);
      let best = -Infinity;
      for (const v of full) best = Math.max(best, v);
      let boundedBest = -Infinity;
      let evaluated = 0;
      let near = 0;
      let wrong = 0;
      for (let i = 0; i < full.length; i++) {
        boundedBest = Math.max(boundedBest, bounded[i]);
        if (bounded[i] > -Infinity) evaluated++;
        if (full[i] >= best - DEPTH) {
          near++;
          if (bounded[i] !== full[i]) wrong++;
        } else if (!(bounded[i] < best - DEPTH)) wrong++;
      }
      expect(wrong).toBe(0);
      expect(boundedBest).toBe(best);
      expect(near).toBeGreaterThan(0);
      if (c.name.startsWith('compact')) expect(evaluated).toBeLessThan(0.1 * full.length);
    });
  }

  it('evaluates every cell when the model has multipath configurations', () => {
    const base = model(NETWORK, { lat: 50, lon: 9 }, 2e-6);
    const m = delayModel(NETWORK, base.timesS, [4e-12, 4e-12, 4e-12], {
      share: 0.1,
      extraS2: 9e-10,
      maxCount: 2,
    });
    const spec = gridSpec(searchBox(NETWORK), 20_000);
    expect(Array.from(boundedLogLikelihood(spec, m, DEPTH))).toEqual(
      Array.from(logLikelihood(spec, m)),
    );
  });
});
