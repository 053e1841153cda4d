import type { Constellation, Receiver } from './modelMetadata';
import { HeimdallError } from './errors';
import { geodesicInverse } from './geodesy';

/** What grouping needs to know of a recording (a subset of the readers' RecordingInfo). */
export interface GroupableInfo {
  name: string;
  captureTime?: string;
  geolocation?: { lat: number; lon: number };
  receiverHint?: string;
}

export interface SceneGroup<T> {
  /** Capture time of the scene's earliest recording, ISO 8601; the scene's id. */
  id: string;
  captureTimeMs: number;
  /** One entry per receiver of the constellation, in model order; null where missing. */
  byReceiver: (T | null)[];
  missing: Receiver[];
}

export interface GroupingResult<T> {
  scenes: SceneGroup<T>[];
  /** Recordings that could not be placed in any scene. */
  errors: { file: string; error: HeimdallError }[];
}

/** A recording whose position lies this close to a receiver is taken to be from it. */
export const RECEIVER_MATCH_RADIUS_M = 10_000;
/** Recordings captured within this much of each other belong to one scene. */
export const DEFAULT_TIME_TOLERANCE_MS = 2_000;

const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '');

/**
 * Which receiver a recording comes from: its metadata's receiver id or station name first, then
 * its recorded position (within RECEIVER_MATCH_RADIUS_M), then a receiver id or name in the file
 * name. An operator override, when given, wins.
 */
export function matchReceiver(
  info: GroupableInfo,
  constellation: Constellation,
  override?: string,
): Receiver | null {
  const rx = constellation.receivers;
  if (override) return rx.find((r) => r.id === override) ?? null;
  if (info.receiverHint) {
    const hint = slug(info.receiverHint);
    const hit = rx.find((r) => slug(r.id) === hint || slug(r.name) === hint);
    if (hit) return hit;
  }
  if (info.geolocation) {
    let best: Receiver | null = null;
    let bestM = RECEIVER_MATCH_RADIUS_M;
    for (const r of rx) {
      const d = geodesicInverse(info.geolocation, r).distanceM;
      if (d <= bestM) [best, bestM] = [r, d];
    }
    if (best) return best;
  }
  const file = slug(info.name);
  return rx.find((r) => file.includes(slug(r.id)) || file.includes(slug(r.name))) ?? null;
}

/**
 * Groups recordings into scenes by capture time and assigns each to a receiver. Every recording
 * either lands in a scene or gets an error naming it; incomplete scenes are kept (with `missing`)
 * so callers can show what is missing before anything runs.
 */
export function groupIntoScenes<T extends { info: GroupableInfo }>(
  recordings: readonly T[],
  constellation: Constellation,
  opts: { toleranceMs?: number; overrides?: ReadonlyMap<string, string> } = {},
): GroupingResult<T> {
  const tolerance = opts.toleranceMs ?? DEFAULT_TIME_TOLERANCE_MS;
  const errors: GroupingResult<T>['errors'] = [];
  const placed: { rec: T; rx: number; t: number }[] = [];
  for (const rec of recordings) {
    const name = rec.info.name;
    const t = rec.info.captureTime ? Date.parse(rec.info.captureTime) : NaN;
    if (!Number.isFinite(t)) {
      errors.push({
        file: name,
        error: new HeimdallError(
          'MissingParameterError',
          'has no capture time, so it cannot be grouped into a scene',
          name,
        ),
      });
      continue;
    }
    const receiver = matchReceiver(rec.info, constellation, opts.overrides?.get(name));
    if (!receiver) {
      errors.push({
        file: name,
        error: new HeimdallError(
          'ReceiverUnknownError',
          `matches none of the model's receivers (${constellation.receivers.map((r) => r.id).join(', ')}) by metadata, position or file name`,
          name,
        ),
      });
      continue;
    }
    placed.push({ rec, rx: constellation.receivers.indexOf(receiver), t });
  }
  placed.sort((a, b) => a.t - b.t);
  const scenes: SceneGroup<T>[] = [];
  for (const p of placed) {
    let scene = scenes[scenes.length - 1];
    if (!scene || p.t - scene.captureTimeMs > tolerance) {
      scene = {
        id: new Date(p.t).toISOString(),
        captureTimeMs: p.t,
        byReceiver: constellation.receivers.map(() => null),
        missing: [],
      };
      scenes.push(scene);
    }
    if (scene.byReceiver[p.rx]) {
      const name = p.rec.info.name;
      errors.push({
        file: name,
        error: new HeimdallError(
          'SceneIncompleteError',
          `is a second recording of receiver ${constellation.receivers[p.rx].id} in scene ${scene.id}`,
          name,
        ),
      });
      continue;
    }
    scene.byReceiver[p.rx] = p.rec;
  }
  for (const s of scenes) s.missing = constellation.receivers.filter((_, i) => !s.byReceiver[i]);
  return { scenes, errors };
}
