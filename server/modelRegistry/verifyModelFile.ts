import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { HeimdallError } from '../../src/core/errors';
import type { ModelMetadata } from '../../src/core/modelMetadata';

/** Streams the file through SHA-256 so a large model never has to sit in memory twice. */
export async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * Checks that the model file exists and that its size and SHA-256 are the ones metadata.json
 * promises. The size is compared first because it is one stat call and catches truncated copies.
 */
export async function verifyModelFile(
  modelPath: string,
  metadata: Pick<ModelMetadata, 'sha256' | 'sizeBytes'>,
): Promise<void> {
  const info = await stat(modelPath).catch((err: NodeJS.ErrnoException) => {
    throw new HeimdallError('ManifestError', `model file is missing (${err.code})`, modelPath);
  });
  if (!info.isFile())
    throw new HeimdallError('ManifestError', 'model path is not a file', modelPath);
  if (info.size !== metadata.sizeBytes) {
    throw new HeimdallError(
      'ModelIntegrityError',
      `size is ${info.size} bytes but metadata.json says ${metadata.sizeBytes}`,
      modelPath,
    );
  }
  const actual = await sha256OfFile(modelPath);
  if (actual !== metadata.sha256) {
    throw new HeimdallError(
      'ModelIntegrityError',
      `sha256 is ${actual} but metadata.json says ${metadata.sha256}`,
      modelPath,
    );
  }
}
