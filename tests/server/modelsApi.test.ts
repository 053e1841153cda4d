import { describe, expect, it } from 'vitest';
import type { Manifest, ModelMetadata } from '../../src/core/modelMetadata';
import { fakeMetadata } from './tempRegistry';
import { useHarness } from './appHarness';

describe('GET /api/models', () => {
  const start = useHarness();

  it('joins every registry entry with its metadata', async () => {
    const { app, registry } = await start();
    const res = await app.inject({ url: '/api/models' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-cache');
    const manifest = res.json<Manifest>();
    expect(manifest.schema).toBe('heimdall.manifest/1');
    expect(Number.isNaN(Date.parse(manifest.generated))).toBe(false);
    expect(manifest.models.map((m) => [m.version, m.stage, m.weight])).toEqual([
      ['1.0.0', 'production', 1],
      ['1.1.0', 'staging', 0],
    ]);
    const expected = fakeMetadata('1.1.0', registry.bytes['1.1.0']);
    const entry = manifest.models[1];
    expect(entry).toEqual({
      version: '1.1.0',
      stage: 'staging',
      weight: 0,
      path: '1.1.0',
      sha256: expected.sha256,
      sizeBytes: 4096,
      created: expected.created,
      description: expected.description,
      evaluation: expected.evaluation,
      preprocessing: expected.preprocessing,
      output: expected.output,
      constellation: expected.constellation,
      url: '/models/1.1.0/model.onnx',
      metadataUrl: '/api/models/1.1.0',
    });
  });

  it('links to URLs the server answers', async () => {
    const { app, registry } = await start();
    const manifest = (await app.inject({ url: '/api/models' })).json<Manifest>();
    for (const entry of manifest.models) {
      const model = await app.inject({ url: entry.url });
      expect(model.statusCode).toBe(200);
      expect(model.rawPayload.equals(registry.bytes[entry.version])).toBe(true);
      const metadata = await app.inject({ url: entry.metadataUrl });
      expect(metadata.json<ModelMetadata>().sha256).toBe(entry.sha256);
    }
  });
});

describe('GET /api/models/:version', () => {
  const start = useHarness();

  it('returns metadata.json of a known version', async () => {
    const { app, registry } = await start();
    const res = await app.inject({ url: '/api/models/1.0.0' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual(fakeMetadata('1.0.0', registry.bytes['1.0.0']));
  });

  it('answers 404 JSON for an unknown version', async () => {
    const { app } = await start();
    const res = await app.inject({ url: '/api/models/2.0.0' });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toContain('application/json');
    expect(res.json()).toEqual({
      statusCode: 404,
      error: 'Not Found',
      message: 'no model version 2.0.0',
    });
  });
});
