/**
 * Locating scenes. Each scene is its own request, a few in flight at once (the worker batches
 * concurrent inferences), so results stream in one by one and a failing scene shows its error
 * while the others go on.
 *
 * Every scene a batch takes on ends in done, error or cancelled, whatever happens meanwhile:
 * - Cancel ends the batch at once. The worker is told, but not waited for: a request queued
 *   behind much other work there may take long to hear of it, and the operator's Cancel must not.
 * - A worker that dies rejects its requests with WorkerLostError; the bridge restarts it and
 *   those scenes go back to the front of the queue (twice at most: a scene that kills the worker
 *   every time is reported, not retried for ever). Results already shown stay.
 * - A newer batch (a model switch re-locates) takes over its scenes: a status is written only by
 *   the batch that owns the scene, so an older batch finishing late never overwrites it.
 * The pool is a loop per slot, not a call per scene: nothing grows with the number of scenes.
 */
import { getInferenceBridge } from '../bridge/inferenceBridge';
import { waitForModel } from './modelReady';
import { deriveScenes, toUiError } from './scenes';
import { activeEntry } from './selectors';
import { getState, useStore } from './store';
import type { SceneRun } from './types';

/** Enough to keep the worker's batching runner fed; more would only delay the first result. */
const CONCURRENCY = 4;
/** Times a scene may lose its request with the worker before it is reported as failed. */
const MAX_WORKER_LOSSES = 2;

interface Batch {
  readonly total: number;
  readonly queue: string[];
  /** Scene id -> its request id in the worker. */
  readonly inFlight: Map<string, string>;
  readonly losses: Map<string, number>;
  readonly abort: AbortController;
  ended: boolean;
  located: number;
  failed: number;
}

let current: Batch | null = null;
/** The batch whose status a scene shows; only that batch may change it. */
const owner = new Map<string, Batch>();
let nextRequest = 1;

function update(batch: Batch, sceneId: string, run: SceneRun): void {
  if (owner.get(sceneId) === batch) getState().setRun(sceneId, run);
}

/** Locates the given scenes (a demo clicked before the model is ready runs when it is). */
export async function locateScenes(sceneIds: string[]): Promise<void> {
  if (sceneIds.length === 0) return;
  await cancelBatch();
  const batch: Batch = {
    total: sceneIds.length,
    queue: [...sceneIds],
    inFlight: new Map(),
    losses: new Map(),
    abort: new AbortController(),
    ended: false,
    located: 0,
    failed: 0,
  };
  current = batch;
  for (const id of sceneIds) {
    owner.set(id, batch);
    update(batch, id, { status: 'queued', progress: 0 });
  }
  useStore.setState({ batchRunning: true, notice: `Locating ${sceneIds.length} scene(s)…` });
  if (!(await waitForModel(batch.abort.signal))) {
    if (!batch.abort.signal.aborted) {
      for (const id of batch.queue.splice(0))
        update(batch, id, {
          status: 'error',
          progress: 1,
          error: { name: 'ModelLoadError', message: 'the model is not available' },
        });
    }
    end(batch);
    return;
  }
  const slot = async () => {
    // Checked before taking a scene: what is left in the queue is marked cancelled by end().
    while (!batch.abort.signal.aborted) {
      const sceneId = batch.queue.shift();
      if (sceneId === undefined) break;
      await locateOne(batch, sceneId);
    }
  };
  const slots = Promise.all(Array.from({ length: Math.min(CONCURRENCY, sceneIds.length) }, slot));
  // Cancelled, the batch is over for its caller at once, not when the worker gets round to it.
  const cancelled = new Promise<void>((resolve) =>
    batch.abort.signal.addEventListener('abort', () => resolve(), { once: true }),
  );
  await Promise.race([slots, cancelled]);
  end(batch);
}

/** Settles a batch once: what it has not finished is cancelled, the notice sums it up. */
function end(batch: Batch): void {
  if (batch.ended) return;
  batch.ended = true;
  const cancelled = batch.abort.signal.aborted;
  if (cancelled) {
    for (const id of [...batch.queue.splice(0), ...batch.inFlight.keys()])
      update(batch, id, { status: 'cancelled', progress: 0 });
  }
  if (current !== batch) return;
  current = null;
  const { located, failed, total } = batch;
  useStore.setState({
    batchRunning: false,
    notice: cancelled
      ? `Cancelled; ${located} located.`
      : `Located ${located} of ${total} scene(s)${failed ? `, ${failed} failed` : ''}.`,
  });
}

/** One scene. Stale results (a newer batch owns the scene) are dropped. */
async function locateOne(batch: Batch, sceneId: string): Promise<void> {
  const s = getState();
  const scene = deriveScenes(s.recordings, activeEntry(s)?.constellation ?? null).scenes.find(
    (x) => x.id === sceneId,
  );
  const recordingIds = scene?.recordingIds.filter((x): x is string => x !== null) ?? [];
  if (!scene || scene.missingReceiverIds.length > 0) {
    batch.failed++;
    update(batch, sceneId, {
      status: 'error',
      progress: 1,
      error: {
        name: 'SceneIncompleteError',
        message: `scene ${sceneId} lacks ${scene?.missingReceiverIds.join(', ') ?? 'its recordings'}`,
      },
    });
    return;
  }
  const requestId = `ui-${nextRequest++}`;
  batch.inFlight.set(sceneId, requestId);
  update(batch, sceneId, { status: 'running', progress: 0.5, stage: 'running' });
  try {
    const result = await getInferenceBridge().predictScene(
      { sceneId, recordingIds },
      { requestId, includeLogMel: true },
    );
    // A result that was on its way when Cancel was pressed is still this scene's answer: kept.
    if (owner.get(sceneId) !== batch) return;
    getState().setPrediction({ ...result, finishedAtMs: Date.now() });
    getState().setRun(sceneId, { status: 'done', progress: 1 });
    batch.located++;
  } catch (err) {
    const error = toUiError(err);
    if (batch.abort.signal.aborted) return; // already shown as cancelled
    const losses = (batch.losses.get(sceneId) ?? 0) + 1;
    if (error.name === 'WorkerLostError' && losses < MAX_WORKER_LOSSES) {
      batch.losses.set(sceneId, losses);
      batch.queue.unshift(sceneId);
      update(batch, sceneId, { status: 'queued', progress: 0 });
      return;
    }
    if (error.name !== 'CancelledError') batch.failed++;
    update(
      batch,
      sceneId,
      error.name === 'CancelledError'
        ? { status: 'cancelled', progress: 0 }
        : { status: 'error', progress: 1, error },
    );
  } finally {
    batch.inFlight.delete(sceneId);
  }
}

/** Ends the running batch now; the worker drops its requests when it hears of it. */
export async function cancelBatch(): Promise<void> {
  const batch = current;
  if (!batch) return;
  batch.abort.abort();
  const requestIds = [...batch.inFlight.values()];
  end(batch);
  const bridge = getInferenceBridge();
  // Not awaited: a busy or restarting worker answers late, and nothing here depends on it.
  for (const id of requestIds) void bridge.cancel(id).catch(() => false);
}

/**
 * Runs again every scene that has a result, and every scene the running batch has not finished
 * (after a model switch), so none is left cancelled by the switch.
 */
export async function relocateAll(): Promise<void> {
  const ids = new Set(Object.keys(getState().predictions));
  if (current) for (const id of [...current.inFlight.keys(), ...current.queue]) ids.add(id);
  await locateScenes([...ids]);
}
