/**
 * Scenes as the operator sees them: the worker's grouping (workers/groupScenes.ts, one
 * implementation for the app, the CLI's tests and e2e) turned into the UI's views.
 */
import { HeimdallError, isErrorName } from '../core/errors';
import type { GroupScenesResult } from '../../workers/types';
import type { Station } from '../core/scene/types';
import type { FileError, Prediction, RecordingEntry, SceneGrouping, SceneView } from './types';

/** The UI's view of a grouping: each scene with its truth (simulated recordings carry one). */
export function sceneViews(
  result: GroupScenesResult,
  recordings: readonly RecordingEntry[],
): SceneGrouping {
  const byId = new Map(recordings.map((r) => [r.id, r]));
  const scenes = result.scenes.map((s): SceneView => {
    const truth = s.recordingIds
      .map((id) => (id ? byId.get(id)?.info.truth : undefined))
      .find((t) => t !== undefined);
    return {
      id: s.sceneId,
      captureTimeMs: s.captureTimeMs,
      recordingIds: s.recordingIds,
      receivers: s.stations,
      missingReceiverIds: s.missing,
      model: s.model,
      ...(s.problem ? { problem: s.problem } : {}),
      truth: truth ? { lat: truth.lat, lon: truth.lon } : undefined,
    };
  });
  const errors = result.errors.map((e) => ({ file: e.file ?? 'unknown file', error: e }));
  return { scenes, errors, placements: result.placements };
}

/** Whether a model serves the scene (a fixed-network scene lacking a receiver may go to 2.x). */
export function locatable(scene: SceneView): boolean {
  return scene.model !== null && !scene.problem;
}

/** The scenes the Locate button locates: complete, and without a result made from what they hold. */
export function dueScenes(
  scenes: readonly SceneView[],
  predictions: Readonly<Record<string, Prediction | undefined>>,
): SceneView[] {
  return scenes.filter((sc) => locatable(sc) && !resultIsCurrent(sc, predictions[sc.id]));
}

/** The ids of the scenes that have this recording among theirs. */
export function scenesNaming(scenes: readonly SceneView[], recordingId: string): string[] {
  return scenes.filter((sc) => sc.recordingIds.includes(recordingId)).map((sc) => sc.id);
}

/**
 * Whether a scene's result was made from the recordings it has now: a scene the operator
 * completed (a receiver reassigned) after it was located is to be located again.
 */
export function resultIsCurrent(scene: SceneView, prediction: Prediction | undefined): boolean {
  if (!prediction) return false;
  const present = scene.receivers.filter((_, i) => scene.recordingIds[i] !== null).map((r) => r.id);
  const used = new Set(prediction.receiverIds);
  return present.length === used.size && present.every((id) => used.has(id));
}

/**
 * Every station of the scenes, each once: the columns of the scenes table. The fixed network's
 * receivers (`fixed`) that any scene has lead, in model order, so its demo looks as it always
 * has; other stations follow in the order the scenes were heard.
 */
export function stationsOf(scenes: readonly SceneView[], fixed: readonly Station[]): Station[] {
  const present = new Map<string, Station>();
  for (const s of scenes) for (const r of s.receivers) if (!present.has(r.id)) present.set(r.id, r);
  const lead = fixed.filter((r) => present.has(r.id));
  return [...lead, ...[...present.values()].filter((r) => !lead.some((l) => l.id === r.id))];
}

/**
 * The receivers on the map: every station of the scenes, led by the fixed network's whole network
 * when a scene uses any of its receivers or there is no scene yet. Far-away receivers that no
 * scene uses would only pull the map's fit away from the operator's own stations.
 */
export function mapStations(scenes: readonly SceneView[], fixed: readonly Station[]): Station[] {
  const fixedIds = new Set(fixed.map((f) => f.id));
  const usesFixed =
    scenes.length === 0 || scenes.some((s) => s.receivers.some((r) => fixedIds.has(r.id)));
  const others = stationsOf(scenes, []).filter((r) => !fixedIds.has(r.id));
  return [...(usesFixed ? fixed : []), ...others];
}

/** The recordings the model's network places (its receivers or the operator's choice). */
export function modelPlaced(grouping: SceneGrouping): Set<string> {
  return new Set(
    Object.entries(grouping.placements)
      .filter(([, p]) => p?.source === 'model-receiver' || p?.source === 'operator')
      .map(([id]) => id),
  );
}

/** An unknown thrown value as the UI shows it; names outside the union read as 'Error'. */
export function toUiError(err: unknown): FileError['error'] {
  if (err instanceof Error) {
    const file = err instanceof HeimdallError ? err.file : undefined;
    return { name: isErrorName(err.name) ? err.name : 'Error', message: err.message, file };
  }
  return { name: 'Error', message: String(err) };
}
