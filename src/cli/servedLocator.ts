/**
 * What the command line's two model locators share (sceneLocator.ts for a fixed-network model,
 * networkSceneLocator.ts for an any-network one): their model as the serving rule of
 * src/core/scene/servingModel.ts sees it, and that rule's answer for a scene.
 */
import { servingSpec, whyNotServes, type ServingSpec } from '../core/scene/servingModel';
import type { Scene } from '../core/scene/types';
import type { RecordingRef } from './recordingScan';

export abstract class ServedLocator {
  readonly method = 'model';
  /** What the model serves, as ModelChoice compares it (read from its metadata.json). */
  readonly spec: ServingSpec;

  protected constructor(metadata: Parameters<typeof servingSpec>[0]) {
    this.spec = servingSpec(metadata);
  }

  /** Null when the model serves the scene; otherwise why not. */
  whyNot(scene: Scene<RecordingRef>): string | null {
    return whyNotServes(this.spec, scene);
  }
}
