import { proxy } from 'comlink';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { noiseScene } from '../../e2e/support/scenes';
import { TEST_REGISTRY } from '../../e2e/support/registries';
import preprocessing from '../../training/preprocessing.json';
import type { Preprocessing } from '../../src/core/modelMetadata';
import type { BatchItemEvent, BatchProgress, PredictRequest } from '../../workers/types';
import { connect, serverDouble, type Connected, type ServerDouble } from './harness';

const P = preprocessing as Preprocessing;
const scene = (i: number): PredictRequest => {
  const s = noiseScene(13, i, 3, P);
  return { sceneId: s.sceneId, iq: s.iq };
};

describe('batches and cancellation', () => {
  let server: ServerDouble;
  let engine: Connected;

  beforeAll(async () => {
    server = await serverDouble(TEST_REGISTRY);
    engine = await connect(server.fetch);
    await engine.api.prepare('1.0.0');
  });
  afterAll(async () => {
    await engine.close();
    await server.close();
  });

  it('completes every good scene of a batch that holds bad ones, reporting progress', async () => {
    const corrupt = scene(1) as { sceneId: string; iq: Float32Array[] };
    corrupt.iq[2][100] = Number.NaN;
    const short = scene(2) as { sceneId: string; iq: Float32Array[] };
    short.iq[0] = short.iq[0].slice(0, 1000);
    const missing = scene(3) as { sceneId: string; iq: Float32Array[] };
    missing.iq.pop();
    const scenes = [scene(0), corrupt, scene(4), short, missing, scene(5)];
    const progress: BatchProgress[] = [];
    const result = await engine.api.predictBatch(
      scenes,
      proxy((p: BatchProgress) => void progress.push(p)),
      { batchId: 'b1' },
    );
    expect(result).toMatchObject({ batchId: 'b1', succeeded: 3, failed: 3 });
    expect(result.items.map((i) => (i.ok ? 'ok' : i.error.name))).toEqual([
      'ok',
      'CorruptFileError',
      'ok',
      'TooShortError',
      'SceneIncompleteError',
      'ok',
    ]);
    expect(result.items[1]).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('receiver genova') },
    });
    expect(result.items.map((i) => i.sceneId)).toEqual(scenes.map((s) => s.sceneId));
    await new Promise((r) => setTimeout(r, 20));
    expect(progress.at(-1)).toEqual({ batchId: 'b1', done: 6, failed: 3, total: 6 });
    const m = await engine.api.metrics();
    expect(m.errorsByName).toMatchObject({
      CorruptFileError: 1,
      TooShortError: 1,
      SceneIncompleteError: 1,
    });
    expect(m.batchSize.count).toBeGreaterThan(0);
  });

  it('streams each scene as it starts and ends, results and log-mel images with them', async () => {
    const bad = scene(61) as { sceneId: string; iq: Float32Array[] };
    bad.iq[1][10] = Number.NaN;
    const scenes = [scene(60), bad, scene(62)];
    const events: BatchItemEvent[] = [];
    const result = await engine.api.predictBatch(
      scenes,
      undefined,
      { batchId: 'b-stream', includeLogMel: true, concurrency: 2 },
      proxy((e: BatchItemEvent) => void events.push(e)),
    );
    // The page has every scene's end before the reply, which then holds no results.
    expect(result).toMatchObject({ batchId: 'b-stream', items: [], succeeded: 2, failed: 1 });
    for (const [i, s] of scenes.entries()) {
      const mine = events.filter((e) => e.index === i).map((e) => e.state);
      expect(mine).toEqual(['started', i === 1 ? 'failed' : 'done']);
      expect(events.find((e) => e.index === i)?.sceneId).toBe(s.sceneId);
    }
    const done = events.find((e) => e.state === 'done' && e.index === 0);
    expect(done?.state === 'done' && done.result.method).toBe('model');
    expect(done?.state === 'done' && done.result.logMel?.[0].data).toBeInstanceOf(Float32Array);
    const failed = events.find((e) => e.state === 'failed');
    expect(failed?.state === 'failed' && failed.error.name).toBe('CorruptFileError');
  });

  it('cancels a request cooperatively; its result is never delivered', async () => {
    const pending = engine.api.predictScene(scene(40), { requestId: 'r-cancel' });
    expect(await engine.api.cancel('r-cancel')).toBe(true);
    await expect(pending).rejects.toMatchObject({
      name: 'CancelledError',
      message: expect.stringContaining('r-cancel'),
    });
    expect(await engine.api.cancel('r-cancel')).toBe(false); // no longer in flight
    expect((await engine.api.metrics()).cancelled).toBeGreaterThanOrEqual(1);
    // The engine keeps serving, and the same id may be used again.
    expect((await engine.api.predictScene(scene(40), { requestId: 'r-cancel' })).sceneId).toBe(
      scene(40).sceneId,
    );
  });

  it('cancels the rest of a batch, keeping what finished', async () => {
    let cancelled = false;
    const result = await engine.api.predictBatch(
      Array.from({ length: 60 }, (_, i) => scene(100 + i)),
      proxy((p: BatchProgress) => {
        if (!cancelled && p.done >= 1) {
          cancelled = true;
          void engine.api.cancel('b-cancel');
        }
      }),
      { batchId: 'b-cancel', concurrency: 2 },
    );
    const names = result.items.map((i) => (i.ok ? 'ok' : i.error.name));
    expect(names.filter((n) => n === 'ok').length).toBeGreaterThanOrEqual(1);
    expect(names.filter((n) => n === 'CancelledError').length).toBeGreaterThan(30);
    expect(names.every((n) => n === 'ok' || n === 'CancelledError')).toBe(true);
  });

  it('reports stage latency percentiles over a bounded window', async () => {
    await engine.api.configure({ metricsWindow: 16 });
    await engine.api.predictBatch(Array.from({ length: 40 }, (_, i) => scene(300 + i)));
    const m = await engine.api.metrics();
    expect(m.stagesMs.total.count).toBe(16);
    for (const stage of ['read', 'preprocess', 'cache', 'inference', 'decode', 'total'] as const) {
      const s = m.stagesMs[stage];
      expect(s.p50).toBeLessThanOrEqual(s.p95);
      expect(s.p95).toBeLessThanOrEqual(s.p99);
    }
    expect(m.stagesMs.total.p50).toBeGreaterThan(0);
    expect(m.requests).toBe(40);
  });
});
