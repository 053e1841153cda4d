/**
 * predictBatch(): many scenes, each its own request (one bad scene never fails the batch), run a
 * few at a time so that their inferences meet in the session runner and go through as batches.
 * Cancelling the batch id cancels every scene not yet finished.
 */
import type { Engine } from './engine';
import { errorInfo } from './errorInfo';
import { predictScene } from './predict';
import { newRequestId } from './requests';
import { throttle } from './throttle';
import type { BatchItem, BatchProgress, BatchResult, PredictRequest } from './types';

export interface BatchOptions {
  batchId?: string;
  includeLogMel?: boolean;
  /** Scenes in flight at once; default the runner's maxBatch. */
  concurrency?: number;
}

export async function predictBatch(
  engine: Engine,
  scenes: PredictRequest[],
  onProgress?: (p: BatchProgress) => unknown,
  options: BatchOptions = {},
): Promise<BatchResult> {
  const batchId = options.batchId ?? newRequestId();
  const parent = engine.requests.begin(batchId);
  const report = throttle(onProgress, 100);
  const items: BatchItem[] = new Array(scenes.length);
  let next = 0;
  let done = 0;
  let failed = 0;
  const runNext = async (): Promise<void> => {
    while (next < scenes.length) {
      const i = next++;
      const sceneId = typeof scenes[i]?.sceneId === 'string' ? scenes[i].sceneId : `#${i}`;
      try {
        const result = await predictScene(
          engine,
          scenes[i],
          { requestId: `${batchId}/${i}`, includeLogMel: options.includeLogMel },
          parent,
        );
        items[i] = { sceneId, ok: true, result };
      } catch (err) {
        items[i] = { sceneId, ok: false, error: errorInfo(err) };
        failed++;
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
  return { batchId, items, succeeded: done - failed, failed };
}
