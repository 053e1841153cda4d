/**
 * Work that starts by itself (the demo) starts when the later of the model and the files is
 * ready, in every order they can finish in. Once, opened before the model list had arrived, the
 * demo found no scenes and nothing was ever located (3 fresh visits in 15).
 */
import './memoryStorage';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createFakeBridge, flush, MANIFEST, sceneRecordings, type FakeBridge } from './fakeBridge';

let fake: FakeBridge;
vi.mock('../../src/bridge/inferenceBridge', () => ({ getInferenceBridge: () => fake }));

const SCENES = 8;
type Step = 'manifest' | 'model' | 'files';

/** Fresh modules per case: bootEngine runs once per page, and the store starts empty. */
async function freshApp() {
  vi.resetModules();
  fake = createFakeBridge();
  const { bootEngine } = await import('../../src/state/engineActions');
  const { openAndLocate } = await import('../../src/state/fileActions');
  const { getState } = await import('../../src/state/store');
  return { bootEngine, openAndLocate, getState };
}

async function runInOrder(order: Step[]) {
  const app = await freshApp();
  const recordings = sceneRecordings(SCENES);
  void app.bootEngine();
  const files = recordings.map((r) => new File([new Uint8Array(8)], r.name));
  const demo = app.openAndLocate(files);
  await flush();
  for (const step of order) {
    if (step === 'manifest') fake.manifest.resolve({ ...MANIFEST, source: 'server' });
    if (step === 'model') fake.prepared.resolve({ active: { version: '1.1.0' }, staging: null });
    if (step === 'files')
      fake.opened[0].resolve({
        recordings: recordings.map((r) => ({ id: r.id, info: r.info })),
        errors: [],
      });
    await flush();
  }
  expect(fake.open()).toHaveLength(4); // located, a few at a time
  for (let i = 0; i < SCENES && fake.open().length; i++) {
    fake.answerAll();
    await flush();
  }
  await demo;
  const runs = Object.values(app.getState().runs);
  expect(runs).toHaveLength(SCENES);
  expect(runs.every((r) => r.status === 'done')).toBe(true);
  expect(app.getState().notice).toBe(`Located ${SCENES} of ${SCENES} scene(s).`);
}

describe('the demo starts on whichever of the model and the files is ready last', () => {
  // The model is prepared only after the model list arrived, so these are all the orders.
  const orders: Step[][] = [
    ['files', 'manifest', 'model'],
    ['manifest', 'files', 'model'],
    ['manifest', 'model', 'files'],
  ];
  for (const order of orders) {
    it(order.join(' -> '), () => runInOrder(order));
  }

  beforeEach(() => vi.clearAllMocks());

  it('a model that fails to load leaves the files open and locates nothing', async () => {
    const app = await freshApp();
    const recordings = sceneRecordings(2);
    void app.bootEngine();
    const demo = app.openAndLocate(recordings.map((r) => new File([], r.name)));
    fake.opened[0].resolve({
      recordings: recordings.map((r) => ({ id: r.id, info: r.info })),
      errors: [],
    });
    fake.manifest.resolve({ ...MANIFEST, source: 'server' });
    await flush();
    fake.prepared.reject(Object.assign(new Error('no session'), { name: 'ModelLoadError' }));
    await demo;
    expect(app.getState().recordings).toHaveLength(6);
    expect(fake.predicts).toHaveLength(0);
    expect(app.getState().engine).toMatchObject({ state: 'error' });
  });
});
