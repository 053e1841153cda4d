import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { proxy } from 'comlink';
import { SceneFeaturizer } from '../../src/core/sceneFeatures';
import { estimateDifference, nodeReference } from '../../e2e/support/nodeReference';
import { TEST_REGISTRY, versionDir } from '../../e2e/support/registries';
import { simulatedScene } from '../../e2e/support/scenes';
import type { PrepareProgress } from '../../workers/types';
import { connect, serverDouble, type Connected, type ServerDouble } from './harness';

const TOLERANCE = 1e-4;

describe('worker predictions equal the command line (onnxruntime-node)', () => {
  let server: ServerDouble;
  let engine: Connected;

  beforeAll(async () => {
    server = await serverDouble(TEST_REGISTRY);
    engine = await connect(server.fetch);
  });
  afterAll(async () => {
    await engine.close();
    await server.close();
  });

  for (const version of ['1.0.0', '1.1.0']) {
    it(`matches for model ${version} on simulated scenes`, async () => {
      const progress: string[] = [];
      const prepared = await engine.api.prepare(
        version,
        proxy((p: PrepareProgress) => void progress.push(p.phase)),
      );
      expect(prepared.mode).toBe('pinned');
      expect(prepared.active).toMatchObject({
        version,
        executionProvider: 'wasm',
        source: 'network',
      });
      expect(prepared.active.attempts).toEqual([{ executionProvider: 'wasm', ok: true }]);
      expect(progress).toContain('download');
      expect(progress.at(-1)).toBe('ready');

      const ref = await nodeReference(await versionDir(TEST_REGISTRY, version));
      const { constellation, preprocessing } = ref.model.metadata;
      const lats = new Set<number>();
      for (let i = 0; i < 4; i++) {
        const scene = simulatedScene(7, i, constellation, preprocessing);
        const expected = await ref.predict(scene.iq);
        const got = await engine.api.predictScene({
          sceneId: scene.sceneId,
          iq: scene.iq.map((a) => a.slice()),
        });
        expect(got.modelVersion).toBe(version);
        expect(got.arm).toBe('pinned');
        expect(got.cache).toBe('miss');
        expect(estimateDifference(got, expected.estimate)).toBeLessThan(TOLERANCE);
        expect(got.ellipses.map((e) => e.p)).toEqual([0.68, 0.95]);
        lats.add(got.lat);
      }
      // Distinct scenes give distinct outputs, so the comparison above is not of constants.
      expect(lats.size).toBe(4);
    });
  }

  it('returns the log-mel images and levels the features were made from', async () => {
    await engine.api.prepare('1.0.0');
    const ref = await nodeReference(await versionDir(TEST_REGISTRY, '1.0.0'));
    const { constellation, preprocessing } = ref.model.metadata;
    const scene = simulatedScene(8, 0, constellation, preprocessing);
    const expected = new SceneFeaturizer(preprocessing).logMels(scene.iq);
    const got = await engine.api.predictScene(
      { sceneId: scene.sceneId, iq: scene.iq },
      { includeLogMel: true },
    );
    expect(got.logMel).toHaveLength(3);
    got.logMel!.forEach((img, r) => {
      expect(img).toMatchObject({
        receiverId: constellation.receivers[r].id,
        nMels: 128,
        nFrames: 32,
      });
      expect(Array.from(img.data)).toEqual(Array.from(expected[r]));
    });
    const meanDb = expected.map((lm) => lm.reduce((s, v) => s + v, 0) / lm.length);
    got.levelsDb.forEach((db, r) => expect(db).toBeCloseTo(meanDb[r], 4));
    expect(got.receiverIds).toEqual(constellation.receivers.map((r) => r.id));
    for (const stage of ['read', 'preprocess', 'cache', 'inference', 'decode', 'total'] as const) {
      expect(got.timingsMs[stage]).toBeGreaterThanOrEqual(0);
    }
  });
});
