import { describe, expect, it } from 'vitest';
import { viridis, viridisLut } from '../../src/ui/colormap';
import { MIN_RANGE_DB, paintSpectrogram, sharedDbScale } from '../../src/ui/spectrogramScale';

describe('viridis', () => {
  it('runs from dark purple to yellow and clamps outside [0, 1]', () => {
    expect(viridis(0)).toEqual([68, 1, 84]);
    expect(viridis(1)).toEqual([253, 231, 37]);
    expect(viridis(-3)).toEqual(viridis(0));
    expect(viridis(NaN)).toEqual(viridis(0));
  });
  it('gets brighter along the scale (perceptually ordered)', () => {
    const luma = (t: number) => {
      const [r, g, b] = viridis(t);
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    for (let t = 0; t < 1; t += 0.05) expect(luma(t + 0.05)).toBeGreaterThan(luma(t));
  });
});

describe('sharedDbScale', () => {
  it('takes one scale over all receivers, so a quiet receiver stays dark', () => {
    const loud = { data: Float32Array.from({ length: 100 }, (_, i) => -110 + (i === 50 ? 70 : 0)) };
    const quiet = { data: new Float32Array(100).fill(-120) };
    const scale = sharedDbScale([loud, quiet])!;
    expect(scale.maxDb).toBeCloseTo(-40);
    expect(scale.minDb).toBeCloseTo(-120);
    const lut = viridisLut();
    const quietPixels = paintSpectrogram(quiet.data, 10, 10, scale, lut);
    const loudPixels = paintSpectrogram(loud.data, 10, 10, scale, lut);
    // The quiet receiver's noise is at the bottom of the shared scale (darkest colour) ...
    expect([...quietPixels.slice(0, 3)]).toEqual(viridis(0));
    // ... while the loud receiver's peak cell is at the top.
    const peakRow = 9 - Math.floor(50 / 10);
    const o = (peakRow * 10 + (50 % 10)) * 4;
    expect([...loudPixels.slice(o, o + 3)]).toEqual(viridis(1));
  });
  it('keeps a minimum range for flat scenes and ignores non-finite cells', () => {
    const flat = { data: Float32Array.from([-100, -100, NaN, -Infinity]) };
    expect(sharedDbScale([flat])).toEqual({ minDb: -100 - MIN_RANGE_DB, maxDb: -100 });
    expect(sharedDbScale([])).toBeNull();
  });
  it('puts mel 0 (lowest frequency) on the bottom row', () => {
    const data = Float32Array.from([0, -100]); // nMels 2, nFrames 1: mel 0 loud, mel 1 quiet
    const px = paintSpectrogram(data, 2, 1, { minDb: -100, maxDb: 0 }, viridisLut());
    expect([...px.slice(4, 7)]).toEqual(viridis(1)); // bottom row
    expect([...px.slice(0, 3)]).toEqual(viridis(0)); // top row
  });
  it('refuses an image whose size disagrees with its dims', () => {
    expect(() =>
      paintSpectrogram(new Float32Array(5), 2, 2, { minDb: 0, maxDb: 1 }, viridisLut()),
    ).toThrow(/5 values, not 2 x 2/);
  });
});
