import type { Preprocessing } from './modelMetadata';
import { HeimdallError } from './errors';

/**
 * Joint normalisation of one scene's log-mels (one per receiver, in the model's receiver order).
 *
 * The location is carried by the level differences between receivers, so all receivers are
 * shifted by the same amount: the highest per-receiver mean dB. This is exactly invariant to a
 * gain shared by all receivers and keeps every difference. Never z-score receivers separately.
 * Returns the model input (nReceivers, nMels, nFrames), row-major.
 */
export function normalizeScene(
  logMels: readonly Float32Array[],
  p: Pick<Preprocessing, 'nMels' | 'nFrames' | 'normalization'>,
  out?: Float32Array,
): Float32Array {
  const per = p.nMels * p.nFrames;
  let reference = -Infinity;
  for (const lm of logMels) {
    if (lm.length !== per) {
      throw new HeimdallError('ConfigError', `log-mel has ${lm.length} values, expected ${per}`);
    }
    let sum = 0;
    for (let i = 0; i < per; i++) sum += lm[i];
    reference = Math.max(reference, sum / per);
  }
  const scale = 1 / p.normalization.scaleDb;
  const result = out ?? new Float32Array(per * logMels.length);
  logMels.forEach((lm, r) => {
    for (let i = 0; i < per; i++) result[r * per + i] = (lm[i] - reference) * scale;
  });
  return result;
}
