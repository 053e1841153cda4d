/**
 * Loads a model version from a registry folder into onnxruntime-node: the same model contract
 * (metadata.json) as the browser worker, with sha256 verification. Node-only.
 */
import { readFile } from 'node:fs/promises';
import * as ort from 'onnxruntime-node';
import { HeimdallError } from '../core/errors';
import { decodeBatch, type Estimate } from '../core/decode';
import { sceneInputDims, type ModelMetadata } from '../core/modelMetadata';
import { isNetworkModel } from '../core/networkModelMetadata';
import { readVersionMetadata, verifyModelBytes } from './registry';

export interface NodeModel {
  metadata: ModelMetadata;
  session: ort.InferenceSession;
  /** Runs n scenes (n * receivers * mels * frames values) and decodes them. */
  predict(input: Float32Array, n: number): Promise<{ raw: Float32Array; estimates: Estimate[] }>;
}

/** Reads the model file, checks it against metadata.json (size, sha256) and opens a CPU session. */
export async function openVerifiedSession(
  modelPath: string,
  metadata: { sha256: string; sizeBytes: number },
  threads: number,
): Promise<ort.InferenceSession> {
  const bytes = await readFile(modelPath).catch((err: NodeJS.ErrnoException) => {
    throw new HeimdallError('ManifestError', `model file is missing (${err.code})`, modelPath);
  });
  await verifyModelBytes(bytes, modelPath, metadata);
  return ort.InferenceSession.create(bytes, {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    executionProviders: ['cpu'],
  });
}

export async function loadNodeModel(versionDir: string, threads = 1): Promise<NodeModel> {
  const { metadata, modelPath } = await readVersionMetadata(versionDir);
  if (isNetworkModel(metadata)) {
    throw new HeimdallError(
      'ConfigError',
      `version ${metadata.version} serves any network of receivers given their positions, not one constellation`,
      versionDir,
    );
  }
  const session = await openVerifiedSession(modelPath, metadata, threads);
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
