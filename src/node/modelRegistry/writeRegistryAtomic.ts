import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { HeimdallError } from '../../core/errors';
import { registryFileSchema, type RegistryFile } from '../../core/modelMetadata';
import { checkRegistryInvariants } from './loadRegistry';

/**
 * Replaces registry.json so that a reader (the server polling its mtime) sees either the old file
 * or the new one, never a half-written one: write a temporary file in the same folder (rename is
 * only atomic within one file system), fsync it, rename it over the target, fsync the folder so
 * the rename itself survives a crash.
 */
export async function writeRegistryAtomic(
  registryPath: string,
  registry: RegistryFile,
): Promise<void> {
  const parsed = registryFileSchema.safeParse(registry);
  if (!parsed.success) {
    throw new HeimdallError(
      'ManifestError',
      `refusing to write an invalid registry: ${parsed.error.message}`,
      registryPath,
    );
  }
  checkRegistryInvariants(parsed.data, registryPath);
  const dir = dirname(registryPath);
  const tempPath = join(
    dir,
    `.${basename(registryPath)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`,
  );
  try {
    const handle = await open(tempPath, 'wx');
    try {
      await handle.writeFile(`${JSON.stringify(parsed.data, null, 2)}\n`, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tempPath, registryPath);
  } catch (err) {
    await rm(tempPath, { force: true });
    throw err;
  }
  await syncDirectory(dir);
}

async function syncDirectory(dir: string): Promise<void> {
  // Some platforms (Windows, a few network file systems) refuse fsync on a directory; the rename
  // has happened either way, only its durability across a power cut is weaker there.
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // best effort, see above
  }
}
