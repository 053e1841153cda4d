/**
 * The spectrogram colour scale: viridis (van der Walt & Smith, matplotlib), perceptually uniform
 * and readable by colour-blind viewers. Anchors are viridis sampled at 0, 1/8, ..., 1; between
 * them we interpolate linearly in sRGB, which stays within a few units of the full table.
 */
const VIRIDIS_ANCHORS: readonly [number, number, number][] = [
  [68, 1, 84],
  [71, 44, 122],
  [59, 81, 139],
  [44, 113, 142],
  [33, 144, 141],
  [39, 173, 129],
  [92, 200, 99],
  [170, 220, 50],
  [253, 231, 37],
];

/** RGB of viridis at t in [0, 1] (clamped). */
export function viridis(t: number): [number, number, number] {
  const x = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (VIRIDIS_ANCHORS.length - 1);
  const i = Math.min(Math.floor(x), VIRIDIS_ANCHORS.length - 2);
  const f = x - i;
  const a = VIRIDIS_ANCHORS[i];
  const b = VIRIDIS_ANCHORS[i + 1];
  return [0, 1, 2].map((k) => Math.round(a[k] + (b[k] - a[k]) * f)) as [number, number, number];
}

/** A 256-entry RGBA lookup table, so painting a spectrogram is one table read per pixel. */
export function viridisLut(): Uint8ClampedArray {
  const lut = new Uint8ClampedArray(256 * 4);
  for (let i = 0; i < 256; i++) {
    const [r, g, b] = viridis(i / 255);
    lut.set([r, g, b, 255], i * 4);
  }
  return lut;
}

/** CSS linear-gradient of the scale, for the colour bar next to the spectrograms. */
export function viridisGradientCss(direction = 'to top'): string {
  const stops = VIRIDIS_ANCHORS.map(
    ([r, g, b], i) =>
      `rgb(${r} ${g} ${b}) ${((i / (VIRIDIS_ANCHORS.length - 1)) * 100).toFixed(1)}%`,
  );
  return `linear-gradient(${direction}, ${stops.join(', ')})`;
}
