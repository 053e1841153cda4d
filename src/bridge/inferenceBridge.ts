/**
 * The page's only door to the inference worker: creates the Worker, keeps its comlink Remote for
 * the life of the page (loading a model is expensive, so the worker is never recycled per
 * request) and wraps the API with typed helpers that handle proxies and transfers.
 *
 * If the worker dies (workerLife.ts sees it), every call in flight rejects with WorkerLostError,
 * a new worker starts, and the journal (restartJournal.ts) brings it to where the old one was:
 * settings, event subscriptions, open files under their old ids, the prepared model. Calls made
 * meanwhile wait for that, so callers only ever retry what was lost (the UI's batch does).
 */
import { proxy, transfer, type Remote } from 'comlink';
import { HeimdallError } from '../core/errors';
import type { InferenceApi } from '../../workers/api';
import type { BatchOptions } from '../../workers/predictBatch';
import type { LiveWindowOptions } from '../../workers/liveWindow';
import type { LocateLiveTdoaRequest } from '../../workers/locateTdoa';
import type {
  BatchItemEvent,
  BatchProgress,
  EngineConfig,
  EngineEvent,
  GroupScenesOptions,
  PredictOptions,
  PredictRequest,
  PrepareProgress,
  RawParams,
} from '../../workers/types';
import type { FileLike } from '../../workers/openFiles';
import type { LocateTdoaRequest } from '../../workers/locateTdoa';
import { RestartJournal } from './restartJournal';
import { startWorkerLife, type WorkerLife } from './workerLife';

export type * from '../../workers/types';
export type { InferenceApi } from '../../workers/api';
export type { PrepareResult } from '../../workers/prepareModel';
export type { ManifestResult } from '../../workers/loadManifest';
export type { BatchOptions } from '../../workers/predictBatch';
export type { FileLike } from '../../workers/openFiles';

type Api = Remote<InferenceApi>;

/** Restarts in a row whose worker died before it was back in service; then the bridge gives up. */
const MAX_FAILED_RESTARTS = 3;

export interface RestartReport {
  /** Restarts so far in this page. */
  restarts: number;
  /** Recordings reopened in the new worker. */
  reopened: number;
  /** Steps of the replay that failed (the model could not be prepared again, ...). */
  failures: string[];
}

/** The iq buffers of requests, each once (two views of one buffer must not be listed twice). */
function iqBuffers(requests: readonly PredictRequest[]): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  for (const r of requests)
    if ('iq' in r) r.iq.forEach((a) => buffers.add(a.buffer as ArrayBuffer));
  return [...buffers];
}

function createBridge(makeWorker: () => Worker) {
  const journal = new RestartJournal();
  const subscriptions = new Map<number, { listener: (e: EngineEvent) => void; id?: number }>();
  const restartListeners = new Set<(report: RestartReport) => void>();
  let nextId = 1;
  let nextSubscription = 1;
  const requestId = () => `page-${nextId++}`;
  let restarts = 0;
  let failedRestarts = 0;
  let stopped = false;

  let life = startWorkerLife(makeWorker(), onLost);
  /**
   * Settles when the current worker can take calls (after a restart's replay). The first worker
   * takes them at once: comlink delivers them in order behind its life-lock request, and a worker
   * that fails to start rejects them through `lost`. Waiting for the lock's round trip instead
   * held the page's first call (configure, which starts the runtime) until the page's thread,
   * busy with React's first render, had read the reply: 0.3-0.9 s in traces of visits.
   */
  let ready: Promise<void> = Promise.resolve();
  /** predictScene calls not yet answered: one sent with none before it is `alone` (PredictOptions). */
  let predictionsOutstanding = 0;

  function onLost(dead: WorkerLife): void {
    if (stopped || dead !== life) return;
    ready = restart();
  }

  async function restart(): Promise<void> {
    if (failedRestarts >= MAX_FAILED_RESTARTS) return; // gave up: calls fail with the old life's error
    restarts++;
    failedRestarts++;
    const next = startWorkerLife(makeWorker(), onLost);
    life = next;
    const guard = <T>(call: Promise<T>) => Promise.race([call, next.lost]);
    try {
      await next.started;
      const { reopened, failures } = await journal.replay(next.api, guard, async () => {
        for (const sub of subscriptions.values())
          sub.id = await guard(next.api.subscribe(proxy(sub.listener)));
      });
      failedRestarts = 0;
      const report = { restarts, reopened, failures };
      for (const listener of restartListeners) listener(report);
    } catch {
      // This worker died too; its own loss started the next restart.
    }
  }

  /** Runs `f` on the current worker once it is ready; rejects if that worker dies meanwhile. */
  async function call<T>(f: (api: Api) => Promise<T>): Promise<T> {
    // A worker lost while this call waited is being replaced: wait for its successor.
    for (;;) {
      await ready;
      if (!life.isLost || stopped) break;
      if (failedRestarts >= MAX_FAILED_RESTARTS)
        throw new HeimdallError(
          'WorkerLostError',
          `the inference worker stopped ${failedRestarts} times in a row while starting; reload the page`,
        );
    }
    const current = life;
    return Promise.race([f(current.api), current.lost]);
  }

  const bridge = {
    configure: async (patch: Partial<EngineConfig>) => {
      const result = await call((api) => api.configure(patch));
      journal.configured(patch);
      return result;
    },
    loadManifest: () => call((api) => api.loadManifest()),
    prepare: async (version?: string, onProgress?: (p: PrepareProgress) => void) => {
      const result = await call((api) =>
        api.prepare(version, onProgress ? proxy(onProgress) : undefined),
      );
      journal.modelPrepared(version);
      return result;
    },
    openFiles: async (files: FileLike[], raw?: RawParams) => {
      const result = await call((api) => api.openFiles(files, raw));
      journal.filesOpened(files, raw, result);
      return result;
    },
    closeFiles: async (recordingIds?: string[]) => {
      journal.filesClosed(recordingIds);
      return call((api) => api.closeFiles(recordingIds));
    },
    groupScenes: (options?: GroupScenesOptions) => call((api) => api.groupScenes(options)),
    /** iq arrays are transferred: they are unusable on this side afterwards. */
    predictScene: async (request: PredictRequest, options: PredictOptions = {}) => {
      predictionsOutstanding++;
      try {
        return await call((api) =>
          api.predictScene(transfer(request, iqBuffers([request])), {
            alone: predictionsOutstanding === 1,
            ...options,
            requestId: options.requestId ?? requestId(),
          }),
        );
      } finally {
        predictionsOutstanding--;
      }
    },
    /** A live window (workers/liveWindow.ts); its iq arrays are transferred. */
    locateLiveWindow: (request: PredictRequest, options: LiveWindowOptions = {}) =>
      call((api) =>
        api.locateLiveWindow(transfer(request, iqBuffers([request])), {
          ...options,
          requestId: options.requestId ?? requestId(),
        }),
      ),
    /** Live TDoA (workers/locateTdoa.ts); the recordings' samples are transferred. */
    locateLiveTdoa: (request: LocateLiveTdoaRequest) =>
      call((api) =>
        api.locateLiveTdoa(
          transfer(
            request,
            request.recordings.map((r) => r.iq.buffer as ArrayBuffer),
          ),
        ),
      ),
    /** With onItem, each scene's start and result arrive as they happen (see predictBatch.ts). */
    predictBatch: (
      scenes: PredictRequest[],
      onProgress?: (p: BatchProgress) => void,
      options: BatchOptions = {},
      onItem?: (e: BatchItemEvent) => void,
    ) =>
      call((api) =>
        api.predictBatch(
          transfer(scenes, iqBuffers(scenes)),
          onProgress ? proxy(onProgress) : undefined,
          { ...options, batchId: options.batchId ?? requestId() },
          onItem ? proxy(onItem) : undefined,
        ),
      ),
    /** TDoA on opened recordings; the posterior grid arrives transferred. */
    locateTdoa: (request: LocateTdoaRequest) => call((api) => api.locateTdoa(request)),
    cancel: (id: string) => call((api) => api.cancel(id)),
    metrics: () => call((api) => api.metrics()),
    clearCache: () => call((api) => api.clearCache()),
    /** Returns the function that unsubscribes. Subscriptions survive a worker restart. */
    subscribe: async (listener: (event: EngineEvent) => void) => {
      const key = nextSubscription++;
      const sub: { listener: (e: EngineEvent) => void; id?: number } = { listener };
      subscriptions.set(key, sub);
      sub.id = await call((api) => api.subscribe(proxy(listener)));
      return async () => {
        subscriptions.delete(key);
        if (sub.id !== undefined) await call((api) => api.unsubscribe(sub.id!));
      };
    },
    /** Called after each restart of a worker that died. Returns the function that unsubscribes. */
    onRestart: (listener: (report: RestartReport) => void) => {
      restartListeners.add(listener);
      return () => void restartListeners.delete(listener);
    },
    /** Test hook (e2e): the worker ends abruptly, as a crash would; the bridge restarts it. */
    crashWorkerForTest: () => void life.api.crashForTest().catch(() => undefined),
    /** Ends the worker; the next getInferenceBridge() starts a new one. */
    terminate: () => {
      stopped = true;
      life.end();
      if (instance === bridge) instance = null;
    },
  };
  return bridge;
}

export type InferenceBridge = ReturnType<typeof createBridge>;

let instance: InferenceBridge | null = null;

export function getInferenceBridge(): InferenceBridge {
  instance ??= createBridge(
    () =>
      new Worker(new URL('../../workers/inference.worker.ts', import.meta.url), {
        type: 'module',
        name: 'heimdall-inference',
      }),
  );
  return instance;
}

/** For tests that build the bridge around their own worker double. */
export const createInferenceBridge = createBridge;

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
