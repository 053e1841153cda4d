import { HeimdallError } from '../core/errors';
import {
  DEFAULT_TIME_TOLERANCE_MS,
  matchReceiver,
  type GroupableInfo,
  type SceneGroup,
} from '../core/grouping';
import type { Constellation } from '../core/modelMetadata';

interface Pending<T> {
  firstMs: number;
  byReceiver: (T | null)[];
  filled: number;
}

/**
 * Groups recordings into scenes as they arrive, the streaming counterpart of `groupIntoScenes`:
 * a recording joins the pending scene captured within the tolerance of it, and a scene is handed
 * out the moment every receiver has a recording, so a batch prints scene by scene instead of
 * after reading every file. Scenes still lacking a receiver come out of `finish()`.
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
  add(rec: T): { scene?: SceneGroup<T>; error?: HeimdallError } {
    const { name, captureTime } = rec.info;
    const t = captureTime ? Date.parse(captureTime) : NaN;
    if (!Number.isFinite(t)) {
      return {
        error: new HeimdallError(
          'MissingParameterError',
          'has no capture time, so it cannot be grouped into a scene',
          name,
        ),
      };
    }
    const receivers = this.constellation.receivers;
    const receiver = matchReceiver(rec.info, this.constellation);
    if (!receiver) {
      return {
        error: new HeimdallError(
          'ReceiverUnknownError',
          `matches none of the model's receivers (${receivers.map((r) => r.id).join(', ')}) by metadata, position or file name`,
          name,
        ),
      };
    }
    const rx = receivers.indexOf(receiver);
    // The newest pending scenes first: in a batch given in time order the match is the last one.
    let scene = this.pending.findLast((p) => Math.abs(t - p.firstMs) <= this.toleranceMs);
    if (!scene) {
      scene = { firstMs: t, byReceiver: receivers.map(() => null), filled: 0 };
      this.pending.push(scene);
    } else if (scene.byReceiver[rx]) {
      return {
        error: new HeimdallError(
          'SceneIncompleteError',
          `is a second recording of receiver ${receiver.id} in scene ${new Date(scene.firstMs).toISOString()}`,
          name,
        ),
      };
    }
    scene.byReceiver[rx] = rec;
    scene.firstMs = Math.min(scene.firstMs, t);
    scene.filled++;
    if (scene.filled < receivers.length) return {};
    this.pending.splice(this.pending.indexOf(scene), 1);
    return { scene: this.toGroup(scene) };
  }

  /** The scenes that never got every receiver, in capture-time order. */
  finish(): SceneGroup<T>[] {
    const left = this.pending.splice(0).sort((a, b) => a.firstMs - b.firstMs);
    return left.map((p) => this.toGroup(p));
  }

  get pendingScenes(): number {
    return this.pending.length;
  }

  private toGroup(p: Pending<T>): SceneGroup<T> {
    return {
      id: new Date(p.firstMs).toISOString(),
      captureTimeMs: p.firstMs,
      byReceiver: p.byReceiver,
      missing: this.constellation.receivers.filter((_, i) => !p.byReceiver[i]),
    };
  }
}
