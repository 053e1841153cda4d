/**
 * Which prediction key a scene's samples gave before. A cache hit used to compute the scene's
 * log-mel features only to hash them into its key: 1.4 ms of a 1.7 ms hit in the worker
 * (`npx tsx scripts/bench-warm.ts`, stages p50). Hashing the samples themselves (SHA-256 of the
 * windows, about 200 kB for three receivers) finds the key of a scene seen before without them.
 *
 * Bounded like the cache, and rebuilt by a new worker from the cache's stored entries, which
 * keep the samples key that gave them (predictionCache.ts). It only names a key: the cache still
 * decides whether that key holds an estimate, and for which version, so a stale entry here costs
 * one lookup and then the full path, never a wrong result.
 */
export interface KnownInput {
  /** The prediction key (hashing.ts predictionKey) the samples' features gave. */
  key: string;
  /** The result's levelsDb, which come from the features. */
  levelsDb: number[];
}

export class InputKeys {
  /** Insertion-ordered: the first entries are the least recently used. */
  private readonly known = new Map<string, KnownInput>();

  constructor(private readonly maxEntries: () => number) {}

  get(samplesKey: string): KnownInput | undefined {
    const entry = this.known.get(samplesKey);
    if (entry) {
      this.known.delete(samplesKey);
      this.known.set(samplesKey, entry);
    }
    return entry;
  }

  remember(samplesKey: string, entry: KnownInput): void {
    this.known.delete(samplesKey);
    this.known.set(samplesKey, entry);
    let excess = this.known.size - this.maxEntries();
    for (const victim of this.known.keys()) {
      if (excess-- <= 0) break;
      this.known.delete(victim);
    }
  }

  clear(): void {
    this.known.clear();
  }
}
