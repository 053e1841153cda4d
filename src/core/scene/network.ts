/**
 * A scene seen from a model that serves one fixed network: its recordings in the model's
 * receiver order (receiver i is input channel i), and the receivers it lacks.
 */
import { HeimdallError } from '../errors';
import type { Constellation, Receiver } from '../modelMetadata';
import type { Scene } from './types';

export interface NetworkScene<T> {
  /** Capture time of the scene's earliest recording, ISO 8601; the scene's id. */
  id: string;
  captureTimeMs: number;
  /** One entry per receiver of the constellation, in model order; null where missing. */
  byReceiver: (T | null)[];
  missing: Receiver[];
}

export function networkView<T>(scene: Scene<T>, constellation: Constellation): NetworkScene<T> {
  const byReceiver = constellation.receivers.map(
    (r) => scene.members.find((m) => m.station.id === r.id)?.recording ?? null,
  );
  return {
    id: scene.id,
    captureTimeMs: scene.captureTimeMs,
    byReceiver,
    missing: constellation.receivers.filter((_, i) => byReceiver[i] === null),
  };
}

/**
 * The scene's recordings in the model's receiver order; a SceneIncompleteError naming the
 * missing receivers when the scene is not exactly the model's network.
 */
export function inNetworkOrder<T>(scene: Scene<T>, constellation: Constellation): T[] {
  const view = networkView(scene, constellation);
  if (view.missing.length > 0) {
    throw new HeimdallError(
      'SceneIncompleteError',
      `scene ${scene.id} lacks receiver(s) ${view.missing.map((m) => m.id).join(', ')}`,
    );
  }
  const extra = scene.members.filter(
    (m) => !constellation.receivers.some((r) => r.id === m.station.id),
  );
  if (extra.length > 0) {
    throw new HeimdallError(
      'SceneIncompleteError',
      `scene ${scene.id} has station(s) ${extra.map((m) => m.station.id).join(', ')} outside the model's network`,
    );
  }
  return view.byReceiver as T[];
}
