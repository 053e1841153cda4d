/**
 * The worker's API: one object of async functions, exposed with comlink by inference.worker.ts
 * (and, in the tests, over a MessageChannel). Arguments and results are plain objects; big arrays
 * cross as Transferables; callbacks (progress, events) arrive as comlink proxies.
 */
import { transfer } from 'comlink';
import type { RawParams } from '../src/core/readers/types';
import { configure } from './configure';
import { defaultDeps, Engine, type EngineDeps } from './engine';
import { getMetrics } from './getMetrics';
import { groupScenes } from './groupScenes';
import { crashForTest, holdLifeLock } from './lifeLock';
import { loadManifest } from './loadManifest';
import { locateLiveWindow, type LiveWindowOptions } from './liveWindow';
import {
  locateLiveTdoa,
  locateTdoaScene,
  type LocateLiveTdoaRequest,
  type LocateTdoaRequest,
} from './locateTdoa';
import { openFiles, type FileLike } from './openFiles';
import { predictScene } from './predict';
import { logMelBuffers, predictBatch, type BatchOptions } from './predictBatch';
import { prepare } from './prepareModel';
import { reopenFiles, type ReopenEntry } from './reopenFiles';
import type {
  BatchItemEvent,
  BatchProgress,
  BatchResult,
  EngineConfig,
  EngineEvent,
  GroupScenesOptions,
  PredictionResult,
  PredictOptions,
  PredictRequest,
  PrepareProgress,
} from './types';

export function createInferenceApi(deps: Partial<EngineDeps> = {}) {
  const engine = new Engine({ ...defaultDeps(), ...deps });
  /** The page's work: background work of the worker's own waits while it comes (quietGate.ts). */
  const busy = <T>(work: () => Promise<T>) => engine.quiet.track(work);
  return {
    configure: async (patch: Partial<EngineConfig>) => configure(engine, patch),
    loadManifest: () => loadManifest(engine),
    /** Without a version: the production version plus the weighted staging arm (A/B). */
    prepare: (version?: string, onProgress?: (p: PrepareProgress) => unknown) =>
      busy(() => prepare(engine, version, onProgress)),
    openFiles: (files: FileLike[], raw?: RawParams) => busy(() => openFiles(engine, files, raw)),
    closeFiles: async (recordingIds?: string[]) => engine.recordings.close(recordingIds),
    groupScenes: (options?: GroupScenesOptions) => busy(async () => groupScenes(engine, options)),
    predictScene: async (
      request: PredictRequest,
      options?: PredictOptions,
    ): Promise<PredictionResult> => {
      const result = await busy(() => predictScene(engine, request, options));
      return transfer(result, logMelBuffers([result]));
    },
    /** With onItem, results stream scene by scene through it and the reply holds none. */
    predictBatch: async (
      scenes: PredictRequest[],
      onProgress?: (p: BatchProgress) => unknown,
      options?: BatchOptions,
      onItem?: (e: BatchItemEvent) => unknown,
    ): Promise<BatchResult> => {
      const result = await busy(() => predictBatch(engine, scenes, onProgress, options, onItem));
      const ok = result.items.flatMap((i) => (i.ok ? [i.result] : []));
      return transfer(result, logMelBuffers(ok));
    },
    /** A live window: features once, the squelch on them, the model only when it opens. */
    locateLiveWindow: (request: PredictRequest, options?: LiveWindowOptions) =>
      busy(() => locateLiveWindow(engine, request, options)),
    /** Cooperative: the request rejects with CancelledError at its next stage boundary. */
    cancel: async (requestId: string) => engine.requests.cancel(requestId),
    /** TDoA on opened GPS-stamped recordings (issue 12); the posterior grid is transferred. */
    locateTdoa: (request: LocateTdoaRequest) => busy(() => locateTdoaScene(engine, request)),
    /** Live TDoA on the last seconds of the GPS-stamped live streams. */
    locateLiveTdoa: (request: LocateLiveTdoaRequest) => busy(() => locateLiveTdoa(request)),
    metrics: () => getMetrics(engine),
    clearCache: () => engine.cache.clear(),
    subscribe: async (listener: (event: EngineEvent) => unknown) =>
      engine.events.subscribe(listener),
    unsubscribe: async (subscriptionId: number) => engine.events.unsubscribe(subscriptionId),
    dispose: async () => engine.dispose(),
    // Restart support (src/bridge/inferenceBridge.ts): a lock held for life, so the page sees the
    // worker die; the page's files reopened under their old ids in a replacement worker.
    holdLifeLock: (name: string) => holdLifeLock(name),
    reopenFiles: (entry: ReopenEntry) => busy(() => reopenFiles(engine, entry)),
    /** Test hook (e2e): ends the worker abruptly, as a crash would. */
    crashForTest: async () => crashForTest(),
  };
}

export type InferenceApi = ReturnType<typeof createInferenceApi>;
