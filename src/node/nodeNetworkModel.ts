/**
 * Loads an any-network model version (networkModelMetadata.ts) into onnxruntime-node, with the
 * same sha256 check as fixed-network models, and runs scenes of any 2 to 12 receivers: scenes of
 * different sizes share a batch, padded and masked. Node-only.
 */
import * as ort from 'onnxruntime-node';
import type { Estimate } from '../core/decode';
import { HeimdallError } from '../core/errors';
import { decodeNetworkBatch } from '../core/networkDecode';
import { packNetworkBatch, type NetworkGeometry } from '../core/networkFeatures';
import { isNetworkModel, type NetworkModelMetadata } from '../core/networkModelMetadata';
import { openVerifiedSession } from './nodeModel';
import { readVersionMetadata } from './registry';

export interface NetworkSceneInput {
  /** Joint-normalised log-mel of the scene's receivers, (receivers, nMels, nFrames). */
  logmel: Float32Array;
  geometry: NetworkGeometry;
}

export interface NodeNetworkModel {
  metadata: NetworkModelMetadata;
  session: ort.InferenceSession;
  predict(
    scenes: readonly NetworkSceneInput[],
  ): Promise<{ raw: Float32Array; estimates: Estimate[] }>;
}

export async function loadNodeNetworkModel(
  versionDir: string,
  threads = 1,
): Promise<NodeNetworkModel> {
  const { metadata, modelPath } = await readVersionMetadata(versionDir);
  if (!isNetworkModel(metadata)) {
    throw new HeimdallError(
      'ConfigError',
      `version ${metadata.version} serves the fixed network ${metadata.constellation.id}, not any network`,
      versionDir,
    );
  }
  const session = await openVerifiedSession(modelPath, metadata, threads);
  const { nMels, nFrames } = metadata.preprocessing;
  const name = (source: string) => metadata.inputs.find((i) => i.source === source)!.name;
  return {
    metadata,
    session,
    async predict(scenes) {
      if (scenes.length === 0) return { raw: new Float32Array(0), estimates: [] };
      const batch = packNetworkBatch(scenes, nMels * nFrames);
      const b = scenes.length;
      const r = batch.receivers;
      const out = await session.run({
        [name('log-mel')]: new ort.Tensor('float32', batch.logmel, [b, r, nMels, nFrames]),
        [name('receiver-east-north-of-centroid-km')]: new ort.Tensor('float32', batch.positionKm, [
          b,
          r,
          2,
        ]),
        [name('receiver-mask')]: new ort.Tensor('float32', batch.mask, [b, r]),
      });
      const tensor = out[metadata.output.name];
      const raw = tensor.data as Float32Array;
      const estimates = decodeNetworkBatch(
        raw,
        tensor.dims,
        metadata.output.layout,
        scenes.map((s) => s.geometry.centroid),
      );
      return { raw, estimates };
    },
  };
}
