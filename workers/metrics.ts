import { SampleWindow } from './sampleWindow';
import {
  STAGES,
  type MetricsSnapshot,
  type PredictionResult,
  type Stage,
  type VersionStats,
} from './types';

interface VersionCounters {
  requests: number;
  succeeded: number;
  failed: number;
  cacheHits: number;
  fallbacksServed: number;
  totalMs: SampleWindow;
}

/** Counters and latency windows of the engine; snapshot() is what metrics() returns. */
export class EngineMetrics {
  requests = 0;
  succeeded = 0;
  failed = 0;
  cancelled = 0;
  /** Live windows the squelch kept from the model (their features were computed, nothing more). */
  squelched = 0;
  inFlight = 0;
  cacheHits = 0;
  cacheMisses = 0;
  private readonly errorsByName: Record<string, number> = {};
  private readonly stages = new Map<Stage, SampleWindow>();
  private readonly batchSizes: SampleWindow;
  private readonly singleRunsMs: SampleWindow;
  private readonly versions = new Map<string, VersionCounters>();

  constructor(private readonly windowSize: number) {
    for (const s of STAGES) this.stages.set(s, new SampleWindow(windowSize));
    this.batchSizes = new SampleWindow(windowSize);
    this.singleRunsMs = new SampleWindow(windowSize);
  }

  private version(v: string): VersionCounters {
    let c = this.versions.get(v);
    if (!c) {
      c = {
        requests: 0,
        succeeded: 0,
        failed: 0,
        cacheHits: 0,
        fallbacksServed: 0,
        totalMs: new SampleWindow(this.windowSize),
      };
      this.versions.set(v, c);
    }
    return c;
  }

  begin(): void {
    this.requests++;
    this.inFlight++;
  }

  /** A version was asked to answer (counted per attempt, so a fallback counts for both). */
  attempt(version: string): void {
    this.version(version).requests++;
  }

  versionFailed(version: string): void {
    this.version(version).failed++;
  }

  cacheLookup(hit: boolean): void {
    if (hit) this.cacheHits++;
    else this.cacheMisses++;
  }

  batch(size: number, runMs: number): void {
    this.batchSizes.add(size);
    if (size === 1) this.singleRunsMs.add(runMs);
  }

  succeed(result: PredictionResult): void {
    this.inFlight--;
    this.succeeded++;
    for (const s of STAGES) {
      // Stages a cache hit skipped are not samples of their latency.
      if (result.cache === 'hit' && (s === 'inference' || s === 'decode')) continue;
      if (result.cache === 'bypassed' && s === 'cache') continue;
      this.stages.get(s)!.add(result.timingsMs[s]);
    }
    const v = this.version(result.modelVersion);
    v.succeeded++;
    v.totalMs.add(result.timingsMs.total);
    if (result.cache === 'hit') v.cacheHits++;
    if (result.fallbackFrom) v.fallbacksServed++;
  }

  squelch(): void {
    this.inFlight--;
    this.squelched++;
  }

  fail(errorName: string): void {
    this.inFlight--;
    if (errorName === 'CancelledError') this.cancelled++;
    else this.failed++;
    this.errorsByName[errorName] = (this.errorsByName[errorName] ?? 0) + 1;
  }

  snapshot(
    extra: Pick<
      MetricsSnapshot,
      'activeVersion' | 'stagingVersion' | 'mode' | 'executionProvider'
    > & {
      cacheEntries: number;
      cacheEvictions: number;
      cacheExpired: number;
      versionInfo: (version: string) => Pick<VersionStats, 'role' | 'executionProvider'>;
    },
  ): MetricsSnapshot {
    const lookups = this.cacheHits + this.cacheMisses;
    const stagesMs = Object.fromEntries(
      STAGES.map((s) => [s, this.stages.get(s)!.summary()]),
    ) as MetricsSnapshot['stagesMs'];
    return {
      requests: this.requests,
      succeeded: this.succeeded,
      failed: this.failed,
      cancelled: this.cancelled,
      squelched: this.squelched,
      inFlight: this.inFlight,
      errorsByName: { ...this.errorsByName },
      cache: {
        hits: this.cacheHits,
        misses: this.cacheMisses,
        hitRate: lookups ? this.cacheHits / lookups : 0,
        entries: extra.cacheEntries,
        evictions: extra.cacheEvictions,
        expired: extra.cacheExpired,
      },
      stagesMs,
      batchSize: this.batchSizes.summary(),
      singleRunMs: this.singleRunsMs.summary(),
      activeVersion: extra.activeVersion,
      stagingVersion: extra.stagingVersion,
      mode: extra.mode,
      executionProvider: extra.executionProvider,
      versions: [...this.versions].map(([version, c]) => ({
        version,
        ...extra.versionInfo(version),
        requests: c.requests,
        succeeded: c.succeeded,
        failed: c.failed,
        cacheHits: c.cacheHits,
        fallbacksServed: c.fallbacksServed,
        totalMs: c.totalMs.summary(),
      })),
    };
  }
}
