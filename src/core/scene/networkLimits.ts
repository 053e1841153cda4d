/**
 * What an any-network model can and cannot tell from a scene (issue 13 item 7), measured with
 * `npx tsx scripts/probe-network-limits.ts --scenes 100` (2.0.0, 5 receivers, nominal physics):
 *
 * - Receivers farther apart than the networks it was trained on (30-600 km): its 95 % ellipse
 *   grows with the network (semi-major 1,460 km at a 2,000 km spread, 4,438 km at 5,000 km) and
 *   holds the truth as often or more (94 %, 99 %, against 87 % at 600 km). So such a scene is
 *   located, with a note that its spread is outside training; the wide ellipse is the answer.
 * - A recording that is all zeros carries no measurement (a dead receiver or link, not one far
 *   from the transmitter: that one records its noise). Given to the model, it kept the error
 *   (91 km against 85 km) but its 95 % ellipse held the truth in 71 % of scenes; left out, 88 %.
 *   So it is left out, with an error naming the file, and the others locate the scene.
 * - A receiver that hears only noise is evidence (the transmitter is far from it) and stays in.
 *   When no receiver hears a signal the estimate rests on the noise alone: located, with a note
 *   (its ellipse, 322 km at a 300 km spread, held the truth in 98 % of scenes).
 */
import { z } from 'zod';
import { HeimdallError } from '../errors';
import { geodesicInverse, type LatLon } from '../geodesy';
import { NETWORK_RANGES } from '../sim/network';

/** The receivers' spread: the largest distance between two of them, km. */
export function networkSpanKm(receivers: readonly LatLon[]): number {
  let maxM = 0;
  for (let i = 0; i < receivers.length; i++) {
    for (let j = i + 1; j < receivers.length; j++) {
      maxM = Math.max(maxM, geodesicInverse(receivers[i], receivers[j]).distanceM);
    }
  }
  return maxM / 1000;
}

const trainingNetworkSchema = z.object({
  network: z.object({ spreadKm: z.object({ lo: z.number(), hi: z.number() }) }),
});

/**
 * The spread of the networks a model was trained on, from its metadata's `training.network`
 * (what training/train_network.py records), else the simulator's ranges it was trained with.
 */
export function trainedSpreadKm(training: Record<string, unknown>): { lo: number; hi: number } {
  const parsed = trainingNetworkSchema.safeParse(training);
  return parsed.success ? parsed.data.network.spreadKm : NETWORK_RANGES.spreadKm;
}

/** A note when the receivers' spread lies outside the trained range; null inside it. */
export function spreadNote(
  sceneId: string,
  spanKm: number,
  trained: { lo: number; hi: number },
  version: string,
  semiMajor95M: number,
): string | null {
  if (spanKm >= trained.lo && spanKm <= trained.hi) return null;
  const side = spanKm > trained.hi ? 'wider' : 'narrower';
  return (
    `scene ${sceneId}: its receivers span ${spanKm.toFixed(0)} km, ${side} than the ` +
    `${trained.lo}-${trained.hi} km networks model ${version} was trained on; located, and its ` +
    `95% ellipse (semi-major ${(semiMajor95M / 1000).toFixed(0)} km) says how little is known`
  );
}

/** Whether every sample of a window is exactly zero (a receiver that recorded nothing). */
export function isAllZero(window: Float32Array): boolean {
  for (let i = 0; i < window.length; i++) if (window[i] !== 0) return false;
  return true;
}

/** The error for a recording whose model window is all zeros (it is left out of its scene). */
export function allZeroError(file: string, sceneId: string, seconds: number): HeimdallError {
  return new HeimdallError(
    'CorruptFileError',
    `its first ${seconds.toFixed(3)} s (the model window) are all zeros: the receiver recorded nothing, not even noise; left out of scene ${sceneId}`,
    file,
  );
}

/** The note for a scene in which no receiver hears a signal above its noise. */
export function noSignalNote(sceneId: string, peakDb: readonly number[], squelchDb: number) {
  const best = Math.max(...peakDb);
  return (
    `scene ${sceneId}: no receiver hears a signal (the strongest peak is ${best.toFixed(1)} dB ` +
    `over its noise, the squelch ${squelchDb} dB); the estimate rests on noise alone`
  );
}
