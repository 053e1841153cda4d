/**
 * hpdLevels (posteriorGrid.ts) sorts only the cells above a floor when they hold the masses: the
 * levels must be those of the plain full sort, for a sharp posterior (the floor applies), a flat
 * one (it does not) and masses of one.
 */
import { describe, expect, it } from 'vitest';
import { hpdLevels } from '../../src/core/tdoa/posteriorGrid';

/** The definition: walk the sorted cells down from the top until each mass is reached. */
function plainLevels(prob: Float32Array, masses: number[]): number[] {
  const sorted = Float32Array.from(prob).sort();
  return masses.map((m) => {
    let acc = 0;
    for (let k = sorted.length - 1; k >= 0; k--) {
      acc += sorted[k];
      if (acc >= m) return sorted[k];
    }
    return sorted[0];
  });
}

function normalised(values: number[]): Float32Array {
  const sum = values.reduce((a, b) => a + b, 0);
  return Float32Array.from(values, (v) => v / sum);
}

describe('hpdLevels', () => {
  const n = 40_000;
  const sharp = normalised(
    Array.from({ length: n }, (_, i) => Math.exp(-0.5 * ((i - 20_000) / 150) ** 2)),
  );
  const flat = normalised(Array.from({ length: n }, (_, i) => 1 + ((i * 7919) % 13) / 100));
  for (const [name, prob] of [
    ['sharp', sharp],
    ['flat', flat],
  ] as const) {
    it(`gives the full sort's levels: ${name}`, () => {
      const masses = [0.95, 0.68, 0.5, 0.999];
      expect(hpdLevels(prob, masses)).toEqual(plainLevels(prob, masses));
    });
  }
  it("gives the full sort's levels with exact zeros among the cells (integer-order sort)", () => {
    const withZeros = Float32Array.from(sharp, (v, i) => (i % 3 === 0 ? 0 : v));
    const masses = [0.5, 0.6, 0.62];
    expect(hpdLevels(withZeros, masses)).toEqual(plainLevels(withZeros, masses));
  });
  it('falls back to every cell for a mass the top cells cannot hold', () => {
    expect(hpdLevels(sharp, [1.5])).toEqual(plainLevels(sharp, [1.5]));
  });
});
