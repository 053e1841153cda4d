import { describe, expect, it } from 'vitest';
import { fromLocalOffset } from '../../src/core/geodesy';
import {
  ellipseContains,
  goalOdds,
  summarise,
  truthCredibility,
  type SceneOutcome,
} from '../../src/core/sim/tdoa/evaluation';
import type { TdoaGrid } from '../../src/core/tdoa/types';
import { insideRegion } from '../../src/core/tdoaRegions';
import { percentile } from '../../src/core/stats';

const grid: TdoaGrid = {
  south: 50,
  west: 8,
  latStepDeg: 0.5,
  lonStepDeg: 1,
  rows: 2,
  cols: 3,
  // Row 0 (50-50.5 N): 0.1 0.3 0.05; row 1 (50.5-51 N): 0.05 0.4 0.1.
  prob: Float32Array.from([0.1, 0.3, 0.05, 0.05, 0.4, 0.1]),
  level68: 0.3,
  level95: 0.1,
};

describe('TDoA evaluation scoring', () => {
  it('finds the grid cell a point falls in and compares it with the level', () => {
    expect(insideRegion(grid, grid.level68, { lat: 50.7, lon: 9.5 })).toBe(true); // 0.4
    expect(insideRegion(grid, grid.level68, { lat: 50.2, lon: 9.99 })).toBe(true); // 0.3
    expect(insideRegion(grid, grid.level68, { lat: 50.2, lon: 10.01 })).toBe(false); // 0.05
    expect(insideRegion(grid, grid.level95, { lat: 50.2, lon: 8.5 })).toBe(true); // 0.1
    expect(insideRegion(grid, grid.level95, { lat: 50.6, lon: 8.5 })).toBe(false); // 0.05
    expect(insideRegion(grid, 0, { lat: 49.9, lon: 9 })).toBe(false); // outside
    expect(insideRegion(grid, 0, { lat: 50.2, lon: 11.2 })).toBe(false);
  });

  it("gives the truth's credibility: the mass of the cells more probable than its own", () => {
    expect(truthCredibility({ grid }, { lat: 50.7, lon: 9.5 })).toBeCloseTo(0, 6); // 0.4: the top
    expect(truthCredibility({ grid }, { lat: 50.2, lon: 9.5 })).toBeCloseTo(0.4, 6); // 0.3
    expect(truthCredibility({ grid }, { lat: 50.2, lon: 8.5 })).toBeCloseTo(0.7, 6); // 0.1: 0.4 + 0.3
    expect(truthCredibility({ grid }, { lat: 50.2, lon: 10.5 })).toBeCloseTo(0.9, 6); // 0.05
    expect(truthCredibility({ grid }, { lat: 49.9, lon: 9 })).toBe(1); // off the grid
  });

  it('tests a point against a rotated ellipse in metres', () => {
    const centre = { lat: 48, lon: 11 };
    const e = { p: 0.95, semiMajorM: 5000, semiMinorM: 1000, azimuthDeg: 45 };
    const along = (m: number) => fromLocalOffset(centre, m * Math.SQRT1_2, m * Math.SQRT1_2);
    const across = (m: number) => fromLocalOffset(centre, m * Math.SQRT1_2, -m * Math.SQRT1_2);
    expect(ellipseContains(centre, e, along(4900))).toBe(true);
    expect(ellipseContains(centre, e, along(5100))).toBe(false);
    expect(ellipseContains(centre, e, across(950))).toBe(true);
    expect(ellipseContains(centre, e, across(1050))).toBe(false);
  });

  it('summarises errors, coverage and lag calibration over scenes', () => {
    const scene = (errorM: number | undefined, inside: boolean, z: number): SceneOutcome => ({
      id: 'x',
      kind: 'noise',
      snrDb: 20,
      stations: 4,
      multipath: false,
      formats: 'kiwi',
      expectedExcluded: [],
      excluded: [],
      lags: [{ a: 'A', b: 'B', errorUs: z, z, zCrb: z }],
      ...(errorM === undefined
        ? { failure: 'no position' }
        : { errorM, crbMedianM: 100, ratio: errorM / 100, inGrid68: inside, inGrid95: true }),
    });
    const s = summarise([
      scene(100, true, 0.5),
      scene(300, false, 1.5),
      scene(200, true, 3),
      scene(undefined, false, 0.1),
    ]);
    expect(s.scenes).toBe(4);
    expect(s.located).toBe(3);
    expect(s.medianErrorM).toBe(200);
    expect(s.medianRatio).toBe(2);
    expect(s.grid68).toEqual({ share: 2 / 3, n: 3 });
    expect(s.grid95.share).toBe(1);
    expect(s.ellipse68.n).toBe(0);
    expect(s.lagWithin1Sigma).toBe(0.5);
    expect(s.lagWithin2Sigma).toBe(0.75);
    expect(percentile([1, 2, 3, 4, 5], 0.9)).toBeCloseTo(4.6, 12);
  });
});

describe('goalOdds: whether an efficient solver would meet the error goal', () => {
  const scenes = (p: (number | undefined)[]) =>
    p.map((efficientWithin, i) => ({ id: `s${i}`, efficientWithin }) as SceneOutcome);

  it('is the binomial tail when every scene has the same chance', () => {
    // Five scenes at 0.3: P(at least 3) = 10 (.3^3)(.7^2) + 5 (.3^4)(.7) + .3^5 = 0.16308.
    const odds = goalOdds(scenes([0.3, 0.3, 0.3, 0.3, 0.3]));
    expect(odds.scenes).toBe(5);
    expect(odds.needed).toBe(3);
    expect(odds.expected).toBeCloseTo(1.5, 12);
    expect(odds.probability).toBeCloseTo(0.16308, 12);
  });

  it('matches an enumeration of every outcome for unequal chances, skipping unbounded scenes', () => {
    const p = [0.9, 0.1, 0.75, 0.5, 0, 0.66, 1];
    let tail = 0;
    for (let mask = 0; mask < 1 << p.length; mask++) {
      let prob = 1;
      let within = 0;
      p.forEach((q, i) => {
        const hit = (mask >> i) & 1;
        prob *= hit ? q : 1 - q;
        within += hit;
      });
      // Seven scenes: the median is the fourth, so four must be within.
      if (within >= 4) tail += prob;
    }
    const odds = goalOdds(scenes([...p, undefined]));
    expect(odds.scenes).toBe(7);
    expect(odds.needed).toBe(4);
    expect(odds.probability).toBeCloseTo(tail, 12);
    // An even count needs one more than half: 33 of 64, as the held-out set needs.
    expect(goalOdds(scenes(new Array(64).fill(0.5))).needed).toBe(33);
  });
});
