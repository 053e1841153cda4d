import { describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app';
import { makeTempRegistry } from './tempRegistry';
import { useHarness } from './appHarness';

describe('static app and SPA fallback', () => {
  const start = useHarness();

  it('serves index.html at / and for client-side routes, revalidated every time', async () => {
    const { app } = await start();
    for (const url of ['/', '/scenes/42', '/settings?tab=map']) {
      const res = await app.inject({ url });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type'], url).toContain('text/html');
      expect(res.body, url).toContain('<div id="root">');
      expect(res.headers['cache-control'], url).toBe('no-cache');
    }
  });

  it('serves hashed assets as immutable', async () => {
    const { app } = await start();
    const res = await app.inject({ url: '/assets/app-abc123.js' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('console.log("app");');
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it('keeps 404 for API paths, missing files and non-GET methods', async () => {
    const { app } = await start();
    for (const [method, url] of [
      ['GET', '/api/nothing'],
      ['GET', '/models/1.0.0'],
      ['GET', '/assets/missing-123.js'],
      ['POST', '/scenes/42'],
    ] as const) {
      const res = await app.inject({ method, url });
      expect(res.statusCode, `${method} ${url}`).toBe(404);
      expect(res.json().statusCode).toBe(404);
    }
  });

  it('serves only the API when no build is given, and refuses a missing build folder', async () => {
    const registry = await makeTempRegistry();
    try {
      const apiOnly = await buildApp({ registryPath: registry.registryPath });
      expect((await apiOnly.inject({ url: '/' })).statusCode).toBe(404);
      expect((await apiOnly.inject({ url: '/api/models' })).statusCode).toBe(200);
      await apiOnly.close();
      await expect(
        buildApp({ registryPath: registry.registryPath, distDir: `${registry.root}/no-such-dist` }),
      ).rejects.toMatchObject({ name: 'ConfigError' });
    } finally {
      await registry.cleanup();
    }
  });
});
