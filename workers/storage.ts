import { createStore, type UseStore } from 'idb-keyval';

/**
 * The worker's IndexedDB databases. idb-keyval keeps one object store per database, so each
 * kind of data gets its own database; the prefix lets tests (and a second app on the same
 * origin) keep theirs apart.
 */
export interface EngineStores {
  /** Verified model bytes with their metadata, keyed by sha256. */
  models: UseStore;
  /** The last manifest the server gave, for offline starts. */
  manifest: UseStore;
  /** Cached predictions, keyed by predictionKey(). */
  predictions: UseStore;
}

export function openStores(prefix: string): EngineStores {
  return {
    models: createStore(`${prefix}-models`, 'files'),
    manifest: createStore(`${prefix}-manifest`, 'manifest'),
    predictions: createStore(`${prefix}-predictions`, 'predictions'),
  };
}
