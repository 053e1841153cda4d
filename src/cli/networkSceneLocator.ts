import { networkGeometry } from '../core/networkFeatures';
import type { SceneEstimator } from '../core/scene/estimator';
import { servingSpec, whyNotServes, type ServingSpec } from '../core/scene/servingModel';
import { sceneStations, type Scene } from '../core/scene/types';
import { SceneFeaturizer } from '../core/sceneFeatures';
import type { NodeNetworkModel } from '../node/nodeNetworkModel';
import type { RecordingRef } from './recordingScan';
import { namingScene, readWindows, type ModelSceneEstimate } from './sceneLocator';

/**
 * An any-network model (issue 13) as a scene estimator in Node: any scene of 2 to 12 stations
 * with positions, its recordings in the scene's member order with their stations' positions.
 */
export class NetworkSceneLocator implements SceneEstimator<RecordingRef, ModelSceneEstimate> {
  readonly method = 'model';
  private readonly featurizer: SceneFeaturizer;

  constructor(private readonly model: NodeNetworkModel) {
    this.featurizer = new SceneFeaturizer(model.metadata.preprocessing);
  }

  get version(): string {
    return this.model.metadata.version;
  }

  get spec(): ServingSpec {
    return servingSpec(this.model.metadata);
  }

  whyNot(scene: Scene<RecordingRef>): string | null {
    return whyNotServes(this.spec, scene);
  }

  async locate(scene: Scene<RecordingRef>): Promise<ModelSceneEstimate> {
    const refs = scene.members.map((m) => m.recording);
    const files = refs.map((r) => r.info.name);
    const windows = await readWindows(refs, this.model.metadata.preprocessing);
    const est = await namingScene(scene.id, files, async () => {
      const geometry = networkGeometry(sceneStations(scene));
      const logmel = this.featurizer.modelInput(windows);
      return (await this.model.predict([{ logmel, geometry }])).estimates[0];
    });
    return {
      sceneId: scene.id,
      method: 'model',
      lat: est.lat,
      lon: est.lon,
      cov: est.cov,
      ellipses: est.ellipses,
      receiverIds: scene.members.map((m) => m.station.id),
      modelVersion: this.version,
      files,
    };
  }
}
