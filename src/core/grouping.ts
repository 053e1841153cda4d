/**
 * Scenes for a model that serves one fixed network: recordings grouped by capture time
 * (scene/groupByTime.ts), placed at the model's receivers (scene/placement.ts) and laid out in
 * the model's receiver order (scene/network.ts). Incomplete scenes are kept, with `missing`, so
 * callers can show what is missing before anything runs.
 */
import type { Constellation } from './modelMetadata';
import { groupByCaptureTime } from './scene/groupByTime';
import { networkView, type NetworkScene } from './scene/network';
import { placeInNetwork, type GroupableInfo } from './scene/placement';
import type { HeimdallError } from './errors';

export { DEFAULT_TIME_TOLERANCE_MS } from './scene/groupByTime';
export { matchReceiver, RECEIVER_MATCH_RADIUS_M, type GroupableInfo } from './scene/placement';

/** A scene in the model's receiver order. */
export type SceneGroup<T> = NetworkScene<T>;

export interface GroupingResult<T> {
  scenes: SceneGroup<T>[];
  /** Recordings that could not be placed in any scene. */
  errors: { file: string; error: HeimdallError }[];
}

/**
 * Groups recordings into scenes by capture time and assigns each to a receiver. Every recording
 * either lands in a scene or gets an error naming it.
 */
export function groupIntoScenes<T extends { info: GroupableInfo }>(
  recordings: readonly T[],
  constellation: Constellation,
  opts: { toleranceMs?: number; overrides?: ReadonlyMap<string, string> } = {},
): GroupingResult<T> {
  const grouped = groupByCaptureTime(
    recordings,
    (rec) => placeInNetwork(rec.info, constellation, opts.overrides?.get(rec.info.name)),
    opts,
  );
  return {
    scenes: grouped.scenes.map((s) => networkView(s, constellation)),
    errors: grouped.errors,
  };
}
