/**
 * The two-station line (hyperbola.ts): every point at the measured path difference, and drawn
 * continuously across the antimeridian (a step from +180 to -180 was a line across the whole map).
 * Distances from geodesy.ts's geodesicInverse, which tests/geo/geodesy.test.ts checks against
 * geographiclib's reference values. The line is traced with propagation.ts's fast distances (within
 * a few metres at 1500 km): a line on a map needs no better.
 */
import { describe, expect, it } from 'vitest';
import { geodesicInverse } from '../../src/core/geodesy';
import { hyperbola } from '../../src/core/tdoa/hyperbola';
import { SPEED_OF_LIGHT_M_S } from '../../src/core/tdoa/propagation';

const pathDifferenceM = (a: { lat: number; lon: number }, b: typeof a, p: typeof a) =>
  geodesicInverse(p, b).distanceM - geodesicInverse(p, a).distanceM;

describe('two-station hyperbola', () => {
  it.each([
    [
      'across the antimeridian (Suva, Apia)',
      { lat: -18.14, lon: 178.44 },
      { lat: -13.83, lon: -171.76 },
      { lat: -16, lon: -179.5 },
    ],
    [
      'in Europe (HB9ODP, JO51xl)',
      { lat: 46.499351, lon: 8.798828 },
      { lat: 51.47, lon: 11.98 },
      { lat: 50.0152, lon: 9.0112 },
    ],
  ])('%s: on the locus, through the transmitter, no step over 180 degrees', (_, a, b, tx) => {
    const lagS = pathDifferenceM(a, b, tx) / SPEED_OF_LIGHT_M_S;
    const line = hyperbola(a, b, lagS, 1_500_000);
    expect(line.length).toBeGreaterThan(50);
    for (const [lon, lat] of line)
      expect(
        Math.abs(pathDifferenceM(a, b, { lat, lon }) - lagS * SPEED_OF_LIGHT_M_S),
      ).toBeLessThan(10);
    for (let i = 1; i < line.length; i++)
      expect(Math.abs(line[i][0] - line[i - 1][0])).toBeLessThan(10);
    const nearest = Math.min(
      ...line.map(([lon, lat]) => geodesicInverse({ lat, lon }, tx).distanceM),
    );
    expect(nearest).toBeLessThan(30_000);
  });
});
