import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { HeimdallError } from '../../core/errors';
import type { ModelMetadata } from '../../core/modelMetadata';

/** Streams the file through SHA-256 so a large model never has to sit in memory twice. */
export async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

type Promised = Pick<ModelMetadata, 'sha256' | 'sizeBytes'>;

/** Compares the model's size, then its SHA-256 (computed only if the size is right), with metadata.json. */
async function checkDigest(
  modelPath: string,
  metadata: Promised,
  sizeBytes: number,
  sha256: () => string | Promise<string>,
): Promise<void> {
  // The size first: it costs nothing and catches truncated copies before any hashing.
  if (sizeBytes !== metadata.sizeBytes) {
    throw new HeimdallError(
      'ModelIntegrityError',
      `size is ${sizeBytes} bytes but metadata.json says ${metadata.sizeBytes}`,
      modelPath,
    );
  }
  const actual = await sha256();
  if (actual !== metadata.sha256) {
    throw new HeimdallError(
      'ModelIntegrityError',
      `sha256 is ${actual} but metadata.json says ${metadata.sha256}`,
      modelPath,
    );
  }
}

/**
 * Checks that the model file exists and that its size and SHA-256 are the ones metadata.json
 * promises, without holding the file in memory.
 */
export async function verifyModelFile(modelPath: string, metadata: Promised): Promise<void> {
  const info = await stat(modelPath).catch((err: NodeJS.ErrnoException) => {
    throw new HeimdallError('ManifestError', `model file is missing (${err.code})`, modelPath);
  });
  if (!info.isFile())
    throw new HeimdallError('ManifestError', 'model path is not a file', modelPath);
  await checkDigest(modelPath, metadata, info.size, () => sha256OfFile(modelPath));
}

/** The same check on model bytes already read (a caller that hands them to a runtime next). */
export async function verifyModelBytes(
  bytes: Uint8Array,
  modelPath: string,
  metadata: Promised,
): Promise<void> {
  await checkDigest(modelPath, metadata, bytes.length, () =>
    createHash('sha256').update(bytes).digest('hex'),
  );
}
