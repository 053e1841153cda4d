/**
 * The worker's state, shared by the operations (one file each). Everything that outlives a call
 * lives here: settings, the manifest, the sessions in service, the caches, the metrics.
 */
import { activeModel } from '../src/core/activeModel';
import { HeimdallError } from '../src/core/errors';
import type { Constellation } from '../src/core/modelMetadata';
import {
  servingNetworkVersion,
  servingSpec,
  type ServingSpec,
} from '../src/core/scene/servingModel';
import { Admission } from './admission';
import { defaultConfig } from './config';
import { EventHub } from './events';
import { manifestArms, type LoadedManifest, type ManifestArms } from './manifest';
import { EngineMetrics } from './metrics';
import { PredictionCache } from './predictionCache';
import { QuietGate } from './quietGate';
import { RecordingTable } from './recordings';
import { RequestRegistry } from './requests';
import { SessionPool } from './sessions';
import { openStores, type EngineStores } from './storage';
import type { EngineConfig } from './types';

/**
 * Background work starts once the page has made no call for this long: longer than the page's
 * own gap between the model being ready and its first locate call (a round trip through the page
 * thread, 0.1-0.8 s in traces on the loaded 2-core machine).
 */
const BACKGROUND_QUIET_MS = 1000;
/** ...and at the latest this long after it was asked for, however busy the page is. */
const BACKGROUND_MAX_WAIT_MS = 8000;

export interface EngineDeps {
  fetch: typeof fetch;
  /** Wall clock, ms since the epoch: cache TTLs survive restarts, so no monotonic clock here. */
  now: () => number;
  /** Prefix of the IndexedDB database names. */
  storagePrefix: string;
}

export function defaultDeps(): EngineDeps {
  return {
    // Called through a wrapper: fetch must not be invoked with another `this` in some browsers.
    fetch: (input, init) => fetch(input, init),
    now: () => Date.now(),
    storagePrefix: 'heimdall',
  };
}

export class Engine {
  config: EngineConfig = defaultConfig();
  readonly stores: EngineStores;
  readonly pool = new SessionPool();
  readonly cache: PredictionCache;
  metrics: EngineMetrics;
  readonly recordings = new RecordingTable();
  readonly requests = new RequestRegistry();
  readonly events = new EventHub();
  readonly admission = new Admission(() => this.config.maxConcurrentScenes);
  manifest: LoadedManifest | null = null;
  /** The prepare() call in progress, if one is (a scene may wait for it: predict.ts). */
  preparing: Promise<unknown> | null = null;
  /** The any-network model being prepared in the background (prepareModel.ts), if it is. */
  networkPreparing: Promise<unknown> | null = null;
  /** prepare() calls so far: a later one supersedes background work an earlier one scheduled. */
  prepareCalls = 0;
  /** Holds self-given background work back while the page's calls come (quietGate.ts). */
  readonly quiet = new QuietGate(BACKGROUND_QUIET_MS, BACKGROUND_MAX_WAIT_MS);
  private pollTimer: ReturnType<typeof setInterval> | null = null;

  constructor(readonly deps: EngineDeps) {
    this.stores = openStores(deps.storagePrefix);
    this.metrics = new EngineMetrics(this.config.metricsWindow);
    this.cache = new PredictionCache(this.stores, {
      ttlMs: () => this.config.cacheTtlMs,
      maxEntries: () => this.config.cacheMaxEntries,
      now: deps.now,
    });
  }

  /** The A/B weight the current manifest gives a version (0 when it is not listed). */
  weightOf(version: string): number {
    return this.manifest?.manifest.models.find((m) => m.version === version)?.weight ?? 0;
  }

  /** The weights the A/B split uses: this browser's staging share if set, else the manifest's. */
  armWeights(production: string, staging: string): { production: number; staging: number } {
    const share = this.config.stagingShare;
    if (share !== null) return { production: 1 - share, staging: share };
    return { production: this.weightOf(production), staging: this.weightOf(staging) };
  }

  /** The manifest's A/B arms under this browser's settings. */
  arms(): ManifestArms {
    if (!this.manifest) return { production: null, staging: null };
    return manifestArms(this.manifest.manifest, this.config.stagingShare);
  }

  /**
   * The receivers recordings are grouped for: the active model's (src/core/activeModel.ts). The
   * serving model's own metadata answers first, since the manifest may no longer list it.
   */
  constellation(): Constellation {
    const slot = this.pool.get('active');
    if (slot) return slot.metadata.constellation;
    const entry = activeModel(this.manifest?.manifest.models ?? []);
    if (entry) return entry.constellation;
    throw new HeimdallError(
      'ConfigError',
      'no model known yet: call loadManifest() or prepare() first',
    );
  }

  /**
   * The models that may locate a scene, in the order the rule of src/core/scene/servingModel.ts
   * tries them: the version pinned alone; else the fixed-network model (serving or, before it
   * serves, the manifest's) and the any-network model beside it.
   */
  servingSpecs(): ServingSpec[] {
    const active = this.pool.get('active');
    const network = this.pool.get('network');
    if (this.pool.mode === 'pinned') {
      const pinned = active ?? network;
      return pinned ? [servingSpec(pinned.metadata)] : [];
    }
    const fixedEntry = active ? null : activeModel(this.manifest?.manifest.models ?? []);
    const fixed = active?.metadata ?? fixedEntry;
    const anyNetwork =
      network?.metadata ?? servingNetworkVersion(this.manifest?.manifest.networkModels ?? []);
    return [fixed, anyNetwork].flatMap((m) => (m ? [servingSpec(m)] : []));
  }

  setPollTimer(ms: number, tick: () => void): void {
    if (this.pollTimer) clearInterval(this.pollTimer);
    this.pollTimer = ms > 0 ? setInterval(tick, ms) : null;
  }

  async dispose(): Promise<void> {
    this.setPollTimer(0, () => undefined);
    this.pool.disposeAll();
    this.recordings.close();
    await this.cache.flush();
  }
}
