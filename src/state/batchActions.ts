/**
 * Locating scenes. Each scene is its own request, a few in flight at once (the worker batches
 * concurrent inferences), so results stream in one by one and a failing scene shows its error
 * while the others go on. Cancel stops what is queued and cancels what is in flight.
 */
import { getInferenceBridge } from '../bridge/inferenceBridge';
import { deriveScenes, toUiError } from './scenes';
import { activeEntry } from './selectors';
import { getState, useStore } from './store';

/** Enough to keep the worker's batching runner fed; more would only delay the first result. */
const CONCURRENCY = 4;

let batch: { cancelled: boolean; inFlight: Set<string> } | null = null;
let nextRequest = 1;

/** Waits for the model: a demo clicked before the model is ready still runs when it is. */
async function modelReady(): Promise<boolean> {
  for (;;) {
    const e = getState().engine;
    if (e.state === 'ready') return true;
    if (e.state === 'error') return false;
    await new Promise<void>((resolve) => {
      const unsubscribe = useStore.subscribe((s) => {
        if (s.engine !== e) {
          unsubscribe();
          resolve();
        }
      });
    });
  }
}

export async function locateScenes(sceneIds: string[]): Promise<void> {
  if (sceneIds.length === 0) return;
  if (batch) await cancelBatch();
  const state = getState();
  for (const id of sceneIds) state.setRun(id, { status: 'queued', progress: 0 });
  const current = { cancelled: false, inFlight: new Set<string>() };
  batch = current;
  useStore.setState({ batchRunning: true, notice: `Locating ${sceneIds.length} scene(s)…` });
  if (!(await modelReady())) {
    for (const id of sceneIds)
      getState().setRun(id, {
        status: 'error',
        progress: 1,
        error: { name: 'ModelLoadError', message: 'the model is not available' },
      });
    useStore.setState({ batchRunning: false });
    batch = null;
    return;
  }
  const queue = [...sceneIds];
  let failed = 0;
  const worker = async () => {
    // Check before taking a scene off the queue: what is left there is marked cancelled below.
    while (!current.cancelled && queue.length > 0) {
      if (!(await locateOne(queue.shift()!, current.inFlight))) failed++;
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, sceneIds.length) }, worker));
  if (current.cancelled) {
    for (const id of queue) getState().setRun(id, { status: 'cancelled', progress: 0 });
  }
  if (batch === current) batch = null;
  const done = sceneIds.length - failed - (current.cancelled ? queue.length : 0);
  useStore.setState({
    batchRunning: false,
    notice: current.cancelled
      ? `Cancelled; ${done} located.`
      : `Located ${done} of ${sceneIds.length} scene(s)${failed ? `, ${failed} failed` : ''}.`,
  });
}

/** One scene; returns whether it succeeded. Stale results (scene re-run meanwhile) are dropped. */
async function locateOne(sceneId: string, inFlight: Set<string>): Promise<boolean> {
  const s = getState();
  const scene = deriveScenes(s.recordings, activeEntry(s)?.constellation ?? null).scenes.find(
    (x) => x.id === sceneId,
  );
  const recordingIds = scene?.recordingIds.filter((x): x is string => x !== null) ?? [];
  if (!scene || scene.missingReceiverIds.length > 0) {
    s.setRun(sceneId, {
      status: 'error',
      progress: 1,
      error: {
        name: 'SceneIncompleteError',
        message: `scene ${sceneId} lacks ${scene?.missingReceiverIds.join(', ') ?? 'its recordings'}`,
      },
    });
    return false;
  }
  const requestId = `ui-${nextRequest++}`;
  inFlight.add(requestId);
  s.setRun(sceneId, { status: 'running', progress: 0.5, stage: 'running' });
  try {
    const result = await getInferenceBridge().predictScene(
      { sceneId, recordingIds },
      { requestId, includeLogMel: true },
    );
    getState().setPrediction({ ...result, finishedAtMs: Date.now() });
    getState().setRun(sceneId, { status: 'done', progress: 1 });
    return true;
  } catch (err) {
    const error = toUiError(err);
    getState().setRun(
      sceneId,
      error.name === 'CancelledError'
        ? { status: 'cancelled', progress: 0 }
        : { status: 'error', progress: 1, error },
    );
    return false;
  } finally {
    inFlight.delete(requestId);
  }
}

export async function cancelBatch(): Promise<void> {
  const current = batch;
  if (!current) return;
  current.cancelled = true;
  await Promise.all([...current.inFlight].map((id) => getInferenceBridge().cancel(id)));
}

/** Runs every scene that has a result again (after a model switch), keeping the selection. */
export async function relocateAll(): Promise<void> {
  const ids = Object.keys(getState().predictions);
  await locateScenes(ids);
}
