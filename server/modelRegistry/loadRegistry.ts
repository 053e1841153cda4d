import { dirname, isAbsolute, join, resolve } from 'node:path';
import { HeimdallError } from '../../src/core/errors';
import {
  modelMetadataSchema,
  registryFileSchema,
  type ModelMetadata,
  type RegistryEntry,
  type RegistryFile,
} from '../../src/core/modelMetadata';
import { readJsonFile } from './readJson';
import { verifyModelFile } from './verifyModelFile';

/** One registry entry after its folder, metadata and model bytes were checked. */
export interface LoadedVersion {
  entry: RegistryEntry;
  metadata: ModelMetadata;
  /** Absolute folder of the version. */
  dir: string;
  /** Absolute path of the .onnx file named by metadata.file. */
  modelPath: string;
}

export interface LoadedRegistry {
  /** Absolute path of registry.json. */
  registryPath: string;
  file: RegistryFile;
  versions: LoadedVersion[];
}

/**
 * The model file is served as /models/<version>/<file>, so its name must be one plain path segment:
 * no separators (path traversal) and no leading dot (hidden files).
 */
const MODEL_FILE_NAME = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;

export function readRegistryFile(registryPath: string): Promise<RegistryFile> {
  return readJsonFile(registryPath, registryFileSchema);
}

/** Checks what the schema cannot: unique versions and at most one production version. */
export function checkRegistryInvariants(file: RegistryFile, registryPath: string): void {
  const seen = new Set<string>();
  for (const entry of file.models) {
    if (seen.has(entry.version)) {
      throw new HeimdallError(
        'ManifestError',
        `version ${entry.version} is listed twice`,
        registryPath,
      );
    }
    seen.add(entry.version);
    if (isAbsolute(entry.path)) {
      throw new HeimdallError(
        'ManifestError',
        `path of ${entry.version} must be relative to the registry`,
        registryPath,
      );
    }
  }
  const production = file.models.filter((m) => m.stage === 'production').map((m) => m.version);
  if (production.length > 1) {
    throw new HeimdallError(
      'ManifestError',
      `more than one production version: ${production.join(', ')}`,
      registryPath,
    );
  }
}

/** Reads a version folder's metadata.json and verifies the model it names. */
export async function loadVersionFolder(
  dir: string,
  expectedVersion?: string,
): Promise<Omit<LoadedVersion, 'entry'>> {
  const metadataPath = join(dir, 'metadata.json');
  const metadata = await readJsonFile(metadataPath, modelMetadataSchema);
  if (expectedVersion !== undefined && metadata.version !== expectedVersion) {
    throw new HeimdallError(
      'ManifestError',
      `version is ${metadata.version} but the registry lists this folder as ${expectedVersion}`,
      metadataPath,
    );
  }
  if (!MODEL_FILE_NAME.test(metadata.file)) {
    throw new HeimdallError(
      'ManifestError',
      `file "${metadata.file}" must be a plain file name`,
      metadataPath,
    );
  }
  const modelPath = join(dir, metadata.file);
  await verifyModelFile(modelPath, metadata);
  return { metadata, dir, modelPath };
}

/**
 * Loads registry.json and checks every version it lists: metadata.json valid, model present, size
 * and sha256 as promised. Any problem rejects the whole registry, so a server never half-applies an
 * operator's edit.
 */
export async function loadRegistry(registryPath: string): Promise<LoadedRegistry> {
  const absolutePath = resolve(registryPath);
  const file = await readRegistryFile(absolutePath);
  checkRegistryInvariants(file, absolutePath);
  const registryDir = dirname(absolutePath);
  const versions = await Promise.all(
    file.models.map(async (entry) => ({
      entry,
      ...(await loadVersionFolder(resolve(registryDir, entry.path), entry.version)),
    })),
  );
  return { registryPath: absolutePath, file, versions };
}
