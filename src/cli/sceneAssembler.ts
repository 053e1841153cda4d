import { HeimdallError } from '../core/errors';
import type { Constellation } from '../core/modelMetadata';
import {
  captureTimeOf,
  DEFAULT_TIME_TOLERANCE_MS,
  secondRecordingError,
} from '../core/scene/groupByTime';
import { networkView, type NetworkScene } from '../core/scene/network';
import { placeInNetwork, type GroupableInfo } from '../core/scene/placement';
import type { Scene, SceneMember } from '../core/scene/types';

interface Pending<T> {
  firstMs: number;
  members: SceneMember<T>[];
}

/**
 * Groups recordings into scenes as they arrive, the streaming counterpart of
 * `groupByCaptureTime` (src/core/scene): a recording joins the pending scene captured within the
 * tolerance of it, and a scene is handed out the moment every receiver of the model's network
 * has a recording, so a batch prints scene by scene instead of after reading every file. Scenes
 * still lacking a receiver come out of `finish()`.
 *
 * Memory: one small entry per pending scene. Files given scene by scene (a folder of scenes, in
 * name order) keep one or two pending; files given receiver by receiver keep every scene pending
 * until the last receiver's files arrive, which still holds no file open (see RecordingRef).
 */
export class SceneAssembler<T extends { info: GroupableInfo }> {
  private readonly pending: Pending<T>[] = [];

  constructor(
    private readonly constellation: Constellation,
    private readonly toleranceMs = DEFAULT_TIME_TOLERANCE_MS,
  ) {}

  /** Adds one recording: a complete scene when it completes one, or an error naming it. */
  add(rec: T): { scene?: Scene<T>; error?: HeimdallError } {
    const t = captureTimeOf(rec.info);
    if (t instanceof HeimdallError) return { error: t };
    const placement = placeInNetwork(rec.info, this.constellation);
    if (placement instanceof HeimdallError) return { error: placement };
    const id = placement.station.id;
    // The newest pending scenes first: in a batch given in time order the match is the last one.
    let scene = this.pending.findLast((p) => Math.abs(t - p.firstMs) <= this.toleranceMs);
    if (!scene) {
      scene = { firstMs: t, members: [] };
      this.pending.push(scene);
    } else {
      const first = scene.members.find((m) => m.station.id === id);
      if (first) {
        const sceneId = new Date(scene.firstMs).toISOString();
        return { error: secondRecordingError(rec.info.name, id, sceneId, first.recording) };
      }
    }
    scene.members.push({ recording: rec, ...placement, captureTimeMs: t });
    scene.firstMs = Math.min(scene.firstMs, t);
    if (scene.members.length < this.constellation.receivers.length) return {};
    this.pending.splice(this.pending.indexOf(scene), 1);
    return { scene: toScene(scene) };
  }

  /** The scenes that never got every receiver, in capture-time order, in the model's order. */
  finish(): NetworkScene<T>[] {
    const left = this.pending.splice(0).sort((a, b) => a.firstMs - b.firstMs);
    return left.map((p) => networkView(toScene(p), this.constellation));
  }

  get pendingScenes(): number {
    return this.pending.length;
  }
}

function toScene<T>(p: Pending<T>): Scene<T> {
  return { id: new Date(p.firstMs).toISOString(), captureTimeMs: p.firstMs, members: p.members };
}
