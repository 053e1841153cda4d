/**
 * Cached predictions in IndexedDB. The key (hashing.ts predictionKey) covers the exact model
 * input, the model version and the feature definition, and each entry also records its version,
 * which get() checks: a result is never returned for another version. Entries expire after the
 * TTL; beyond the size cap the least recently used go first.
 *
 * The recency order is kept in memory (a Map iterates in insertion order; a hit re-inserts), read
 * from IndexedDB once on first use. Another tab of the app writes its own entries to the same
 * database without updating this index; they are found after the next worker start.
 */
import { delMany, entries, set } from 'idb-keyval';
import type { Estimate } from '../src/core/decode';
import type { EngineStores } from './storage';

export interface CachedPrediction {
  version: string;
  estimate: Estimate;
  storedAtMs: number;
  lastUsedMs: number;
}

export interface CacheSettings {
  ttlMs: () => number;
  maxEntries: () => number;
  now: () => number;
}

export class PredictionCache {
  private index: Map<string, CachedPrediction> | null = null;
  private loading: Promise<Map<string, CachedPrediction>> | null = null;
  evictions = 0;
  expired = 0;

  constructor(
    private readonly stores: EngineStores,
    private readonly settings: CacheSettings,
  ) {}

  get size(): number {
    return this.index?.size ?? 0;
  }

  private load(): Promise<Map<string, CachedPrediction>> {
    this.loading ??= entries<string, CachedPrediction>(this.stores.predictions).then((all) => {
      all.sort(([, a], [, b]) => a.lastUsedMs - b.lastUsedMs);
      this.index = new Map(all);
      return this.index;
    });
    return this.loading;
  }

  async get(key: string, version: string): Promise<Estimate | undefined> {
    const index = await this.load();
    const entry = index.get(key);
    if (!entry) return undefined;
    const now = this.settings.now();
    if (now - entry.storedAtMs > this.settings.ttlMs()) {
      index.delete(key);
      this.expired++;
      await delMany([key], this.stores.predictions);
      return undefined;
    }
    if (entry.version !== version) return undefined;
    index.delete(key);
    const touched = { ...entry, lastUsedMs: now };
    index.set(key, touched);
    await set(key, touched, this.stores.predictions);
    return entry.estimate;
  }

  async put(key: string, version: string, estimate: Estimate): Promise<void> {
    const index = await this.load();
    const now = this.settings.now();
    const entry: CachedPrediction = { version, estimate, storedAtMs: now, lastUsedMs: now };
    index.delete(key);
    index.set(key, entry);
    await set(key, entry, this.stores.predictions);
    const excess = index.size - this.settings.maxEntries();
    if (excess > 0) {
      const victims = [...index.keys()].slice(0, excess);
      victims.forEach((k) => index.delete(k));
      this.evictions += victims.length;
      await delMany(victims, this.stores.predictions);
    }
  }

  /** Empties the cache (memory and IndexedDB); returns how many entries went. */
  async clear(): Promise<number> {
    const index = await this.load();
    const all = [...index.keys()];
    index.clear();
    await delMany(all, this.stores.predictions);
    return all.length;
  }

  /** Entry count once loaded (metrics must not trigger a full read). */
  async count(): Promise<number> {
    return (await this.load()).size;
  }
}
