/**
 * Cached predictions, kept in IndexedDB. The key (hashing.ts predictionKey) covers the exact
 * model input, the model version and the feature definition, and each entry also records its
 * version, which get() checks: a result is never returned for another version. Entries expire
 * after the TTL (counted from when they were stored); beyond the size cap the least recently used
 * go first.
 *
 * Lookups are answered from an in-memory index (a Map iterates in insertion order, and a hit
 * re-inserts, so its first keys are the least recently used), read from IndexedDB once on first
 * use. Writes go to IndexedDB behind the requests, coalesced into one transaction per turn of the
 * event loop: measured in Chromium, awaiting one IndexedDB transaction per prediction cost 7 ms of
 * a 12 ms cache miss, and under 100 concurrent requests the queued transactions dominated
 * everything. A write lost to a crash costs one recomputation; it is a cache.
 *
 * Another tab of the app writes its own entries to the same database without updating this
 * index; they are found after the next worker start.
 */
import { clear, delMany, entries, setMany } from 'idb-keyval';
import type { Estimate } from '../src/core/decode';
import { InputKeys, type KnownInput } from './inputKeys';
import type { EngineStores } from './storage';

/** An entry's samples key with its levels, as inputKeys.ts keeps them. */
export interface StoredInput {
  samplesKey: string;
  levelsDb: number[];
}

export interface CachedPrediction {
  version: string;
  estimate: Estimate;
  storedAtMs: number;
  lastUsedMs: number;
  /**
   * The samples that gave this entry's key (inputKeys.ts), kept with it so that a new worker (a
   * repeat visit) finds a scene seen before without its log-mel features: on the demo's cached
   * path those were most of the worker's time per scene. Absent in entries written before.
   */
  input?: StoredInput;
}

export interface CacheSettings {
  ttlMs: () => number;
  maxEntries: () => number;
  now: () => number;
}

export class PredictionCache {
  private index: Map<string, CachedPrediction> | null = null;
  private loading: Promise<Map<string, CachedPrediction>> | null = null;
  /** Key -> entry to write, or null to delete; flushed together. */
  private readonly pending = new Map<string, CachedPrediction | null>();
  private flushing: Promise<void> | null = null;
  /** Which key a scene's samples gave before (inputKeys.ts); bounded like the cache. */
  readonly inputs: InputKeys;
  evictions = 0;
  expired = 0;
  writeErrors = 0;

  constructor(
    private readonly stores: EngineStores,
    private readonly settings: CacheSettings,
  ) {
    this.inputs = new InputKeys(settings.maxEntries);
  }

  private load(): Promise<Map<string, CachedPrediction>> {
    this.loading ??= entries<string, CachedPrediction>(this.stores.predictions).then((all) => {
      all.sort(([, a], [, b]) => a.lastUsedMs - b.lastUsedMs);
      this.index = new Map(all);
      for (const [key, { input }] of all)
        if (input) this.inputs.remember(input.samplesKey, { key, levelsDb: input.levelsDb });
      return this.index;
    });
    return this.loading;
  }

  private write(key: string, entry: CachedPrediction | null): void {
    this.pending.set(key, entry);
    this.scheduleFlush();
  }

  private scheduleFlush(): void {
    if (this.flushing) return; // the running flush loops until nothing is pending
    this.flushing = (async () => {
      await new Promise((resolve) => setTimeout(resolve, 0));
      while (this.pending.size > 0) {
        try {
          await this.writePending();
        } catch {
          this.writeErrors++;
        }
      }
    })().finally(() => {
      this.flushing = null;
      if (this.pending.size > 0) this.scheduleFlush();
    });
  }

  private async writePending(): Promise<void> {
    const batch = [...this.pending];
    this.pending.clear();
    const sets = batch.filter((b): b is [string, CachedPrediction] => b[1] !== null);
    const deletes = batch.filter(([, v]) => v === null).map(([k]) => k);
    if (sets.length) await setMany(sets, this.stores.predictions);
    if (deletes.length) await delMany(deletes, this.stores.predictions);
  }

  /** Waits until every write so far has reached IndexedDB. */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  /** The key a scene's samples gave before, in this worker or a stored entry (load()). */
  async knownInput(samplesKey: string): Promise<KnownInput | undefined> {
    await this.load();
    return this.inputs.get(samplesKey);
  }

  /** With `input`, the entry also keeps the samples that gave its key (see CachedPrediction). */
  async get(key: string, version: string, input?: StoredInput): Promise<Estimate | undefined> {
    const index = await this.load();
    const entry = index.get(key);
    if (!entry) return undefined;
    const now = this.settings.now();
    if (now - entry.storedAtMs > this.settings.ttlMs()) {
      index.delete(key);
      this.expired++;
      this.write(key, null);
      return undefined;
    }
    if (entry.version !== version) return undefined;
    const touched = { ...entry, lastUsedMs: now, ...(input ? { input } : {}) };
    index.delete(key);
    index.set(key, touched);
    this.write(key, touched);
    return entry.estimate;
  }

  async put(key: string, version: string, estimate: Estimate, input?: StoredInput): Promise<void> {
    const index = await this.load();
    const now = this.settings.now();
    const entry: CachedPrediction = {
      version,
      estimate,
      storedAtMs: now,
      lastUsedMs: now,
      ...(input ? { input } : {}),
    };
    index.delete(key);
    index.set(key, entry);
    this.write(key, entry);
    let excess = index.size - this.settings.maxEntries();
    for (const victim of index.keys()) {
      if (excess-- <= 0) break;
      index.delete(victim);
      this.evictions++;
      this.write(victim, null);
    }
  }

  /** Empties the cache (memory and IndexedDB); returns how many entries went. */
  async clear(): Promise<number> {
    const index = await this.load();
    const n = index.size;
    index.clear();
    this.inputs.clear();
    this.pending.clear();
    await this.flush();
    await clear(this.stores.predictions);
    return n;
  }

  async count(): Promise<number> {
    return (await this.load()).size;
  }
}
