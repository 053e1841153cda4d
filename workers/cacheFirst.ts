/**
 * A repeat visit answers from the prediction cache before onnxruntime starts.
 *
 * Why: on a repeat visit the demo's scenes (and any scene seen before) are in the persistent
 * prediction cache, yet every one of them waited for the runtime: onnxruntime-web's start is one
 * long task on this worker's thread (deserialising, instantiating, lazily compiling its start-up
 * functions: 2.2 s at load 8 in `npx tsx scripts/trace-start.ts`), and V8 meanwhile compiles the
 * rest of the module on background threads, taking the cores the page needs. Answering cached
 * scenes before the session existed (branch h11cache) gained nothing, because that task had
 * already started before the demo's files reached the worker.
 *
 * So when the production model's bytes come from IndexedDB, the cache holds predictions, the
 * runtime has not been started, and one execution provider is allowed (so which one serves is
 * known in advance), prepare() installs the version at once in a slot without a session
 * (`cacheOnlySlot`): requests take the usual path (the same windows, features, key and lookup,
 * predict.ts), and a hit is answered there. The runtime and the session start once the hold is
 * released (RuntimeHold): at the first miss, which then waits for the session; once the requests
 * served this way have stopped for HOLD_QUIET_MS; or HOLD_MAX_MS after the slot was installed,
 * whatever comes first. The real slot then replaces it.
 */
import type { ManifestEntry, ModelMetadata } from '../src/core/modelMetadata';
import type { RunOutput } from './sessionRunner';
import { SessionSlot, type SceneRunner } from './sessions';
import type { ExecutionProvider } from './types';

/** Requests served from the cache that have stopped for this long release the runtime. */
export const HOLD_QUIET_MS = 300;
/**
 * Without such requests, the runtime starts this long after the cached slot went in: time for a
 * demo clicked at load to reach the worker (its files fetched and opened: 0.3-1.5 s here).
 */
export const HOLD_MAX_MS = 3000;

/** When the runtime may start: held while cached answers are being served. */
export class RuntimeHold {
  readonly released: Promise<void>;
  private release!: () => void;
  private inFlight = 0;
  private quietTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly maxTimer: ReturnType<typeof setTimeout>;

  constructor(
    private readonly quietMs = HOLD_QUIET_MS,
    maxMs = HOLD_MAX_MS,
  ) {
    this.released = new Promise((resolve) => (this.release = resolve));
    this.maxTimer = setTimeout(() => this.hurry(), maxMs);
  }

  begin(): void {
    this.inFlight++;
    if (this.quietTimer) clearTimeout(this.quietTimer);
    this.quietTimer = null;
  }

  end(): void {
    this.inFlight--;
    if (this.inFlight === 0) this.quietTimer = setTimeout(() => this.hurry(), this.quietMs);
  }

  /** Releases it now (a miss needs the session). */
  hurry(): void {
    clearTimeout(this.maxTimer);
    if (this.quietTimer) clearTimeout(this.quietTimer);
    this.release();
  }
}

/**
 * Stands in for the session runner until the session exists: a run (a cache miss) releases the
 * hold and waits for the real runner; it fails with prepare()'s error if the session never comes.
 */
export class DeferredRunner {
  private readonly real: Promise<SceneRunner>;
  resolve!: (runner: SceneRunner) => void;
  reject!: (err: unknown) => void;

  constructor(private readonly hold: RuntimeHold) {
    this.real = new Promise((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    // Nobody may be waiting when prepare() fails: that failure is prepare()'s to report.
    this.real.catch(() => undefined);
  }

  async run(features: Float32Array, alone?: boolean): Promise<RunOutput> {
    this.hold.hurry();
    return (await this.real).run(features, alone);
  }
}

/** The version in service without a session: each request it serves holds the runtime back. */
class CacheOnlySlot extends SessionSlot<ModelMetadata, ManifestEntry, DeferredRunner> {
  constructor(
    metadata: ModelMetadata,
    entry: ManifestEntry,
    executionProvider: ExecutionProvider,
    prepHash: string,
    private readonly hold: RuntimeHold,
  ) {
    super(
      metadata.version,
      metadata,
      entry,
      executionProvider,
      prepHash,
      null,
      new DeferredRunner(hold),
    );
  }

  override acquire(): this {
    const slot = super.acquire();
    this.hold.begin();
    return slot;
  }

  override release(): void {
    super.release();
    this.hold.end();
  }
}

export function cacheOnlySlot(
  metadata: ModelMetadata,
  entry: ManifestEntry,
  executionProvider: ExecutionProvider,
  prepHash: string,
  hold: RuntimeHold,
): SessionSlot<ModelMetadata, ManifestEntry, DeferredRunner> {
  return new CacheOnlySlot(metadata, entry, executionProvider, prepHash, hold);
}

/** Whether `slot` answers from the cache only, its session still to come. */
export function isCacheOnly(slot: unknown): boolean {
  return slot instanceof CacheOnlySlot;
}
