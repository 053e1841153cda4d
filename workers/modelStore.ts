/**
 * Verified model bytes in IndexedDB, keyed by their sha256, so a second visit loads the model
 * without fetching it (and works offline). The bytes are verified again when read back: a
 * corrupted database must not put a wrong model in service.
 */
import { del, get, keys, set } from 'idb-keyval';
import type { AnyModelMetadata } from '../src/core/networkModelMetadata';
import { sha256Hex } from './hashing';
import type { EngineStores } from './storage';

export interface StoredModel {
  sha256: string;
  version: string;
  bytes: Uint8Array;
  /** Checked again against today's contract when read back (obtainModel.ts). */
  metadata: AnyModelMetadata;
  storedAtMs: number;
}

/** The stored model with this sha256, or undefined when absent or when its bytes no longer match. */
export async function loadStoredModel(
  stores: EngineStores,
  sha256: string,
): Promise<StoredModel | undefined> {
  const stored = await get<StoredModel>(sha256, stores.models);
  if (!stored) return undefined;
  if ((await sha256Hex(stored.bytes)) !== sha256) {
    await del(sha256, stores.models);
    return undefined;
  }
  return stored;
}

export async function storeModel(stores: EngineStores, model: StoredModel): Promise<void> {
  await set(model.sha256, model, stores.models);
}

/** Deletes stored models the manifest no longer lists, so old versions do not pile up. */
export async function pruneModels(
  stores: EngineStores,
  keepSha256: ReadonlySet<string>,
): Promise<number> {
  const stale = (await keys<string>(stores.models)).filter((k) => !keepSha256.has(k));
  await Promise.all(stale.map((k) => del(k, stores.models)));
  return stale.length;
}
