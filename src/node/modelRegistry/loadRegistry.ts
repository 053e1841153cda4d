import { dirname, isAbsolute, join, resolve } from 'node:path';
import { HeimdallError } from '../../core/errors';
import {
  modelMetadataSchema,
  registryFileSchema,
  type ModelMetadata,
  type RegistryEntry,
  type RegistryFile,
} from '../../core/modelMetadata';
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

/**
 * Checks what the schema cannot, because it depends on the platform's paths: every version folder
 * lies relative to registry.json (the schema checks unique versions and one production version).
 */
export function checkRegistryInvariants(file: RegistryFile, registryPath: string): void {
  for (const entry of file.models) {
    if (isAbsolute(entry.path)) {
      throw new HeimdallError(
        'ManifestError',
        `path of ${entry.version} must be relative to the registry`,
        registryPath,
      );
    }
  }
}

/** registry.json read, validated and checked; an invalid file is a ManifestError naming it. */
export async function readRegistryFile(registryPath: string): Promise<RegistryFile> {
  const file = await readJsonFile(registryPath, registryFileSchema);
  checkRegistryInvariants(file, registryPath);
  return file;
}

/**
 * The folder of a version: the one asked for, else the registry's production version. Resolved
 * against the registry's folder, as the server resolves it.
 */
export async function resolveVersionDir(
  registryPath: string,
  version?: string,
): Promise<{ entry: RegistryEntry; dir: string }> {
  const absolutePath = resolve(registryPath);
  const { models } = await readRegistryFile(absolutePath);
  const entry = version
    ? models.find((m) => m.version === version)
    : models.find((m) => m.stage === 'production');
  if (!entry) {
    throw new HeimdallError(
      'ConfigError',
      version
        ? `model version ${version} is not in the registry (has ${models.map((m) => m.version).join(', ') || 'none'})`
        : 'the registry has no production version',
      absolutePath,
    );
  }
  return { entry, dir: resolve(dirname(absolutePath), entry.path) };
}

/**
 * Reads a version folder's metadata.json (the whole contract, the input shape included) and
 * locates the model file it names, without reading the model.
 */
export async function readVersionMetadata(
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
  return { metadata, dir, modelPath: join(dir, metadata.file) };
}

/** Reads a version folder's metadata.json and verifies the model it names. */
export async function loadVersionFolder(
  dir: string,
  expectedVersion?: string,
): Promise<Omit<LoadedVersion, 'entry'>> {
  const version = await readVersionMetadata(dir, expectedVersion);
  await verifyModelFile(version.modelPath, version.metadata);
  return version;
}

/**
 * Loads registry.json and checks every version it lists: metadata.json valid, model present, size
 * and sha256 as promised. Any problem rejects the whole registry, so a server never half-applies an
 * operator's edit.
 */
export async function loadRegistry(registryPath: string): Promise<LoadedRegistry> {
  const absolutePath = resolve(registryPath);
  const file = await readRegistryFile(absolutePath);
  const registryDir = dirname(absolutePath);
  const versions = await Promise.all(
    file.models.map(async (entry) => ({
      entry,
      ...(await loadVersionFolder(resolve(registryDir, entry.path), entry.version)),
    })),
  );
  return { registryPath: absolutePath, file, versions };
}
