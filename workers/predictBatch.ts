/**
 * predictBatch(): many scenes, each its own request (one bad scene never fails the batch), run a
 * few at a time so that their inferences meet in the session runner and go through as batches.
 * Cancelling the batch id cancels every scene not yet finished.
 *
 * With `onItem`, each scene's start and end are reported as they happen and its result goes with
 * its end (so a page shows results one by one and knows which scenes were in flight if the
 * worker dies); the reply then holds no items, so a long batch keeps no results here.
 */
import { transfer } from 'comlink';
import type { Engine } from './engine';
import { errorInfo } from './errorInfo';
import { predictScene } from './predict';
import { newRequestId } from './requests';
import { throttle } from './throttle';
import type {
  BatchItem,
  BatchItemEvent,
  BatchProgress,
  BatchResult,
  PredictRequest,
  PredictionResult,
} from './types';

export interface BatchOptions {
  batchId?: string;
  includeLogMel?: boolean;
  /** Scenes in flight at once; default the runner's maxBatch. */
  concurrency?: number;
}

/** The logMel buffers of results, to transfer instead of copying (each has its own buffer). */
export function logMelBuffers(results: PredictionResult[]): ArrayBuffer[] {
  return results.flatMap((r) => (r.logMel ?? []).map((l) => l.data.buffer as ArrayBuffer));
}

export async function predictBatch(
  engine: Engine,
  scenes: PredictRequest[],
  onProgress?: (p: BatchProgress) => unknown,
  options: BatchOptions = {},
  onItem?: (e: BatchItemEvent) => unknown,
): Promise<BatchResult> {
  const batchId = options.batchId ?? newRequestId();
  const parent = engine.requests.begin(batchId);
  // The batch's recordings, taken now: a scene that starts after one was closed (a file dropped
  // again closes the copy it replaced) still reads what the batch was asked for.
  const held = engine.recordings.pick(namedIds(scenes));
  const report = throttle(onProgress, 100);
  const items: BatchItem[] = new Array(scenes.length);
  let next = 0;
  let done = 0;
  let failed = 0;
  const runNext = async (): Promise<void> => {
    while (next < scenes.length) {
      const i = next++;
      const sceneId = typeof scenes[i]?.sceneId === 'string' ? scenes[i].sceneId : `#${i}`;
      if (onItem) void tell(onItem, { index: i, sceneId, state: 'started' });
      let item: BatchItem;
      try {
        const result = await predictScene(
          engine,
          scenes[i],
          { requestId: `${batchId}/${i}`, includeLogMel: options.includeLogMel },
          parent,
          held,
        );
        item = { sceneId, ok: true, result };
      } catch (err) {
        item = { sceneId, ok: false, error: errorInfo(err) };
        failed++;
      }
      if (onItem) {
        // Awaited: the page has each result before the batch's reply, which comes on another port.
        await tell(
          onItem,
          item.ok
            ? transfer(
                { index: i, sceneId, state: 'done', result: item.result },
                logMelBuffers([item.result]),
              )
            : { index: i, sceneId, state: 'failed', error: item.error },
        );
      } else {
        items[i] = item;
      }
      done++;
      report({ batchId, done, failed, total: scenes.length });
    }
  };
  const concurrency = Math.max(
    1,
    Math.min(options.concurrency ?? engine.config.maxBatch, scenes.length),
  );
  try {
    await Promise.all(Array.from({ length: concurrency }, runNext));
  } finally {
    engine.requests.end(batchId);
  }
  report({ batchId, done, failed, total: scenes.length }, true);
  return { batchId, items: onItem ? [] : items, succeeded: done - failed, failed };
}

/** The recording ids the scenes name; a malformed scene names none (it fails on its own). */
function namedIds(scenes: readonly PredictRequest[]): string[] {
  return scenes.flatMap((s) => {
    const ids = (s as { recordingIds?: unknown } | null)?.recordingIds;
    return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string') : [];
  });
}

/** Reports to the caller; a caller whose handler fails must not fail the batch. */
async function tell(onItem: (e: BatchItemEvent) => unknown, e: BatchItemEvent): Promise<void> {
  try {
    await onItem(e);
  } catch {
    // The page went away or its handler threw: the scenes still run to their end here.
  }
}
