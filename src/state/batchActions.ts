/**
 * Locating scenes, with the worker's own batch (workers/predictBatch.ts): it runs a few scenes
 * at a time so their inferences meet in its batching runner, and reports each scene's start and
 * result as they happen, so results stream in one by one and a failing scene shows its error
 * while the others go on. The page keeps only what the operator sees.
 *
 * Every scene a batch takes on ends in done, error or cancelled, whatever happens meanwhile:
 * - Cancel ends the batch at once. The worker is told (the batch id cancels every scene in it),
 *   but not waited for: a request queued behind much other work there may take long to hear of
 *   it, and the operator's Cancel must not.
 * - A worker that dies rejects the batch with WorkerLostError; the bridge restarts it and the
 *   scenes without a result go to the new worker as a new batch. A scene that was in flight each
 *   time is reported after MAX_WORKER_LOSSES (a scene that kills the worker every time is not
 *   retried for ever). Results already shown stay.
 * - A newer batch (a model switch re-locates) takes over its scenes: a status is written only by
 *   the batch that owns the scene, so an older batch finishing late never overwrites it.
 */
import {
  getInferenceBridge,
  type BatchItemEvent,
  type PredictRequest,
} from '../bridge/inferenceBridge';
import { waitForModel } from './modelReady';
import { groupingSettled, regroup } from './sceneActions';
import { dueScenes, toUiError } from './scenes';
import { getState, useStore } from './store';
import type { SceneRun, SceneView, UiError } from './types';

/** Enough to keep the worker's batching runner fed; more would only delay the first result. */
const CONCURRENCY = 4;
/** Times a scene may be in flight when the worker dies before it is reported as failed. */
const MAX_WORKER_LOSSES = 2;

interface Batch {
  readonly total: number;
  /** Scenes of the batch not yet ended (done, error or cancelled). */
  readonly open: Set<string>;
  /** Scenes without a result yet, with their requests, in order. */
  readonly pending: Map<string, PredictRequest>;
  /** Scenes the worker has started and not finished. */
  readonly inFlight: Set<string>;
  readonly losses: Map<string, number>;
  readonly abort: AbortController;
  /** The worker's id of the batch round running now (a lost worker starts another round). */
  workerBatchId: string | null;
  ended: boolean;
  located: number;
  failed: number;
}

let current: Batch | null = null;
/** The batch whose status a scene shows; only that batch may change it. */
const owner = new Map<string, Batch>();
let nextBatch = 1;

function update(batch: Batch, sceneId: string, run: SceneRun): void {
  if (run.status !== 'queued' && run.status !== 'running') batch.open.delete(sceneId);
  if (owner.get(sceneId) === batch) getState().setRun(sceneId, run);
}

/**
 * A scene's request, with each recording's station so the worker picks the model that serves it,
 * or why it cannot run (not a scene now, receivers missing, no model serves it).
 */
function requestFor(scene: SceneView | undefined, sceneId: string): PredictRequest | UiError {
  if (!scene)
    return { name: 'SceneIncompleteError', message: `scene ${sceneId} lacks its recordings` };
  if (scene.problem) return scene.problem;
  const present = scene.recordingIds.flatMap((id, i) =>
    id ? [{ id, station: scene.receivers[i] }] : [],
  );
  return {
    sceneId,
    recordingIds: present.map((p) => p.id),
    stations: present.map((p) => p.station),
  };
}

/**
 * Locates the scenes due (the Locate button) as grouped once the latest change is: a recording
 * removed a moment before must not be sent with its old scene, nor a scene located under the id
 * it had before a reassignment.
 */
export async function locateDueScenes(): Promise<void> {
  await groupingSettled();
  const s = getState();
  await locateScenes(dueScenes(s.grouping.scenes, s.predictions).map((sc) => sc.id));
}

/** Locates the given scenes (a demo clicked before the model is ready runs when it is). */
export async function locateScenes(sceneIds: string[]): Promise<void> {
  if (sceneIds.length === 0) return;
  await cancelBatch();
  const batch: Batch = {
    total: sceneIds.length,
    open: new Set(sceneIds),
    pending: new Map(),
    inFlight: new Set(),
    losses: new Map(),
    abort: new AbortController(),
    workerBatchId: null,
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
      for (const id of sceneIds)
        update(batch, id, {
          status: 'error',
          progress: 1,
          error: { name: 'ModelLoadError', message: 'the model is not available' },
        });
    }
    end(batch);
    return;
  }
  // The scenes as grouped now, looked up once for the whole batch.
  const scenes = new Map(getState().grouping.scenes.map((s) => [s.id, s]));
  for (const id of sceneIds) {
    const request = requestFor(scenes.get(id), id);
    if ('sceneId' in request) {
      batch.pending.set(id, request);
      continue;
    }
    batch.failed++;
    update(batch, id, { status: 'error', progress: 1, error: request });
  }
  // Cancelled, the batch is over for its caller at once, not when the worker gets round to it.
  const cancelled = new Promise<void>((resolve) =>
    batch.abort.signal.addEventListener('abort', () => resolve(), { once: true }),
  );
  while (batch.pending.size > 0 && !batch.abort.signal.aborted) {
    if (!(await runRound(batch, cancelled))) break;
  }
  end(batch);
}

/** One predictBatch call over the scenes still pending; false when nothing is worth retrying. */
async function runRound(batch: Batch, cancelled: Promise<void>): Promise<boolean> {
  const workerBatchId = `ui-batch-${nextBatch++}`;
  batch.workerBatchId = workerBatchId;
  const onItem = (e: BatchItemEvent) => {
    if (batch.workerBatchId !== workerBatchId) return; // a lost round's late word
    onBatchItem(batch, e);
  };
  try {
    await Promise.race([
      getInferenceBridge().predictBatch(
        [...batch.pending.values()],
        undefined,
        { batchId: workerBatchId, includeLogMel: true, concurrency: CONCURRENCY },
        onItem,
      ),
      cancelled,
    ]);
    return false;
  } catch (err) {
    if (batch.abort.signal.aborted) return false; // already shown as cancelled
    batch.workerBatchId = null;
    const error = toUiError(err);
    const lost = error.name === 'WorkerLostError';
    // The worker died: what it was working on counts a loss; the rest simply goes again.
    for (const id of [...batch.pending.keys()]) {
      const losses = (batch.losses.get(id) ?? 0) + (batch.inFlight.has(id) ? 1 : 0);
      batch.losses.set(id, losses);
      if (lost && losses < MAX_WORKER_LOSSES) {
        update(batch, id, { status: 'queued', progress: 0 });
        continue;
      }
      batch.pending.delete(id);
      batch.failed++;
      update(batch, id, { status: 'error', progress: 1, error });
    }
    batch.inFlight.clear();
    return lost;
  }
}

/** A scene of the worker's batch started or ended. Stale results (a newer batch owns it) drop. */
function onBatchItem(batch: Batch, e: BatchItemEvent): void {
  if (e.state === 'started') {
    batch.inFlight.add(e.sceneId);
    if (!batch.abort.signal.aborted)
      update(batch, e.sceneId, { status: 'running', progress: 0.5, stage: 'running' });
    return;
  }
  batch.inFlight.delete(e.sceneId);
  batch.pending.delete(e.sceneId);
  if (e.state === 'done') {
    // A result that was on its way when Cancel was pressed is still this scene's answer: kept.
    if (owner.get(e.sceneId) !== batch) return;
    getState().setPrediction({ ...e.result, finishedAtMs: Date.now() });
    update(batch, e.sceneId, { status: 'done', progress: 1 });
    batch.located++;
    return;
  }
  if (batch.abort.signal.aborted) return; // already shown as cancelled
  const cancelledScene = e.error.name === 'CancelledError';
  if (!cancelledScene) batch.failed++;
  update(
    batch,
    e.sceneId,
    cancelledScene
      ? { status: 'cancelled', progress: 0 }
      : { status: 'error', progress: 1, error: e.error },
  );
}

/** Settles a batch once: what it has not finished is cancelled, the notice sums it up. */
function end(batch: Batch): void {
  if (batch.ended) return;
  batch.ended = true;
  const cancelled = batch.abort.signal.aborted;
  if (cancelled) {
    for (const id of [...batch.open]) update(batch, id, { status: 'cancelled', progress: 0 });
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

/**
 * The scenes lost a recording (the operator removed it): what a batch still has on its way for
 * them was made from it, so it is dropped as a newer batch's would drop it, never shown.
 */
export function disownScenes(sceneIds: readonly string[]): void {
  for (const id of sceneIds) owner.delete(id);
}

/** Ends the running batch now; the worker drops its scenes when it hears of it. */
export async function cancelBatch(): Promise<void> {
  const batch = current;
  if (!batch) return;
  batch.abort.abort();
  const workerBatchId = batch.workerBatchId;
  end(batch);
  // Not awaited: a busy or restarting worker answers late, and nothing here depends on it.
  if (workerBatchId)
    void getInferenceBridge()
      .cancel(workerBatchId)
      .catch(() => false);
}

/**
 * Runs again every scene that has a result, and every scene the running batch has not finished
 * (after a model switch), so none is left cancelled by the switch. The scenes are grouped again
 * first: another model may serve another network.
 */
export async function relocateAll(): Promise<void> {
  const ids = new Set(Object.keys(getState().predictions));
  if (current) for (const id of current.pending.keys()) ids.add(id);
  await regroup();
  await locateScenes([...ids]);
}
