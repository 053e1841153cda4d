import { HeimdallError, isHeimdallError, type HeimdallErrorName } from '../core/errors';
import type { SceneGroup } from '../core/grouping';
import { SceneFeaturizer } from '../core/sceneFeatures';
import { readModelWindow } from '../core/sceneInput';
import type { NodeModel } from '../node/nodeModel';
import type { RecordingRef } from './recordingScan';

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

const fmt = (x: number, digits: number) => Number(x.toFixed(digits));

/** Locates complete scenes one at a time, opening each recording only while its window is read. */
export class SceneLocator {
  private readonly featurizer: SceneFeaturizer;

  constructor(private readonly model: NodeModel) {
    this.featurizer = new SceneFeaturizer(model.metadata.preprocessing);
  }

  async locate(scene: SceneGroup<RecordingRef>): Promise<SceneLine> {
    const { metadata } = this.model;
    const refs = scene.byReceiver.filter((r) => r !== null);
    const files = refs.map((r) => r.info.name);
    const windows: Float32Array[] = [];
    for (const ref of refs) {
      const opened = await ref.open();
      try {
        windows.push(await readModelWindow(opened.recording, metadata.preprocessing));
      } finally {
        await opened.close();
      }
    }
    let est;
    try {
      est = (await this.model.predict(this.featurizer.modelInput(windows), 1)).estimates[0];
    } catch (err) {
      // The model's own failure says nothing of where its input came from: name the scene.
      const e = err as Error;
      throw new HeimdallError(
        isHeimdallError(e) ? (e.name as HeimdallErrorName) : 'InferenceError',
        `scene ${scene.id} (${files.join(', ')}): ${e.message}`,
      );
    }
    return {
      scene: scene.id,
      lat: fmt(est.lat, 6),
      lon: fmt(est.lon, 6),
      model: metadata.version,
      receivers: metadata.constellation.receivers.map((r) => r.id),
      files,
      ellipses: est.ellipses.map((e) => ({
        p: e.p,
        semiMajorM: fmt(e.semiMajorM, 1),
        semiMinorM: fmt(e.semiMinorM, 1),
        azimuthDeg: fmt(e.azimuthDeg, 2),
      })),
    };
  }
}
