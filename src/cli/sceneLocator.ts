import type { Cov2 } from '../core/ellipse';
import { HeimdallError, isHeimdallError, type HeimdallErrorName } from '../core/errors';
import type { Constellation, Preprocessing } from '../core/modelMetadata';
import type { SceneEstimate, SceneEstimator } from '../core/scene/estimator';
import { inNetworkOrder } from '../core/scene/network';
import type { Scene } from '../core/scene/types';
import { SceneFeaturizer } from '../core/sceneFeatures';
import { readModelWindow } from '../core/sceneInput';
import type { NodeModel } from '../node/nodeModel';
import type { RecordingRef } from './recordingScan';
import { ServedLocator } from './servedLocator';

/** One located scene as printed (one JSON object per line with --json). */
export interface SceneLine {
  scene: string;
  lat: number;
  lon: number;
  model: string;
  receivers: string[];
  files: string[];
  ellipses: { p: number; semiMajorM: number; semiMinorM: number; azimuthDeg: number }[];
}

/** A model's estimate of one scene, with what the CLI prints beside it. */
export interface ModelSceneEstimate extends SceneEstimate {
  method: 'model';
  lat: number;
  lon: number;
  cov: Cov2;
  modelVersion: string;
  /** The scene's files, in the model's receiver order. */
  files: string[];
  /** Recordings left out of the scene, each an error naming its file (reported, not printed). */
  problems?: HeimdallError[];
  /** What the operator should know about the estimate (stderr, not a failure). */
  notes?: string[];
}

const fmt = (x: number, digits: number) => Number(x.toFixed(digits));

/** The model window of each recording, opening each file only while it is read. */
export async function readWindows(
  refs: readonly RecordingRef[],
  preprocessing: Preprocessing,
): Promise<Float32Array[]> {
  const windows: Float32Array[] = [];
  for (const ref of refs) {
    const opened = await ref.open();
    try {
      windows.push(await readModelWindow(opened.recording, preprocessing));
    } finally {
      await opened.close();
    }
  }
  return windows;
}

/** Runs a model; its failure says nothing of where its input came from, so the error names the scene. */
export async function namingScene<R>(
  sceneId: string,
  files: readonly string[],
  run: () => Promise<R>,
): Promise<R> {
  try {
    return await run();
  } catch (err) {
    const e = err as Error;
    throw new HeimdallError(
      isHeimdallError(e) ? (e.name as HeimdallErrorName) : 'InferenceError',
      `scene ${sceneId} (${files.join(', ')}): ${e.message}`,
    );
  }
}

/**
 * The model as a scene estimator in Node: locates complete scenes one at a time, opening each
 * recording only while its window is read.
 */
export class SceneLocator
  extends ServedLocator
  implements SceneEstimator<RecordingRef, ModelSceneEstimate>
{
  private readonly featurizer: SceneFeaturizer;

  constructor(private readonly model: NodeModel) {
    super(model.metadata);
    this.featurizer = new SceneFeaturizer(model.metadata.preprocessing);
  }

  get constellation(): Constellation {
    return this.model.metadata.constellation;
  }

  async locate(scene: Scene<RecordingRef>): Promise<ModelSceneEstimate> {
    const { metadata } = this.model;
    const refs = inNetworkOrder(scene, metadata.constellation);
    const files = refs.map((r) => r.info.name);
    const windows = await readWindows(refs, metadata.preprocessing);
    const est = await namingScene(scene.id, files, async () => {
      return (await this.model.predict(this.featurizer.modelInput(windows), 1)).estimates[0];
    });
    return {
      sceneId: scene.id,
      method: 'model',
      lat: est.lat,
      lon: est.lon,
      cov: est.cov,
      ellipses: est.ellipses,
      receiverIds: metadata.constellation.receivers.map((r) => r.id),
      modelVersion: metadata.version,
      files,
    };
  }
}

/** The line `heimdall locate` prints for a model's estimate. */
export function sceneLine(est: ModelSceneEstimate): SceneLine {
  return {
    scene: est.sceneId,
    lat: fmt(est.lat, 6),
    lon: fmt(est.lon, 6),
    model: est.modelVersion,
    receivers: est.receiverIds,
    files: est.files,
    ellipses: est.ellipses.map((e) => ({
      p: e.p,
      semiMajorM: fmt(e.semiMajorM, 1),
      semiMinorM: fmt(e.semiMinorM, 1),
      azimuthDeg: fmt(e.azimuthDeg, 2),
    })),
  };
}
