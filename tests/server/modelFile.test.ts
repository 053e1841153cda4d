import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useHarness } from './appHarness';

const URL_100 = '/models/1.0.0/model.onnx';

describe('GET /models/:version/:file', () => {
  const start = useHarness();

  it('sends the bytes with a strong sha256 ETag, immutable caching and a length', async () => {
    const { app, registry } = await start();
    const res = await app.inject({ url: URL_100 });
    const bytes = registry.bytes['1.0.0'];
    expect(res.statusCode).toBe(200);
    expect(res.rawPayload.equals(bytes)).toBe(true);
    expect(res.headers.etag).toBe(`"${createHash('sha256').update(bytes).digest('hex')}"`);
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(res.headers['content-length']).toBe(String(bytes.length));
    expect(res.headers['accept-ranges']).toBe('bytes');
    expect(res.headers['content-type']).toBe('application/octet-stream');
  });

  it('answers If-None-Match with 304 and no body, and a different tag with the bytes', async () => {
    const { app } = await start();
    const { etag } = (await app.inject({ url: URL_100 })).headers;
    const hit = await app.inject({
      url: URL_100,
      headers: { 'if-none-match': `"other", W/${etag}` },
    });
    expect(hit.statusCode).toBe(304);
    expect(hit.rawPayload.length).toBe(0);
    expect(hit.headers.etag).toBe(etag);
    const miss = await app.inject({ url: URL_100, headers: { 'if-none-match': '"0000"' } });
    expect(miss.statusCode).toBe(200);
  });

  it.each([
    ['bytes=100-199', 100, 199],
    ['bytes=4000-', 4000, 4095],
    ['bytes=-16', 4080, 4095],
    ['bytes=4090-9999', 4090, 4095],
  ])('answers Range %s with 206 and exactly those bytes', async (range, first, last) => {
    const { app, registry } = await start();
    const res = await app.inject({ url: URL_100, headers: { range } });
    expect(res.statusCode).toBe(206);
    expect(res.headers['content-range']).toBe(`bytes ${first}-${last}/4096`);
    expect(res.headers['content-length']).toBe(String(last - first + 1));
    expect(res.rawPayload.equals(registry.bytes['1.0.0'].subarray(first, last + 1))).toBe(true);
  });

  it.each(['bytes=4096-', 'bytes=5000-6000', 'bytes=-0'])(
    'answers unsatisfiable Range %s with 416',
    async (range) => {
      const { app } = await start();
      const res = await app.inject({ url: URL_100, headers: { range } });
      expect(res.statusCode).toBe(416);
      expect(res.headers['content-range']).toBe('bytes */4096');
    },
  );

  it('ignores a Range whose If-Range names other bytes, and multi-range requests', async () => {
    const { app } = await start();
    const stale = await app.inject({
      url: URL_100,
      headers: { range: 'bytes=0-9', 'if-range': '"old"' },
    });
    expect(stale.statusCode).toBe(200);
    expect(stale.rawPayload.length).toBe(4096);
    const { etag } = stale.headers;
    const fresh = await app.inject({
      url: URL_100,
      headers: { range: 'bytes=0-9', 'if-range': String(etag) },
    });
    expect(fresh.statusCode).toBe(206);
    const multi = await app.inject({ url: URL_100, headers: { range: 'bytes=0-1,5-6' } });
    expect(multi.statusCode).toBe(200);
  });

  it('answers HEAD with the headers and no body', async () => {
    const { app } = await start();
    const res = await app.inject({ method: 'HEAD', url: URL_100 });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-length']).toBe('4096');
    expect(res.rawPayload.length).toBe(0);
  });

  it('answers 404 for an unknown version or a file name other than the model', async () => {
    const { app } = await start();
    for (const url of [
      '/models/3.0.0/model.onnx',
      '/models/1.0.0/metadata.json',
      '/models/1.0.0/..%2Fregistry.json',
    ]) {
      const res = await app.inject({ url });
      expect(res.statusCode, url).toBe(404);
      expect(res.json().error).toBe('Not Found');
    }
  });

  it('refuses to serve a model whose file changed size on disk since it was validated', async () => {
    const { app, registry } = await start();
    await writeFile(join(registry.root, '1.0.0', 'model.onnx'), Buffer.alloc(10));
    const res = await app.inject({ url: URL_100 });
    expect(res.statusCode).toBe(500);
    expect(res.json().error).toBe('ModelIntegrityError');
  });
});
