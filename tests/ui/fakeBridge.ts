/**
 * A stand-in for src/bridge/inferenceBridge.ts in the UI action tests: every engine call returns a
 * promise the test settles itself, so a test decides the order of events (files before model,
 * model before files, a worker lost mid-batch, a request that never answers).
 */
import { HeimdallError, type HeimdallErrorName } from '../../src/core/errors';
import type { Manifest, ManifestEntry } from '../../src/core/modelMetadata';
import type { OpenFilesResult, PredictionResult } from '../../workers/types';
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

export interface PredictCall {
  sceneId: string;
  requestId: string;
  reply: Deferred<PredictionResult>;
}

export const MANIFEST: Manifest = {
  schema: 'heimdall.manifest/1',
  generated: '2026-12-01T00:00:00Z',
  models: [
    {
      version: '1.1.0',
      stage: 'production',
      constellation: CONSTELLATION,
    } as unknown as ManifestEntry,
  ],
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

export function createFakeBridge() {
  const predicts: PredictCall[] = [];
  const cancels: string[] = [];
  const manifest = deferred<Manifest & { source: string }>();
  const prepared = deferred<{ active: { version: string }; staging: null }>();
  const opened: Deferred<OpenFilesResult>[] = [];
  const bridge = {
    predicts,
    cancels,
    manifest,
    prepared,
    opened,
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
      return d.promise;
    },
    closeFiles: async () => 0,
    predictScene: (request: { sceneId: string }, options: { requestId: string }) => {
      const reply = deferred<PredictionResult>();
      predicts.push({ sceneId: request.sceneId, requestId: options.requestId, reply });
      return reply.promise;
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
