import { proxy } from 'comlink';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  estimateDifference,
  nodeReference,
  type NodeReference,
} from '../../e2e/support/nodeReference';
import {
  copyRegistry,
  TEST_REGISTRY,
  versionDir,
  type RegistryCopy,
} from '../../e2e/support/registries';
import { noiseScene } from '../../e2e/support/scenes';
import preprocessing from '../../training/preprocessing.json';
import type { Preprocessing } from '../../src/core/modelMetadata';
import type { EngineEvent } from '../../workers/types';
import { connect, serverDouble, type Connected, type ServerDouble } from './harness';

const P = preprocessing as Preprocessing;

describe('switching versions under load', () => {
  let registry: RegistryCopy;
  let server: ServerDouble;
  let engine: Connected;
  const refs: Record<string, NodeReference> = {};

  beforeAll(async () => {
    registry = await copyRegistry(TEST_REGISTRY, [
      { version: '1.0.0', stage: 'production', weight: 1, path: 'tiny-1.0.0' },
      { version: '1.1.0', stage: 'staging', weight: 0, path: 'tiny-1.1.0' },
    ]);
    server = await serverDouble(registry.registryPath);
    engine = await connect(server.fetch);
    for (const v of ['1.0.0', '1.1.0'])
      refs[v] = await nodeReference(await versionDir(TEST_REGISTRY, v));
  });
  afterAll(async () => {
    await engine.close();
    await server.close();
    await registry.cleanup();
  });

  it('drops no in-flight prediction, and each is answered wholly by the version it names', async () => {
    await engine.api.prepare('1.0.0');
    const scenes = Array.from({ length: 400 }, (_, i) => noiseScene(21, i, 3, P));
    const predict = (i: number) =>
      engine.api.predictScene({
        sceneId: scenes[i].sceneId,
        iq: scenes[i].iq.map((a) => a.slice()),
      });
    // Keep requests flowing for the whole switch: some start before it, some during, some after.
    const inFlight = [0, 1, 2, 3, 4, 5, 6, 7].map(predict);
    let switchDone = false;
    const switched = engine.api.prepare('1.1.0').finally(() => (switchDone = true));
    while (!switchDone && inFlight.length < scenes.length - 8) {
      inFlight.push(predict(inFlight.length));
      await new Promise((r) => setTimeout(r, 2));
    }
    for (let k = 0; k < 8; k++) inFlight.push(predict(inFlight.length));
    const settled = await Promise.allSettled([...inFlight, switched]);
    expect(settled.filter((s) => s.status === 'rejected')).toEqual([]);
    const results = await Promise.all(inFlight);
    const versions = results.map((r) => r.modelVersion);
    expect(versions[0]).toBe('1.0.0');
    expect(versions.at(-1)).toBe('1.1.0');
    expect(versions.every((v) => v === '1.0.0' || v === '1.1.0')).toBe(true);
    // A result labelled with a version equals that version's reference output: no request was
    // run on a half-loaded session or decoded with the other version's layout.
    for (const [i, r] of results.entries()) {
      const expected = await refs[r.modelVersion].predict(scenes[i].iq);
      expect(estimateDifference(r, expected.estimate)).toBeLessThan(1e-4);
    }
    const after = await engine.api.predictScene({
      sceneId: 'after',
      iq: scenes[0].iq.map((a) => a.slice()),
    });
    expect(after.modelVersion).toBe('1.1.0');
    expect((await engine.api.metrics()).inFlight).toBe(0);
  });

  it('picks up a newly promoted production version by polling the manifest', async () => {
    await engine.api.prepare(); // A/B mode follows the manifest: 1.0.0 in production
    expect((await engine.api.metrics()).activeVersion).toBe('1.0.0');
    const events: EngineEvent[] = [];
    await engine.api.subscribe(proxy((e: EngineEvent) => void events.push(e)));
    await engine.api.configure({ manifestPollMs: 25 });
    await registry.writeModels([
      { version: '1.0.0', stage: 'archived', weight: 0, path: 'tiny-1.0.0' },
      { version: '1.1.0', stage: 'production', weight: 1, path: 'tiny-1.1.0' },
    ]);
    const deadline = Date.now() + 10_000;
    while ((await engine.api.metrics()).activeVersion !== '1.1.0' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 25));
    }
    await engine.api.configure({ manifestPollMs: 0 });
    expect((await engine.api.metrics()).activeVersion).toBe('1.1.0');
    const s = noiseScene(21, 99, 3, P);
    expect((await engine.api.predictScene({ sceneId: s.sceneId, iq: s.iq })).modelVersion).toBe(
      '1.1.0',
    );
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'manifest', production: '1.1.0' }),
    );
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'model-ready', version: '1.1.0', role: 'active' }),
    );
    expect(events).toContainEqual({ type: 'model-retired', version: '1.0.0' });
  });
});
