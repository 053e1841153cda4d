/**
 * The bytes and metadata of one manifest entry: from IndexedDB when an earlier visit stored them
 * (no request at all), else downloaded with progress, verified against the manifest's sha256 and
 * stored. A mismatch is a ModelIntegrityError and nothing is stored or put in service.
 */
import type { ZodType } from 'zod';
import { HeimdallError } from '../src/core/errors';
import { modelMetadataSchema, type ModelMetadata } from '../src/core/modelMetadata';
import type { AnyModelMetadata } from '../src/core/networkModelMetadata';
import { serverUrl } from './config';
import { downloadBytes, fetchJson } from './download';
import type { Engine } from './engine';
import { sha256Hex } from './hashing';
import { loadStoredModel, storeModel } from './modelStore';
import type { PrepareProgress } from './types';

/** What a manifest line (fixed-network or any-network) says about a version's files. */
export interface ObtainableEntry {
  version: string;
  sha256: string;
  sizeBytes: number;
  url: string;
  metadataUrl: string;
}

export interface ObtainedModel<M = ModelMetadata> {
  bytes: Uint8Array;
  metadata: M;
  source: 'network' | 'indexeddb';
  fetchMs: number;
  verifyMs: number;
}

function checkMetadata<M extends AnyModelMetadata>(
  schema: ZodType<M>,
  metadata: unknown,
  entry: ObtainableEntry,
  where: string,
): M {
  const parsed = schema.safeParse(metadata);
  if (!parsed.success) throw new HeimdallError('ManifestError', parsed.error.message, where);
  const m = parsed.data;
  if (m.version !== entry.version || m.sha256 !== entry.sha256 || m.sizeBytes !== entry.sizeBytes) {
    throw new HeimdallError(
      'ManifestError',
      `metadata (version ${m.version}, sha256 ${m.sha256.slice(0, 12)}..., ${m.sizeBytes} bytes) disagrees with the manifest (${entry.version}, ${entry.sha256.slice(0, 12)}..., ${entry.sizeBytes} bytes)`,
      where,
    );
  }
  return m;
}

/** `schema` checks the metadata: a fixed-network model's by default, or an any-network one's. */
export async function obtainModel<M extends AnyModelMetadata = ModelMetadata>(
  engine: Engine,
  entry: ObtainableEntry,
  progress: (p: PrepareProgress, force?: boolean) => void,
  schema: ZodType<M> = modelMetadataSchema as unknown as ZodType<M>,
): Promise<ObtainedModel<M>> {
  const { version } = entry;
  const t0 = performance.now();
  const stored = await loadStoredModel(engine.stores, entry.sha256);
  if (stored) {
    progress(
      { version, phase: 'verify', loadedBytes: stored.bytes.length, totalBytes: entry.sizeBytes },
      true,
    );
    return {
      bytes: stored.bytes,
      // Stored by an earlier visit, perhaps of an older app: checked against today's contract.
      metadata: checkMetadata(schema, stored.metadata, entry, `stored model ${version}`),
      source: 'indexeddb',
      fetchMs: 0,
      verifyMs: performance.now() - t0,
    };
  }
  const metadataUrl = serverUrl(engine.config, entry.metadataUrl);
  const metadata = checkMetadata(
    schema,
    await fetchJson(engine.deps.fetch, metadataUrl),
    entry,
    metadataUrl,
  );
  const url = serverUrl(engine.config, entry.url);
  progress({ version, phase: 'download', loadedBytes: 0, totalBytes: entry.sizeBytes }, true);
  const bytes = await downloadBytes(
    engine.deps.fetch,
    url,
    entry.sizeBytes,
    (loadedBytes, totalBytes) => progress({ version, phase: 'download', loadedBytes, totalBytes }),
  );
  const t1 = performance.now();
  progress(
    { version, phase: 'verify', loadedBytes: bytes.length, totalBytes: entry.sizeBytes },
    true,
  );
  const sha = await sha256Hex(bytes);
  if (sha !== entry.sha256) {
    throw new HeimdallError(
      'ModelIntegrityError',
      `sha256 of the downloaded model ${version} is ${sha}, the manifest says ${entry.sha256}; it was not loaded`,
      url,
    );
  }
  const t2 = performance.now();
  progress({ version, phase: 'store' }, true);
  await storeModel(engine.stores, {
    sha256: sha,
    version,
    bytes,
    metadata,
    storedAtMs: engine.deps.now(),
  });
  return { bytes, metadata, source: 'network', fetchMs: t1 - t0, verifyMs: t2 - t1 };
}
