import { HeimdallError } from '../core/errors';
import { chooseServing } from '../core/scene/servingModel';
import type { Scene } from '../core/scene/types';
import type { NetworkSceneLocator } from './networkSceneLocator';
import type { RecordingRef } from './recordingScan';
import type { ModelSceneEstimate, SceneLocator } from './sceneLocator';

/**
 * Which model locates a scene (issue 13), by the one rule of src/core/scene/servingModel.ts that
 * the browser's worker follows too: the fixed-network model when the scene is exactly its
 * network, otherwise the any-network model; an operator who pins a version gets that one or an
 * error saying why it cannot serve the scene.
 */
export class ModelChoice {
  constructor(
    private readonly fixed: SceneLocator | null,
    private readonly network: NetworkSceneLocator | null,
  ) {
    if (!fixed && !network) throw new HeimdallError('ConfigError', 'no model to locate with');
  }

  pick(scene: Scene<RecordingRef>): SceneLocator | NetworkSceneLocator {
    return chooseServing<SceneLocator | NetworkSceneLocator>(scene, [this.fixed, this.network]);
  }

  locate(scene: Scene<RecordingRef>): Promise<ModelSceneEstimate> {
    return this.pick(scene).locate(scene);
  }
}
