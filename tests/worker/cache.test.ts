import { afterEach, beforeAll, afterAll, describe, expect, it, vi } from 'vitest';
import { noiseScene } from '../../e2e/support/scenes';
import { TEST_REGISTRY } from '../../e2e/support/registries';
import preprocessing from '../../training/preprocessing.json';
import type { Preprocessing } from '../../src/core/modelMetadata';
import { SceneFeaturizer } from '../../src/core/sceneFeatures';
import { connect, serverDouble, uniquePrefix, type Connected, type ServerDouble } from './harness';

const P = preprocessing as Preprocessing;
const scene = (i: number) => {
  const s = noiseScene(3, i, 3, P);
  return { sceneId: s.sceneId, iq: s.iq };
};

describe('prediction cache', () => {
  let server: ServerDouble;
  let engine: Connected | undefined;
  let clockMs = Date.UTC(2026, 10, 22);
  const now = () => clockMs;

  beforeAll(async () => {
    server = await serverDouble(TEST_REGISTRY);
  });
  afterEach(async () => {
    await engine?.close();
    engine = undefined;
  });
  afterAll(() => server.close());

  it('answers a repeated scene from the cache with the same estimate, and counts hits and misses', async () => {
    engine = await connect(server.fetch, { now });
    await engine.api.prepare('1.0.0');
    const first = await engine.api.predictScene(scene(0));
    const second = await engine.api.predictScene(scene(0));
    const other = await engine.api.predictScene(scene(1));
    expect([first.cache, second.cache, other.cache]).toEqual(['miss', 'hit', 'miss']);
    expect({ lat: second.lat, lon: second.lon, cov: second.cov }).toEqual({
      lat: first.lat,
      lon: first.lon,
      cov: first.cov,
    });
    expect(second.timingsMs.inference).toBe(0);
    const m = await engine.api.metrics();
    expect(m.cache).toMatchObject({ hits: 1, misses: 2, entries: 2 });
    expect(m.cache.hitRate).toBeCloseTo(1 / 3);
  });

  // workers/inputKeys.ts: a hit found from the scene's samples skips the log-mel features.
  it('answers a scene seen before without computing its features again, with the same result', async () => {
    engine = await connect(server.fetch, { now });
    await engine.api.prepare('1.0.0');
    const first = await engine.api.predictScene(scene(40));
    const logMels = vi.spyOn(SceneFeaturizer.prototype, 'logMels');
    try {
      const again = await engine.api.predictScene(scene(40));
      expect(logMels).not.toHaveBeenCalled();
      expect(again.cache).toBe('hit');
      const { requestId: _a, timingsMs: _ta, cache: _ca, ...sameA } = first;
      const { requestId: _b, timingsMs: _tb, cache: _cb, ...sameB } = again;
      expect(sameB).toEqual(sameA);
      // Features asked for: computed, and still a hit.
      const withLogMel = await engine.api.predictScene(scene(40), { includeLogMel: true });
      expect(logMels).toHaveBeenCalledTimes(1);
      expect(withLogMel.cache).toBe('hit');
      expect(withLogMel.logMel).toHaveLength(3);
      // One sample changed: another scene, computed in full.
      const changed = scene(40);
      changed.iq[1] = changed.iq[1].slice();
      changed.iq[1][7] += 1e-3;
      expect((await engine.api.predictScene(changed)).cache).toBe('miss');
      expect(logMels).toHaveBeenCalledTimes(2);
    } finally {
      logMels.mockRestore();
    }
    expect((await engine.api.metrics()).cache).toMatchObject({ hits: 2, misses: 2 });
  });

  it('bypasses the cache when asked (live windows): no lookup, nothing stored, same estimate', async () => {
    engine = await connect(server.fetch, { now });
    await engine.api.prepare('1.0.0');
    const cached = await engine.api.predictScene(scene(5));
    const bypassed = await engine.api.predictScene(scene(5), { cache: 'bypass' });
    const fresh = await engine.api.predictScene(scene(6), { cache: 'bypass' });
    expect([cached.cache, bypassed.cache, fresh.cache]).toEqual(['miss', 'bypassed', 'bypassed']);
    expect(bypassed.timingsMs.inference).toBeGreaterThan(0);
    expect({ lat: bypassed.lat, lon: bypassed.lon }).toEqual({ lat: cached.lat, lon: cached.lon });
    // The bypassed scene was not stored: asking normally now is a miss, not a hit.
    expect((await engine.api.predictScene(scene(6))).cache).toBe('miss');
    const m = await engine.api.metrics();
    expect(m.cache).toMatchObject({ hits: 0, misses: 2, entries: 2 });
  });

  it('expires entries after the TTL', async () => {
    engine = await connect(server.fetch, { now, config: { cacheTtlMs: 60_000 } });
    await engine.api.prepare('1.0.0');
    expect((await engine.api.predictScene(scene(2))).cache).toBe('miss');
    clockMs += 59_000;
    expect((await engine.api.predictScene(scene(2))).cache).toBe('hit');
    clockMs += 2_000; // 61 s after it was stored: a hit does not extend the TTL
    expect((await engine.api.predictScene(scene(2))).cache).toBe('miss');
    expect((await engine.api.metrics()).cache.expired).toBe(1);
  });

  it('evicts the least recently used entry beyond the size cap', async () => {
    engine = await connect(server.fetch, { now, config: { cacheMaxEntries: 2 } });
    await engine.api.prepare('1.0.0');
    const run = async (i: number) => {
      clockMs += 1;
      return (await engine!.api.predictScene(scene(10 + i))).cache;
    };
    expect(await run(0)).toBe('miss'); // A
    expect(await run(1)).toBe('miss'); // B
    expect(await run(0)).toBe('hit'); // A is now more recent than B
    expect(await run(2)).toBe('miss'); // C evicts B
    expect(await run(0)).toBe('hit');
    expect(await run(1)).toBe('miss'); // B was evicted (and now evicts C)
    const m = await engine.api.metrics();
    expect(m.cache.entries).toBe(2);
    expect(m.cache.evictions).toBe(2);
  });

  it('never returns one version’s result for another version', async () => {
    engine = await connect(server.fetch, { now });
    await engine.api.prepare('1.0.0');
    const v1 = await engine.api.predictScene(scene(20));
    await engine.api.prepare('1.1.0');
    const v11 = await engine.api.predictScene(scene(20));
    expect(v11).toMatchObject({ modelVersion: '1.1.0', cache: 'miss' });
    expect(v11.lat).not.toBe(v1.lat);
    await engine.api.prepare('1.0.0');
    const back = await engine.api.predictScene(scene(20));
    expect(back).toMatchObject({ modelVersion: '1.0.0', cache: 'hit', lat: v1.lat, lon: v1.lon });
  });

  // predictionCache.ts keeps each entry's samples key: a repeat visit's worker skips features too.
  it('finds a scene seen before by an earlier engine without computing its features', async () => {
    const storagePrefix = uniquePrefix('cache-inputs');
    engine = await connect(server.fetch, { now, storagePrefix });
    await engine.api.prepare('1.0.0');
    const first = await engine.api.predictScene(scene(50));
    expect(first.cache).toBe('miss');
    await engine.close();
    engine = await connect(server.fetch, { now, storagePrefix });
    await engine.api.prepare('1.0.0');
    const logMels = vi.spyOn(SceneFeaturizer.prototype, 'logMels');
    try {
      const again = await engine.api.predictScene(scene(50));
      expect(logMels).not.toHaveBeenCalled();
      expect(again).toMatchObject({ cache: 'hit', lat: first.lat, lon: first.lon });
      expect(again.levelsDb).toEqual(first.levelsDb);
    } finally {
      logMels.mockRestore();
    }
  });

  it('persists in IndexedDB across engine restarts, and clearCache empties it', async () => {
    const storagePrefix = uniquePrefix('cache-persist');
    engine = await connect(server.fetch, { now, storagePrefix });
    await engine.api.prepare('1.0.0');
    expect((await engine.api.predictScene(scene(30))).cache).toBe('miss');
    await engine.close();
    engine = await connect(server.fetch, { now, storagePrefix });
    await engine.api.prepare('1.0.0');
    expect((await engine.api.predictScene(scene(30))).cache).toBe('hit');
    expect(await engine.api.clearCache()).toBe(1);
    expect((await engine.api.predictScene(scene(30))).cache).toBe('miss');
  });
});
