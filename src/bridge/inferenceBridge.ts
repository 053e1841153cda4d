/**
 * The page's only door to the inference worker: creates the Worker once, keeps its comlink
 * Remote for the life of the page (loading a model is expensive, so the worker is never recycled
 * per request) and wraps the API with typed helpers that handle proxies and transfers.
 */
import { proxy, releaseProxy, transfer, wrap, type Remote } from 'comlink';
import type { InferenceApi } from '../../workers/api';
import type { BatchOptions } from '../../workers/predictBatch';
import type {
  BatchProgress,
  EngineEvent,
  PredictOptions,
  PredictRequest,
  PrepareProgress,
} from '../../workers/types';

export type * from '../../workers/types';
export type { InferenceApi } from '../../workers/api';
export type { PrepareResult } from '../../workers/prepareModel';
export type { ManifestResult } from '../../workers/loadManifest';
export type { BatchOptions } from '../../workers/predictBatch';
export type { FileLike } from '../../workers/openFiles';

type Api = Remote<InferenceApi>;

/** The iq buffers of requests, each once (two views of one buffer must not be listed twice). */
function iqBuffers(requests: readonly PredictRequest[]): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  for (const r of requests)
    if ('iq' in r) r.iq.forEach((a) => buffers.add(a.buffer as ArrayBuffer));
  return [...buffers];
}

function createBridge(worker: Worker) {
  const api: Api = wrap<InferenceApi>(worker);
  const latestByChannel = new Map<string, string>();
  let nextId = 1;
  const requestId = () => `page-${nextId++}`;

  const bridge = {
    api,
    configure: api.configure,
    loadManifest: api.loadManifest,
    prepare: (version?: string, onProgress?: (p: PrepareProgress) => void) =>
      api.prepare(version, onProgress ? proxy(onProgress) : undefined),
    openFiles: api.openFiles,
    closeFiles: api.closeFiles,
    groupScenes: api.groupScenes,
    /** iq arrays are transferred: they are unusable on this side afterwards. */
    predictScene: (request: PredictRequest, options: PredictOptions = {}) =>
      api.predictScene(transfer(request, iqBuffers([request])), {
        ...options,
        requestId: options.requestId ?? requestId(),
      }),
    /**
     * For views that show one result at a time: a new request on `channel` cancels the previous
     * one, whose promise then rejects with CancelledError (a stale result is never delivered).
     */
    predictLatest: async (
      channel: string,
      request: PredictRequest,
      options: PredictOptions = {},
    ) => {
      const id = options.requestId ?? requestId();
      const previous = latestByChannel.get(channel);
      latestByChannel.set(channel, id);
      if (previous) void api.cancel(previous);
      try {
        return await bridge.predictScene(request, { ...options, requestId: id });
      } finally {
        if (latestByChannel.get(channel) === id) latestByChannel.delete(channel);
      }
    },
    predictBatch: (
      scenes: PredictRequest[],
      onProgress?: (p: BatchProgress) => void,
      options: BatchOptions = {},
    ) =>
      api.predictBatch(
        transfer(scenes, iqBuffers(scenes)),
        onProgress ? proxy(onProgress) : undefined,
        {
          ...options,
          batchId: options.batchId ?? requestId(),
        },
      ),
    cancel: api.cancel,
    metrics: api.metrics,
    clearCache: api.clearCache,
    /** Returns the function that unsubscribes. */
    subscribe: async (listener: (event: EngineEvent) => void) => {
      const id = await api.subscribe(proxy(listener));
      return () => api.unsubscribe(id);
    },
    /** Ends the worker; the next getInferenceBridge() starts a new one. */
    terminate: () => {
      api[releaseProxy]();
      worker.terminate();
      if (instance === bridge) instance = null;
    },
  };
  return bridge;
}

export type InferenceBridge = ReturnType<typeof createBridge>;

let instance: InferenceBridge | null = null;

export function getInferenceBridge(): InferenceBridge {
  instance ??= createBridge(
    new Worker(new URL('../../workers/inference.worker.ts', import.meta.url), {
      type: 'module',
      name: 'heimdall-inference',
    }),
  );
  return instance;
}

declare global {
  interface Window {
    __heimdall?: InferenceBridge;
  }
}

// Playwright drives the engine directly (prepare, predict, metrics) to test the worker, ORT,
// IndexedDB and the server together in the production build, independent of the UI. A getter,
// so merely loading the page does not start the worker.
if (typeof window !== 'undefined' && !Object.getOwnPropertyDescriptor(window, '__heimdall')) {
  Object.defineProperty(window, '__heimdall', { get: getInferenceBridge, configurable: true });
}
