/**
 * The UI's batches (src/state/batchActions.ts, over the worker's predictBatch) against a fake
 * engine that batches as the worker does: every scene ends in done,
 * error or cancelled whatever happens mid-batch (Cancel with a worker that never answers, a worker
 * lost and restarted, a model switch, a model that fails to load), and no result is lost.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import './memoryStorage';
import { createFakeBridge, flush, MANIFEST, sceneRecordings, type FakeBridge } from './fakeBridge';

let fake: FakeBridge;
vi.mock('../../src/bridge/inferenceBridge', () => ({ getInferenceBridge: () => fake }));

const { cancelBatch, locateScenes, relocateAll } = await import('../../src/state/batchActions');
const { sceneViews } = await import('../../src/state/scenes');
const { getState, useStore } = await import('../../src/state/store');

const SCENES = 8;
let sceneIds: string[];

const statuses = () => sceneIds.map((id) => getState().runs[id]?.status);
const count = (status: string) => statuses().filter((s) => s === status).length;

beforeEach(async () => {
  fake = createFakeBridge();
  const recordings = sceneRecordings(SCENES);
  fake.knowRecordings(recordings);
  const grouping = sceneViews(
    await fake.groupScenes({ recordingIds: recordings.map((r) => r.id) }),
    recordings,
  );
  useStore.setState({
    manifest: MANIFEST,
    engine: { state: 'ready', version: '1.1.0', stagingVersion: null },
    recordings,
    grouping,
    runs: {},
    predictions: {},
    selectedSceneId: null,
    batchRunning: false,
    notice: '',
  });
  sceneIds = grouping.scenes.map((s) => s.id);
  expect(sceneIds).toHaveLength(SCENES);
});

afterEach(async () => {
  await cancelBatch();
});

describe('the batch pool', () => {
  it('locates every scene, a few at a time, and a failing one does not stop the rest', async () => {
    const run = locateScenes(sceneIds);
    await flush();
    expect(fake.open()).toHaveLength(4); // the batch's concurrency
    fake.predicts[1].reply.reject(Object.assign(new Error('bad'), { name: 'InferenceError' }));
    for (let i = 0; i < SCENES && fake.open().length; i++) {
      fake.answerAll();
      await flush();
    }
    await run;
    expect(count('done')).toBe(SCENES - 1);
    expect(count('error')).toBe(1);
    expect(Object.keys(getState().predictions)).toHaveLength(SCENES - 1);
    expect(getState().notice).toBe(`Located ${SCENES - 1} of ${SCENES} scene(s), 1 failed.`);
    expect(getState().batchRunning).toBe(false);
  });

  it('Cancel ends every scene at once even when the worker never answers', async () => {
    const run = locateScenes(sceneIds);
    await flush();
    fake.predicts[0].reply.resolve({
      ...(await import('./fixtures')).prediction(sceneIds[0], 45, 8),
    });
    await flush();
    expect(fake.open()).toHaveLength(4);
    await cancelBatch();
    // No reply from the worker yet, and still: nothing is left queued or running.
    expect(count('running') + count('queued')).toBe(0);
    expect(count('done')).toBe(1);
    expect(count('cancelled')).toBe(SCENES - 1);
    expect(getState().batchRunning).toBe(false);
    expect(getState().notice).toBe('Cancelled; 1 located.');
    await flush();
    // The worker is told once: the batch id cancels every scene it has.
    expect(fake.cancels).toEqual([fake.batches[0].batchId]);
    await run;
    // A result already on its way when Cancel was pressed is kept; the worker's
    // CancelledError for the others changes nothing.
    fake.open()[0].reply.resolve({
      ...(await import('./fixtures')).prediction(fake.open()[0].sceneId, 45, 8),
    });
    fake.failAll('CancelledError');
    await flush();
    expect(count('done')).toBe(2);
    expect(count('cancelled')).toBe(SCENES - 2);
    expect(Object.keys(getState().predictions)).toHaveLength(2);
  });

  it('a lost worker: its scenes are queued again and located, and results already in stay', async () => {
    const run = locateScenes(sceneIds);
    await flush();
    fake.answerAll('1.1.0', (c) => c.sceneId === sceneIds[0]);
    await flush();
    const before = getState().predictions[sceneIds[0]];
    expect(before).toBeDefined();
    fake.failAll('WorkerLostError', 'the inference worker stopped');
    await flush();
    expect(count('error')).toBe(0);
    for (let i = 0; i < SCENES && fake.open().length; i++) {
      fake.answerAll();
      await flush();
    }
    await run;
    expect(count('done')).toBe(SCENES);
    expect(getState().predictions[sceneIds[0]]).toBe(before);
    // The four lost with the worker were asked twice.
    expect(fake.predicts).toHaveLength(SCENES + 4);
  });

  it('a scene whose request is lost with the worker twice is reported, not retried for ever', async () => {
    const run = locateScenes(sceneIds.slice(0, 1));
    await flush();
    fake.failAll('WorkerLostError');
    await flush();
    fake.failAll('WorkerLostError');
    await run;
    expect(getState().runs[sceneIds[0]]).toMatchObject({
      status: 'error',
      error: { name: 'WorkerLostError' },
    });
    expect(fake.predicts).toHaveLength(2);
  });

  it('a model switch mid-batch re-locates every scene; the old batch finishing late changes nothing', async () => {
    const first = locateScenes(sceneIds);
    await flush();
    fake.answerAll('1.0.0', (c) => c.sceneId === sceneIds[0]);
    await flush();
    const old = fake.open();
    // switchVersion: the engine prepares the new version, then re-locates.
    useStore.setState({ engine: { state: 'ready', version: '1.1.0', stagingVersion: null } });
    const second = relocateAll();
    await flush();
    // The old batch's requests answer late, with the old model: dropped.
    for (const c of old)
      c.reply.resolve({
        ...(await import('./fixtures')).prediction(c.sceneId, 1, 1),
        modelVersion: '1.0.0',
      });
    await first;
    for (let i = 0; i < SCENES && fake.open().length; i++) {
      fake.answerAll('1.1.0');
      await flush();
    }
    await second;
    expect(count('done')).toBe(SCENES);
    for (const id of sceneIds) expect(getState().predictions[id]?.modelVersion).toBe('1.1.0');
    expect(getState().notice).toBe(`Located ${SCENES} of ${SCENES} scene(s).`);
  });

  it('Cancel while the model is still loading ends the batch; a model error fails its scenes', async () => {
    useStore.setState({ engine: { state: 'loading', message: '', progress: 0 } });
    const waiting = locateScenes(sceneIds);
    await flush();
    expect(count('queued')).toBe(SCENES);
    await cancelBatch();
    await waiting;
    expect(count('cancelled')).toBe(SCENES);
    expect(fake.predicts).toHaveLength(0);

    const failing = locateScenes(sceneIds);
    await flush();
    useStore.setState({
      engine: { state: 'error', error: { name: 'ModelLoadError', message: 'x' } },
    });
    await failing;
    expect(count('error')).toBe(SCENES);
    expect(getState().batchRunning).toBe(false);
  });
});
