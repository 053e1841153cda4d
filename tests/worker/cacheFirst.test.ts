/**
 * A repeat visit answers cached scenes before onnxruntime starts (workers/cacheFirst.ts). Each
 * visit is a fresh import of the worker's modules (vi.resetModules), as a new page would have:
 * the runtime module's state (loaded or not) belongs to one visit.
 */
import { proxy } from 'comlink';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { noiseScene } from '../../e2e/support/scenes';
import preprocessing from '../../training/preprocessing.json';
import type { Preprocessing } from '../../src/core/modelMetadata';
import type { PrepareProgress } from '../../workers/types';
import { serverDouble, uniquePrefix, type ServerDouble } from './harness';

const P = preprocessing as Preprocessing;
const scene = (i: number) => {
  const s = noiseScene(3, i, 3, P);
  return { sceneId: s.sceneId, iq: s.iq };
};
// The test registry's staging arm is weighted: this browser's share 0 leaves production alone,
// as the shipped registry does (with a staging arm the cached slot is not used).
const config = { stagingShare: 0 };

/** A new page: fresh worker modules (runtime not loaded), the same IndexedDB. */
async function visit(server: ServerDouble, prefix: string) {
  vi.resetModules();
  const harness = await import('./harness');
  const ort = await import('../../workers/ort');
  const engine = await harness.connect(server.fetch, { storagePrefix: prefix, config });
  return { engine, ort };
}

describe('cache first on a repeat visit', () => {
  let server: ServerDouble;
  beforeAll(async () => {
    server = await serverDouble((await import('../../e2e/support/registries')).TEST_REGISTRY);
  });
  afterAll(() => server.close());

  it(
    'answers cached scenes with the runtime not started; a miss starts it, waits and is computed',
    { timeout: 60_000 },
    async () => {
      const prefix = uniquePrefix('cache-first');
      const first = await visit(server, prefix);
      await first.engine.api.prepare();
      const seen = await Promise.all([0, 1].map((i) => first.engine.api.predictScene(scene(i))));
      expect(seen.map((r) => r.cache)).toEqual(['miss', 'miss']);
      await first.engine.close(); // writes the cache through to IndexedDB

      const repeat = await visit(server, prefix);
      expect(repeat.ort.isRuntimeStarted('wasm')).toBe(false);
      let runtimeAtCacheServes: boolean | undefined;
      let cacheServes!: () => void;
      const serving = new Promise<void>((resolve) => (cacheServes = resolve));
      const onProgress = (p: PrepareProgress) => {
        if (!p.cacheServes || runtimeAtCacheServes !== undefined) return;
        runtimeAtCacheServes = repeat.ort.isRuntimeStarted('wasm');
        cacheServes();
      };
      const preparing = repeat.engine.api.prepare(undefined, proxy(onProgress));
      await serving;
      expect(runtimeAtCacheServes).toBe(false);

      const hits = await Promise.all([0, 1].map((i) => repeat.engine.api.predictScene(scene(i))));
      hits.forEach((hit, i) => {
        expect(hit.cache).toBe('hit');
        expect(hit.timingsMs.inference).toBe(0);
        expect(hit.modelVersion).toBe(seen[i].modelVersion);
        expect(hit.executionProvider).toBe('wasm');
        expect([hit.lat, hit.lon, hit.cov]).toEqual([seen[i].lat, seen[i].lon, seen[i].cov]);
      });

      // Not cached: it needs the session, which it starts (if the hold has not let it go yet).
      const miss = await repeat.engine.api.predictScene(scene(7));
      expect(miss.cache).toBe('miss');
      expect(miss.timingsMs.inference).toBeGreaterThan(0);
      expect(repeat.ort.isRuntimeStarted('wasm')).toBe(true);
      const prepared = await preparing;
      expect(prepared.active.source).toBe('indexeddb');
      expect(prepared.active.executionProvider).toBe('wasm');
      // The session's slot serves now, with the same answers.
      const again = await repeat.engine.api.predictScene(scene(7));
      expect(again.cache).toBe('hit');
      expect([again.lat, again.lon]).toEqual([miss.lat, miss.lon]);
      await repeat.engine.close();
    },
  );

  it('a first visit starts the runtime at configure, as before', { timeout: 60_000 }, async () => {
    const fresh = await visit(server, uniquePrefix('cache-first-new'));
    // configure() decides after looking into IndexedDB; nothing is stored on a first visit.
    await expect.poll(() => fresh.ort.isRuntimeStarted('wasm')).toBe(true);
    const prepared = await fresh.engine.api.prepare();
    expect(prepared.active.source).toBe('network');
    await fresh.engine.close();
  });
});
