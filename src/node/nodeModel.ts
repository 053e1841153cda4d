/**
 * Loads a model version from a registry folder into onnxruntime-node: the same model contract
 * (metadata.json) as the browser worker, with sha256 verification. Node-only.
 */
import { readFile } from 'node:fs/promises';
import * as ort from 'onnxruntime-node';
import { HeimdallError } from '../core/errors';
import { decodeBatch, type Estimate } from '../core/decode';
import { sceneInputDims, type ModelMetadata } from '../core/modelMetadata';
import { readVersionMetadata, verifyModelBytes } from './registry';

export interface NodeModel {
  metadata: ModelMetadata;
  session: ort.InferenceSession;
  /** Runs n scenes (n * receivers * mels * frames values) and decodes them. */
  predict(input: Float32Array, n: number): Promise<{ raw: Float32Array; estimates: Estimate[] }>;
}

export async function loadNodeModel(versionDir: string, threads = 1): Promise<NodeModel> {
  const { metadata, modelPath } = await readVersionMetadata(versionDir);
  const bytes = await readFile(modelPath).catch((err: NodeJS.ErrnoException) => {
    throw new HeimdallError('ManifestError', `model file is missing (${err.code})`, modelPath);
  });
  await verifyModelBytes(bytes, modelPath, metadata);
  const session = await ort.InferenceSession.create(bytes, {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    executionProviders: ['cpu'],
  });
  const [receivers, mels, frames] = sceneInputDims(metadata);
  return {
    metadata,
    session,
    async predict(input, n) {
      const feeds = {
        [metadata.input.name]: new ort.Tensor('float32', input, [n, receivers, mels, frames]),
      };
      const out = (await session.run(feeds))[metadata.output.name];
      const raw = out.data as Float32Array;
      return { raw, estimates: decodeBatch(raw, out.dims, metadata.output) };
    },
  };
}
