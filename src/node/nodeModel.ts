/**
 * Loads a model version from a registry folder into onnxruntime-node: the same model contract
 * (metadata.json) as the browser worker, with sha256 verification. Node-only.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import * as ort from 'onnxruntime-node';
import { HeimdallError } from '../core/errors';
import { decodeBatch, type Estimate } from '../core/decode';
import {
  modelMetadataSchema,
  registryFileSchema,
  type ModelMetadata,
  type RegistryEntry,
} from '../core/modelMetadata';

export const DEFAULT_REGISTRY = 'public/models/registry.json';

export interface NodeModel {
  metadata: ModelMetadata;
  session: ort.InferenceSession;
  /** Runs n scenes (n * receivers * mels * frames values) and decodes them. */
  predict(input: Float32Array, n: number): Promise<{ raw: Float32Array; estimates: Estimate[] }>;
}

export async function readRegistry(registryPath: string): Promise<RegistryEntry[]> {
  let text: string;
  try {
    text = await readFile(registryPath, 'utf8');
  } catch {
    throw new HeimdallError('ManifestError', 'cannot read the model registry', registryPath);
  }
  const parsed = registryFileSchema.safeParse(JSON.parse(text));
  if (!parsed.success) throw new HeimdallError('ManifestError', parsed.error.message, registryPath);
  return parsed.data.models;
}

/** The version to use: the one asked for, else the registry's production version. */
export async function resolveVersionDir(registryPath: string, version?: string): Promise<string> {
  const models = await readRegistry(registryPath);
  const entry = version
    ? models.find((m) => m.version === version)
    : models.find((m) => m.stage === 'production');
  if (!entry) {
    throw new HeimdallError(
      'ConfigError',
      version
        ? `model version ${version} is not in the registry (has ${models.map((m) => m.version).join(', ')})`
        : 'the registry has no production version',
      registryPath,
    );
  }
  return resolve(dirname(registryPath), entry.path);
}

export async function loadNodeModel(versionDir: string, threads = 1): Promise<NodeModel> {
  const metaPath = join(versionDir, 'metadata.json');
  const parsed = modelMetadataSchema.safeParse(JSON.parse(await readFile(metaPath, 'utf8')));
  if (!parsed.success) throw new HeimdallError('ManifestError', parsed.error.message, metaPath);
  const metadata = parsed.data;
  const modelPath = join(versionDir, metadata.file);
  const bytes = await readFile(modelPath);
  const sha = createHash('sha256').update(bytes).digest('hex');
  if (sha !== metadata.sha256) {
    throw new HeimdallError(
      'ModelIntegrityError',
      `sha256 ${sha} differs from the metadata's ${metadata.sha256}`,
      modelPath,
    );
  }
  const session = await ort.InferenceSession.create(bytes, {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    executionProviders: ['cpu'],
  });
  const [, receivers, mels, frames] = metadata.input.shape as number[];
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
