/**
 * One colour scale for every receiver's spectrogram of a scene. The model sees the receivers'
 * levels jointly (features are normalised across receivers, never per receiver), and the operator
 * should too: a per-image scale would make a weak receiver look as strong as a close one.
 */
import { nearestRankOfSorted, sortedCopy } from '../core/stats';

export interface DbScale {
  minDb: number;
  maxDb: number;
}

/**
 * The bottom of the scale sits at this percentile of all receivers' cells together: the noise
 * floor of the quietest receiver shows as dark but not black, so a receiver that hears nothing
 * still looks different from one that is missing.
 */
export const FLOOR_PERCENTILE = 0.02;
/** Never stretch a nearly flat scene over the whole colour range. */
export const MIN_RANGE_DB = 20;

/** The shared scale: the loudest cell of any receiver at the top, the joint noise floor at the bottom. */
export function sharedDbScale(images: readonly { data: ArrayLike<number> }[]): DbScale | null {
  const values: number[] = [];
  for (const img of images) {
    for (let i = 0; i < img.data.length; i++) {
      if (Number.isFinite(img.data[i])) values.push(img.data[i]);
    }
  }
  if (values.length === 0) return null;
  const sorted = sortedCopy(values);
  const maxDb = sorted[sorted.length - 1];
  const floorDb = nearestRankOfSorted(sorted, FLOOR_PERCENTILE);
  return { minDb: Math.min(floorDb, maxDb - MIN_RANGE_DB), maxDb };
}

/**
 * RGBA pixels of one (nMels x nFrames) image on the shared scale: time left to right, frequency
 * bottom (mel 0) to top, as a spectrogram is read.
 */
export function paintSpectrogram(
  data: ArrayLike<number>,
  nMels: number,
  nFrames: number,
  scale: DbScale,
  lut: Uint8ClampedArray,
): Uint8ClampedArray<ArrayBuffer> {
  if (data.length !== nMels * nFrames) {
    throw new RangeError(`log-mel holds ${data.length} values, not ${nMels} x ${nFrames}`);
  }
  const out = new Uint8ClampedArray(nMels * nFrames * 4);
  const span = scale.maxDb - scale.minDb || 1;
  for (let m = 0; m < nMels; m++) {
    const row = nMels - 1 - m;
    for (let f = 0; f < nFrames; f++) {
      const t = (data[m * nFrames + f] - scale.minDb) / span;
      const idx = Math.round(Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * 255) * 4;
      const o = (row * nFrames + f) * 4;
      out[o] = lut[idx];
      out[o + 1] = lut[idx + 1];
      out[o + 2] = lut[idx + 2];
      out[o + 3] = 255;
    }
  }
  return out;
}
