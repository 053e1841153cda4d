/**
 * Scenes by capture time, for any set of stations: recordings captured within a tolerance of a
 * scene's first recording join it, one recording per station. Every recording either lands in a
 * scene or gets an error naming its file (no capture time, no station, a second recording of a
 * station already in the scene).
 */
import { HeimdallError } from '../errors';
import type { Placement, Scene, SceneGrouping, UnplacedRecording } from './types';

/** Recordings captured within this much of each other belong to one scene. */
export const DEFAULT_TIME_TOLERANCE_MS = 2_000;

/** What grouping needs of a recording: its name (for errors) and capture time. */
export interface TimedInfo {
  name: string;
  captureTime?: string;
}

/** Capture time in ms, or an error naming the file when it has none. */
export function captureTimeOf(info: TimedInfo): number | HeimdallError {
  const t = info.captureTime ? Date.parse(info.captureTime) : NaN;
  if (Number.isFinite(t)) return t;
  return new HeimdallError(
    'MissingParameterError',
    'has no capture time, so it cannot be grouped into a scene',
    info.name,
  );
}

/** A second recording of a station already in a scene: left out, naming both files. */
export function secondRecordingError(
  file: string,
  stationId: string,
  sceneId: string,
  first: { info: { name: string } },
): HeimdallError {
  return new HeimdallError(
    'SceneIncompleteError',
    `is a second recording of receiver ${stationId} in scene ${sceneId} (the first is ${first.info.name}); a scene takes one recording per station, so this one was left out`,
    file,
  );
}

/**
 * Groups recordings into scenes. `place` says where a recording was made (or why that is not
 * known). Scenes of a single station are kept: the caller decides what a scene needs (a model's
 * whole network, or MIN_SCENE_RECEIVERS), so it can show what is missing before anything runs.
 */
export function groupByCaptureTime<T extends { info: TimedInfo }>(
  recordings: readonly T[],
  place: (rec: T) => Placement | HeimdallError,
  opts: { toleranceMs?: number } = {},
): SceneGrouping<T> {
  const tolerance = opts.toleranceMs ?? DEFAULT_TIME_TOLERANCE_MS;
  const errors: SceneGrouping<T>['errors'] = [];
  const placed: { rec: T; placement: Placement; t: number }[] = [];
  for (const rec of recordings) {
    const t = captureTimeOf(rec.info);
    const placement = t instanceof HeimdallError ? t : place(rec);
    if (placement instanceof HeimdallError) {
      errors.push({ file: rec.info.name, error: placement });
      continue;
    }
    placed.push({ rec, placement, t: t as number });
  }
  placed.sort((a, b) => a.t - b.t);
  const scenes: Scene<T>[] = [];
  for (const p of placed) {
    let scene = scenes[scenes.length - 1];
    if (!scene || p.t - scene.captureTimeMs > tolerance) {
      scene = { id: new Date(p.t).toISOString(), captureTimeMs: p.t, members: [] };
      scenes.push(scene);
    }
    const id = p.placement.station.id;
    const first = scene.members.find((m) => m.station.id === id);
    if (first) {
      const name = p.rec.info.name;
      errors.push({ file: name, error: secondRecordingError(name, id, scene.id, first.recording) });
      continue;
    }
    scene.members.push({ recording: p.rec, ...p.placement, captureTimeMs: p.t });
  }
  return { scenes, errors };
}

/**
 * One scene of recordings already known to belong together (TDoA groups them by overlapping
 * spans, src/core/tdoa/groupScenes.ts): each placed, or kept as unplaced with the reason.
 */
export function sceneOf<T extends { info: TimedInfo }>(
  id: string,
  recordings: readonly T[],
  place: (rec: T) => Placement | HeimdallError,
): Scene<T> {
  const scene: Scene<T> = { id, captureTimeMs: Infinity, members: [] };
  const unplaced: UnplacedRecording<T>[] = [];
  for (const recording of recordings) {
    const t = captureTimeOf(recording.info);
    const captureTimeMs = t instanceof HeimdallError ? NaN : t;
    if (captureTimeMs < scene.captureTimeMs) scene.captureTimeMs = captureTimeMs;
    const placement = t instanceof HeimdallError ? t : place(recording);
    if (placement instanceof HeimdallError) {
      // The reason without the file name the error carries (the scene names the file itself).
      const reason = placement.message.replace(`${recording.info.name}: `, '');
      unplaced.push({ recording, reason, captureTimeMs });
    } else {
      scene.members.push({ recording, ...placement, captureTimeMs });
    }
  }
  if (unplaced.length) scene.unplaced = unplaced;
  return scene;
}
