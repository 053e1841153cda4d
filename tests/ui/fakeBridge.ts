/**
 * A stand-in for src/bridge/inferenceBridge.ts in the UI action tests: every engine call returns a
 * promise the test settles itself, so a test decides the order of events (files before model,
 * model before files, a worker lost mid-batch, a request that never answers).
 *
 * predictBatch behaves as the worker's does (workers/predictBatch.ts): `concurrency` scenes at a
 * time, each reported to onItem when it starts and when it ends, the reply once all have ended;
 * each scene's answer is a PredictCall the test settles. A worker lost (failAll with
 * WorkerLostError) rejects the whole batch. Grouping is the worker's own (groupRecordings).
 */
import { HeimdallError, type HeimdallErrorName } from '../../src/core/errors';
import type { Manifest, ManifestEntry } from '../../src/core/modelMetadata';
import type { ServingManifest } from '../../src/core/servingManifest';
import type { RecordingInfo } from '../../src/core/readers/types';
import { errorInfo } from '../../workers/errorInfo';
import { groupRecordings } from '../../workers/groupScenes';
import type { LocateTdoaReply, LocateTdoaRequest } from '../../workers/locateTdoa';
import type {
  BatchItemEvent,
  BatchResult,
  GroupScenesOptions,
  OpenFilesResult,
  PredictionResult,
  PredictRequest,
} from '../../workers/types';
import { CONSTELLATION, prediction, recording } from './fixtures';

export interface Deferred<T> {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (err: unknown) => void;
  settled: boolean;
}

export function deferred<T>(): Deferred<T> {
  const d = { settled: false } as Deferred<T>;
  d.promise = new Promise<T>((resolve, reject) => {
    d.resolve = (v) => {
      d.settled = true;
      resolve(v);
    };
    d.reject = (e) => {
      d.settled = true;
      reject(e);
    };
  });
  return d;
}

/** A TDoA request (workers/locateTdoa.ts) the test answers itself. */
export interface TdoaCall {
  request: LocateTdoaRequest;
  reply: Deferred<LocateTdoaReply>;
}

export interface PredictCall {
  sceneId: string;
  requestId: string;
  reply: Deferred<PredictionResult>;
}

export const MANIFEST: ServingManifest = {
  schema: 'heimdall.manifest/1',
  generated: '2026-12-01T00:00:00Z',
  models: [
    {
      version: '1.1.0',
      stage: 'production',
      constellation: CONSTELLATION,
    } as unknown as ManifestEntry,
  ],
  networkModels: [],
};

/** Three recordings (one per receiver) per scene, scene k captured k minutes after noon. */
export function sceneRecordings(count: number, firstId = 1) {
  return Array.from({ length: count }, (_, k) =>
    CONSTELLATION.receivers.map((r, i) => {
      const id = String(firstId + k * 3 + i);
      const minute = String(k).padStart(2, '0');
      return recording(id, `scene${k}-${r.id}.sigmf-data`, {
        receiverHint: r.id,
        captureTime: `2026-01-01T12:${minute}:00.000Z`,
      });
    }),
  ).flat();
}

interface FakeBatch {
  batchId: string;
  queue: { request: PredictRequest; index: number }[];
  running: number;
  ended: number;
  total: number;
  concurrency: number;
  onItem?: (e: BatchItemEvent) => void;
  reply: Deferred<BatchResult>;
}

export function createFakeBridge() {
  const predicts: PredictCall[] = [];
  const cancels: string[] = [];
  const batches: FakeBatch[] = [];
  const tdoaCalls: TdoaCall[] = [];
  /** What the worker has open, by id (filled by openFiles replies the test gives). */
  const openRecordings = new Map<string, { info: RecordingInfo }>();
  const startNext = (b: FakeBatch) => {
    while (b.running < b.concurrency && b.queue.length > 0 && !b.reply.settled) {
      const { request, index } = b.queue.shift()!;
      b.running++;
      b.onItem?.({ index, sceneId: request.sceneId, state: 'started' });
      const reply = deferred<PredictionResult>();
      predicts.push({ sceneId: request.sceneId, requestId: `${b.batchId}/${index}`, reply });
      reply.promise.then(
        (result) => settleItem(b, { index, sceneId: request.sceneId, state: 'done', result }),
        (err) => {
          if ((err as Error).name === 'WorkerLostError') {
            if (!b.reply.settled) b.reply.reject(err);
            return;
          }
          settleItem(b, {
            index,
            sceneId: request.sceneId,
            state: 'failed',
            error: errorInfo(err),
          });
        },
      );
    }
  };
  const settleItem = (b: FakeBatch, e: BatchItemEvent) => {
    if (b.reply.settled) return;
    b.running--;
    b.ended++;
    b.onItem?.(e);
    if (b.ended === b.total) {
      b.reply.resolve({ batchId: b.batchId, items: [], succeeded: 0, failed: 0 });
    } else startNext(b);
  };
  const manifest = deferred<Manifest & { source: string }>();
  const prepared = deferred<{ active: { version: string }; staging: null }>();
  const opened: Deferred<OpenFilesResult>[] = [];
  const knownInfo = new Map<string, RecordingInfo>();
  /** Each closeFiles call's ids, in order. */
  const closed: (string[] | undefined)[] = [];
  let closeError: Error | null = null;
  const bridge = {
    predicts,
    cancels,
    manifest,
    prepared,
    opened,
    batches,
    configure: async () => undefined,
    subscribe: async () => () => undefined,
    onRestart: () => () => undefined,
    loadManifest: () => manifest.promise,
    prepare: () => prepared.promise,
    metrics: async () => {
      throw new Error('no metrics in this test');
    },
    openFiles: () => {
      const d = deferred<OpenFilesResult>();
      opened.push(d);
      void d.promise.then((r) => r.recordings.forEach((x) => openRecordings.set(x.id, x)));
      return d.promise;
    },
    /** The worker's grouping, over what the test opened (or put in the store directly). */
    groupScenes: async (options: GroupScenesOptions = {}) =>
      groupRecordings(
        (options.recordingIds ?? [...openRecordings.keys()]).map((id) => [
          id,
          openRecordings.get(id) ?? { info: knownInfo.get(id)! },
        ]),
        CONSTELLATION,
        options,
      ),
    /** Recordings the worker has open without an openFiles call (a test that sets the store). */
    knowRecordings(recs: readonly { id: string; info: RecordingInfo }[]) {
      for (const r of recs) knownInfo.set(r.id, r.info);
    },
    predictBatch: (
      requests: PredictRequest[],
      _onProgress: unknown,
      options: { batchId: string; concurrency?: number },
      onItem?: (e: BatchItemEvent) => void,
    ) => {
      const b: FakeBatch = {
        batchId: options.batchId,
        queue: requests.map((request, index) => ({ request, index })),
        running: 0,
        ended: 0,
        total: requests.length,
        concurrency: options.concurrency ?? 16,
        onItem,
        reply: deferred<BatchResult>(),
      };
      batches.push(b);
      startNext(b);
      return b.reply.promise;
    },
    tdoaCalls,
    locateTdoa: (request: LocateTdoaRequest) => {
      const reply = deferred<LocateTdoaReply>();
      tdoaCalls.push({ request, reply });
      return reply.promise;
    },
    closed,
    closeFiles: async (ids?: string[]) => {
      closed.push(ids);
      if (closeError) throw closeError;
      return ids?.length ?? 0;
    },
    /** Makes every closeFiles call from now on fail with `err` (a worker lost meanwhile). */
    failCloses(err: Error) {
      closeError = err;
    },
    cancel: async (requestId: string) => {
      cancels.push(requestId);
      return true;
    },
    /** Answers every open prediction (optionally only those matching) with a result. */
    answerAll(version = '1.1.0', filter: (c: PredictCall) => boolean = () => true) {
      for (const c of predicts)
        if (!c.reply.settled && filter(c))
          c.reply.resolve({ ...prediction(c.sceneId, 45, 8), modelVersion: version });
    },
    /** Fails every open prediction with the named error. */
    failAll(name: HeimdallErrorName, message = 'failed in the fake bridge') {
      for (const c of predicts)
        if (!c.reply.settled) c.reply.reject(new HeimdallError(name, message));
    },
    open(): PredictCall[] {
      return predicts.filter((c) => !c.reply.settled);
    },
  };
  return bridge;
}

export type FakeBridge = ReturnType<typeof createFakeBridge>;

/** Lets every pending promise continuation run (the actions chain several awaits). */
export async function flush(rounds = 20): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise<void>((r) => setImmediate(r));
}
