import { describe, expect, it } from 'vitest';
import { declutter, type LabelBox } from '../../src/map/declutter';

const box = (x: number, y: number, keep = false, w = 60, h = 14): LabelBox => ({
  x,
  y,
  w,
  h,
  keep,
});

describe('declutter', () => {
  it('shows every label that is clear of the others', () => {
    expect(declutter([box(0, 0), box(100, 0), box(0, 40)])).toEqual([true, true, true]);
  });

  it('hides a label that covers one shown before it, and keeps stations whatever they cover', () => {
    // A town, a second town on top of it, a station on top of both, a town clear of all.
    const shown = declutter([box(0, 0), box(30, 5), box(10, 8, true), box(200, 0)]);
    expect(shown).toEqual([false, false, true, true]);
  });

  it('keeps a gap between labels: touching boxes count as covering', () => {
    expect(declutter([box(0, 0), box(61, 0)])).toEqual([true, false]);
    expect(declutter([box(0, 0), box(63, 0)])).toEqual([true, true]);
    expect(declutter([box(0, 0), box(0, 15)], 0)).toEqual([true, true]);
  });

  it('decides in priority order: a hidden label frees its room for the next', () => {
    // The second covers the first and is hidden; the third covers only the second: shown.
    expect(declutter([box(0, 0), box(50, 0), box(100, 0)])).toEqual([true, false, true]);
  });
});
