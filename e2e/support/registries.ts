/**
 * Model registries for the worker and e2e tests: which one to serve, and throwaway copies that a
 * test may doctor (corrupt a model after the server verified it, promote a version).
 */
import { existsSync } from 'node:fs';
import { cp, mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { REGISTRY_SCHEMA, type RegistryEntry } from '../../src/core/modelMetadata';
import {
  DEFAULT_REGISTRY_PATH,
  resolveVersionDir,
  writeRegistryAtomic,
} from '../../src/node/registry';

export { readRegistryFile } from '../../src/node/registry';

const root = resolve(dirname(new URL(import.meta.url).pathname), '../..');

/** The tiny seeded test models (training/reference/make_test_model.py). */
export const TEST_REGISTRY = join(root, 'tests/fixtures/models/registry.json');
export const SHIPPED_REGISTRY = join(root, DEFAULT_REGISTRY_PATH);

/** HEIMDALL_E2E_REGISTRY, else the shipped models once they exist, else the test models. */
export function e2eRegistryPath(): string {
  const fromEnv = process.env.HEIMDALL_E2E_REGISTRY;
  if (fromEnv) return resolve(fromEnv);
  return existsSync(SHIPPED_REGISTRY) ? SHIPPED_REGISTRY : TEST_REGISTRY;
}

/** The folder of a version, resolved as the server resolves it. */
export async function versionDir(registryPath: string, version: string): Promise<string> {
  return (await resolveVersionDir(registryPath, version)).dir;
}

export interface RegistryCopy {
  registryPath: string;
  dir: string;
  /** Replaces the registry's model list (the server reloads it on its next request). */
  writeModels(models: RegistryEntry[]): Promise<void>;
  /** Flips one byte of a version's model file: same size, different sha256. */
  corruptModel(version: string): Promise<void>;
  cleanup(): Promise<void>;
}

/** Copies a registry folder (registry.json and every version folder beside it) to a temp folder. */
export async function copyRegistry(
  sourceRegistryPath: string,
  models?: RegistryEntry[],
): Promise<RegistryCopy> {
  const dir = await mkdtemp(join(tmpdir(), 'heimdall-worker-registry-'));
  await cp(dirname(sourceRegistryPath), dir, { recursive: true });
  const registryPath = join(dir, 'registry.json');
  const writeModels = (m: RegistryEntry[]) =>
    writeRegistryAtomic(registryPath, { schema: REGISTRY_SCHEMA, models: m });
  if (models) await writeModels(models);
  else await cp(sourceRegistryPath, registryPath);
  return {
    registryPath,
    dir,
    writeModels,
    async corruptModel(version) {
      const path = join(await versionDir(registryPath, version), 'model.onnx');
      const handle = await open(path, 'r+');
      try {
        const position = 64;
        const byte = Buffer.alloc(1);
        await handle.read(byte, 0, 1, position);
        byte[0] ^= 0xff;
        await handle.write(byte, 0, 1, position);
      } finally {
        await handle.close();
      }
    },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}
