import { proxy } from 'comlink';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { noiseScene } from '../../e2e/support/scenes';
import { copyRegistry, TEST_REGISTRY, type RegistryCopy } from '../../e2e/support/registries';
import preprocessing from '../../training/preprocessing.json';
import type { Preprocessing } from '../../src/core/modelMetadata';
import type { EngineEvent } from '../../workers/types';
import { connect, serverDouble, uniquePrefix, type Connected, type ServerDouble } from './harness';

const P = preprocessing as Preprocessing;
const scene = (i: number) => {
  const s = noiseScene(9, i, 3, P);
  return { sceneId: s.sceneId, iq: s.iq };
};

describe('model integrity', () => {
  let registry: RegistryCopy;
  let server: ServerDouble;
  let engine: Connected;

  beforeAll(async () => {
    registry = await copyRegistry(TEST_REGISTRY);
    server = await serverDouble(registry.registryPath);
    engine = await connect(server.fetch);
  });
  afterAll(async () => {
    await engine.close();
    await server.close();
    await registry.cleanup();
  });

  it('refuses a model whose sha256 differs from the manifest, and the serving version keeps serving', async () => {
    await engine.api.prepare('1.0.0');
    const before = await engine.api.predictScene(scene(0));
    const events: EngineEvent[] = [];
    await engine.api.subscribe(proxy((e: EngineEvent) => void events.push(e)));
    // The server verified the file at start; it changes afterwards (a bad disk, a bad copy).
    await registry.corruptModel('1.1.0');
    await expect(engine.api.prepare('1.1.0')).rejects.toMatchObject({
      name: 'ModelIntegrityError',
      message: expect.stringMatching(/sha256 .* 1\.1\.0 .*not loaded/),
    });
    const after = await engine.api.predictScene(scene(1));
    expect(after.modelVersion).toBe('1.0.0');
    expect(before.modelVersion).toBe('1.0.0');
    const m = await engine.api.metrics();
    expect(m.activeVersion).toBe('1.0.0');
    expect(m.mode).toBe('pinned');
    await new Promise((r) => setTimeout(r, 20));
    expect(events).toContainEqual(
      expect.objectContaining({
        type: 'model-error',
        version: '1.1.0',
        error: expect.objectContaining({ name: 'ModelIntegrityError' }),
      }),
    );
  });
});

describe('models kept in IndexedDB', () => {
  let server: ServerDouble;
  let engine: Connected | undefined;

  beforeAll(async () => {
    server = await serverDouble(TEST_REGISTRY);
  });
  afterEach(async () => {
    await engine?.close();
    engine = undefined;
  });
  afterAll(() => server.close());

  it('loads the model on the next visit without fetching it, and starts offline', async () => {
    const storagePrefix = uniquePrefix('offline');
    engine = await connect(server.fetch, { storagePrefix });
    expect((await engine.api.prepare('1.0.0')).active.source).toBe('network');
    expect(server.requests).toContain('/models/1.0.0/model.onnx');
    const online = await engine.api.predictScene(scene(5));
    await engine.close();

    server.requests.length = 0;
    engine = await connect(server.fetch, { storagePrefix });
    const second = await engine.api.prepare('1.0.0');
    expect(second.active.source).toBe('indexeddb');
    expect(second.active.timingsMs.fetch).toBe(0);
    expect(server.requests).toEqual(['/api/models']);
    await engine.close();

    server.offline = true;
    try {
      engine = await connect(server.fetch, { storagePrefix });
      const manifest = await engine.api.loadManifest();
      expect(manifest.source).toBe('indexeddb');
      expect((await engine.api.prepare('1.0.0')).active.source).toBe('indexeddb');
      const offline = await engine.api.predictScene(scene(5));
      expect({ lat: offline.lat, lon: offline.lon }).toEqual({ lat: online.lat, lon: online.lon });
    } finally {
      server.offline = false;
    }
  });

  it('says clearly when there is neither a network nor a stored manifest', async () => {
    server.offline = true;
    try {
      engine = await connect(server.fetch);
      await expect(engine.api.prepare('1.0.0')).rejects.toMatchObject({
        name: 'ManifestError',
        message: expect.stringContaining('none is stored'),
      });
      await expect(engine.api.predictScene(scene(0))).rejects.toMatchObject({
        name: 'ModelLoadError',
      });
    } finally {
      server.offline = false;
    }
  });

  it('rejects an unknown version and bad settings with a clear error', async () => {
    engine = await connect(server.fetch);
    await expect(engine.api.prepare('9.9.9')).rejects.toMatchObject({
      name: 'ConfigError',
      message: expect.stringContaining('1.0.0, 1.1.0'),
    });
    await expect(engine.api.configure({ cacheTtlMs: -1 })).rejects.toMatchObject({
      name: 'ConfigError',
      message: expect.stringContaining('cacheTtlMs'),
    });
    await expect(engine.api.configure({ epPreference: ['wasm', 'wasm'] })).rejects.toMatchObject({
      name: 'ConfigError',
    });
  });

  it('reports every execution provider it tried and which one runs', async () => {
    engine = await connect(server.fetch, { config: { epPreference: ['webgpu', 'wasm'] } });
    const { active } = await engine.api.prepare('1.0.0');
    // Node has no WebGPU: the first attempt fails and is reported, the second runs.
    expect(active.attempts.map((a) => [a.executionProvider, a.ok])).toEqual([
      ['webgpu', false],
      ['wasm', true],
    ]);
    expect(active.executionProvider).toBe('wasm');
    expect((await engine.api.metrics()).executionProvider).toBe('wasm');
  });
});
