/**
 * Requests sent together meet in one session.run (workers/sessionRunner.ts) and get, bit for
 * bit, what each gets alone: the model's rows do not depend on the batch they ran in.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simulatedScene } from '../../e2e/support/scenes';
import { TEST_REGISTRY, versionDir } from '../../e2e/support/registries';
import { nodeReference } from '../../e2e/support/nodeReference';
import type { PredictionResult, PredictRequest } from '../../workers/types';
import { connect, serverDouble, type Connected, type ServerDouble } from './harness';

const SCENES = 12;

/** Every number of an estimate, as the bits of a float64, so -0 and 0 or NaNs would differ. */
const bits = (r: PredictionResult) =>
  [r.lat, r.lon, r.cov.ee, r.cov.en, r.cov.nn].map((v) => {
    const view = new DataView(new ArrayBuffer(8));
    view.setFloat64(0, v);
    return view.getBigUint64(0).toString(16);
  });

describe('batched inference', () => {
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
    it(`forms batches from requests sent together, with bit-identical outputs (model ${version})`, async () => {
      await engine.api.prepare(version);
      const ref = await nodeReference(await versionDir(TEST_REGISTRY, version));
      const { constellation, preprocessing } = ref.model.metadata;
      const scenes = Array.from({ length: SCENES }, (_, i) =>
        simulatedScene(31, i, constellation, preprocessing),
      );
      const request = (i: number): PredictRequest => ({
        sceneId: scenes[i].sceneId,
        iq: scenes[i].iq.map((a) => a.slice()),
      });
      const alone: PredictionResult[] = [];
      for (let i = 0; i < SCENES; i++)
        alone.push(await engine.api.predictScene(request(i), { cache: 'bypass' }));
      const before = await engine.api.metrics();
      const together = await Promise.all(
        scenes.map((_, i) => engine.api.predictScene(request(i), { cache: 'bypass' })),
      );
      const after = await engine.api.metrics();
      // Fewer runs than scenes: some runs carried several scenes.
      const runs = after.batchSize.count - before.batchSize.count;
      expect(runs).toBeLessThan(SCENES);
      expect(after.batchSize.p99).toBeGreaterThan(1);
      expect(together.map(bits)).toEqual(alone.map(bits));
      // Distinct scenes, distinct outputs: the comparison is not of constants.
      expect(new Set(together.map((r) => r.lat)).size).toBe(SCENES);
    });
  }
});
