import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { HeimdallError } from '../../core/errors';
import { emptyRegistry, newVersionEntry } from '../../core/modelMetadata';
import { loadRegistry, loadVersionFolder, type LoadedVersion } from './loadRegistry';
import { writeRegistryAtomic } from './writeRegistryAtomic';

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    (err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return false;
      throw err;
    },
  );
}

/**
 * Copies a trained model (a folder with metadata.json and the model file it names) into
 * `<registryDir>/<version>/` and lists it as staging with weight 0, so it takes no traffic until an
 * operator gives it some. The copy goes to a hidden temporary folder first and is renamed into
 * place after its sha256 checks out, so a failed copy never leaves a half-filled version folder.
 * A registry.json that does not exist yet is created.
 */
export async function addVersion(registryPath: string, sourceDir: string): Promise<LoadedVersion> {
  const absoluteRegistry = resolve(registryPath);
  const registryDir = dirname(absoluteRegistry);
  const source = await loadVersionFolder(resolve(sourceDir));
  const version = source.metadata.version;

  const registry = (await exists(absoluteRegistry))
    ? (await loadRegistry(absoluteRegistry)).file
    : emptyRegistry();
  if (registry.models.some((m) => m.version === version)) {
    throw new HeimdallError(
      'ConfigError',
      `version ${version} is already in the registry`,
      absoluteRegistry,
    );
  }
  const targetDir = join(registryDir, version);
  if (await exists(targetDir)) {
    throw new HeimdallError(
      'ConfigError',
      `folder ${targetDir} already exists but is not in the registry; move it away first`,
      absoluteRegistry,
    );
  }

  await mkdir(registryDir, { recursive: true });
  const tempDir = join(registryDir, `.${version}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await mkdir(tempDir);
    await copyFile(join(source.dir, 'metadata.json'), join(tempDir, 'metadata.json'));
    await copyFile(source.modelPath, join(tempDir, source.metadata.file));
    await loadVersionFolder(tempDir, version); // verifies the copied bytes, not just the source
    await rename(tempDir, targetDir);
  } catch (err) {
    await rm(tempDir, { recursive: true, force: true });
    throw err;
  }

  const entry = newVersionEntry(version);
  try {
    await writeRegistryAtomic(absoluteRegistry, {
      ...registry,
      models: [...registry.models, entry],
    });
  } catch (err) {
    // Without its registry line the folder would only block a retry of the same add.
    await rm(targetDir, { recursive: true, force: true });
    throw err;
  }
  return {
    entry,
    metadata: source.metadata,
    dir: targetDir,
    modelPath: join(targetDir, source.metadata.file),
  };
}
