import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { proxy } from 'comlink';
import { SceneFeaturizer } from '../../src/core/sceneFeatures';
import { estimateDifference, nodeReference } from '../../e2e/support/nodeReference';
import { TEST_REGISTRY, versionDir } from '../../e2e/support/registries';
import { simulatedScene } from '../../e2e/support/scenes';
import type { PredictionResult, PredictRequest, PrepareProgress } from '../../workers/types';
import { connect, serverDouble, type Connected, type ServerDouble } from './harness';

const TOLERANCE = 1e-4;
const BATCH_SCENES = 12;

/** Every number of an estimate, as the bits of a float64, so -0 and 0 or NaNs would differ. */
const bits = (r: PredictionResult) =>
  [r.lat, r.lon, r.cov.ee, r.cov.en, r.cov.nn].map((v) => {
    const view = new DataView(new ArrayBuffer(8));
    view.setFloat64(0, v);
    return view.getBigUint64(0).toString(16);
  });

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

  // Requests sent together meet in one session.run (workers/sessionRunner.ts) and get, bit for
  // bit, what each gets alone: a row does not depend on the batch it ran in.
  for (const version of ['1.0.0', '1.1.0']) {
    it(`forms batches from requests sent together, with bit-identical outputs (model ${version})`, async () => {
      await engine.api.prepare(version);
      const ref = await nodeReference(await versionDir(TEST_REGISTRY, version));
      const { constellation, preprocessing } = ref.model.metadata;
      const scenes = Array.from({ length: BATCH_SCENES }, (_, i) =>
        simulatedScene(31, i, constellation, preprocessing),
      );
      const request = (i: number): PredictRequest => ({
        sceneId: scenes[i].sceneId,
        iq: scenes[i].iq.map((a) => a.slice()),
      });
      const alone: PredictionResult[] = [];
      for (let i = 0; i < BATCH_SCENES; i++)
        alone.push(await engine.api.predictScene(request(i), { cache: 'bypass' }));
      const before = await engine.api.metrics();
      const together = await Promise.all(
        scenes.map((_, i) => engine.api.predictScene(request(i), { cache: 'bypass' })),
      );
      const after = await engine.api.metrics();
      // Fewer runs than scenes: some runs carried several scenes.
      const runs = after.batchSize.count - before.batchSize.count;
      expect(runs).toBeLessThan(BATCH_SCENES);
      expect(after.batchSize.p99).toBeGreaterThan(1);
      expect(together.map(bits)).toEqual(alone.map(bits));
      // Distinct scenes, distinct outputs: the comparison is not of constants.
      expect(new Set(together.map((r) => r.lat)).size).toBe(BATCH_SCENES);
    });
  }
});
