/**
 * One colour scale for every receiver's spectrogram of a scene. The model sees the receivers'
 * levels jointly (features are normalised across receivers, never per receiver), and the operator
 * should too: a per-image scale would make a weak receiver look as strong as a close one.
 */

export interface DbScale {
  minDb: number;
  maxDb: number;
}

/** Shown dynamic range: enough to see a signal 40 dB under the strongest, no more noise floor. */
export const DISPLAY_RANGE_DB = 60;

/** The shared scale: the loudest cell of any receiver at the top, DISPLAY_RANGE_DB below it at the bottom. */
export function sharedDbScale(images: readonly { data: ArrayLike<number> }[]): DbScale | null {
  let maxDb = -Infinity;
  for (const img of images) {
    for (let i = 0; i < img.data.length; i++) {
      const v = img.data[i];
      if (Number.isFinite(v) && v > maxDb) maxDb = v;
    }
  }
  if (!Number.isFinite(maxDb)) return null;
  return { minDb: maxDb - DISPLAY_RANGE_DB, maxDb };
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
