import type { FastifyPluginAsync } from 'fastify';
import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from '../../server/securityHeaders';
import { useHarness } from './appHarness';

const REQUIRED = {
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-embedder-policy': 'require-corp',
  'cross-origin-resource-policy': 'same-origin',
  'x-content-type-options': 'nosniff',
};

function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp.split(';').map((d) => {
      const [name, ...sources] = d.trim().split(/\s+/);
      return [name, sources] as const;
    }),
  );
}

describe('security headers', () => {
  const start = useHarness();
  const plugin: FastifyPluginAsync = async (app) => {
    app.get('/live/echo', async () => ({ live: true }));
  };

  it.each([
    ['app shell', 'GET', '/', 200, 'text/html'],
    ['hashed asset', 'GET', '/assets/app-abc123.js', 200, 'javascript'],
    ['SPA route', 'GET', '/scenes/42', 200, 'text/html'],
    ['manifest', 'GET', '/api/models', 200, 'application/json'],
    ['metadata 404', 'GET', '/api/models/9.9.9', 404, 'application/json'],
    ['model bytes', 'GET', '/models/1.0.0/model.onnx', 200, 'application/octet-stream'],
    ['missing asset 404', 'GET', '/assets/gone.js', 404, 'application/json'],
    ['method not allowed 404', 'DELETE', '/api/models', 404, 'application/json'],
    ['health', 'GET', '/healthz', 200, 'application/json'],
    ['metrics', 'GET', '/metrics', 200, 'text/plain'],
    ['extra plugin route', 'GET', '/live/echo', 200, 'application/json'],
  ] as const)('%s (%s %s) carries them', async (_name, method, url, status, type) => {
    const { app } = await start({ extraPlugins: [plugin] });
    const res = await app.inject({ method, url });
    expect(res.statusCode).toBe(status);
    expect(res.headers['content-type']).toContain(type);
    expect(res.headers).toMatchObject(REQUIRED);
    expect(res.headers['content-security-policy']).toBe(contentSecurityPolicy());
  });

  it('carries them on 304 and 206 answers too', async () => {
    const { app } = await start();
    const first = await app.inject({ url: '/models/1.0.0/model.onnx' });
    const notModified = await app.inject({
      url: '/models/1.0.0/model.onnx',
      headers: { 'if-none-match': String(first.headers.etag) },
    });
    const partial = await app.inject({
      url: '/models/1.0.0/model.onnx',
      headers: { range: 'bytes=0-1' },
    });
    expect(notModified.statusCode).toBe(304);
    expect(partial.statusCode).toBe(206);
    expect(notModified.headers).toMatchObject(REQUIRED);
    expect(partial.headers).toMatchObject(REQUIRED);
  });

  it('has a policy that lets the app, ORT WASM, map workers and Mapbox work', () => {
    const csp = directives(contentSecurityPolicy());
    expect(csp.get('script-src')).toEqual(["'self'", "'wasm-unsafe-eval'"]);
    expect(csp.get('worker-src')).toEqual(expect.arrayContaining(["'self'", 'blob:']));
    expect(csp.get('style-src')).toEqual(["'self'", "'unsafe-inline'"]);
    expect(csp.get('img-src')).toEqual(["'self'", 'data:', 'blob:']);
    // 'self' covers the same-origin live WebSocket (CSP 3); e2e/live.spec.ts connects under it.
    expect(csp.get('connect-src')).toEqual(
      expect.arrayContaining([
        "'self'",
        'https://api.mapbox.com',
        'https://*.tiles.mapbox.com',
        'https://events.mapbox.com',
      ]),
    );
    expect(csp.get('script-src')).not.toContain("'unsafe-eval'");
    expect(csp.get('object-src')).toEqual(["'none'"]);
  });

  it('builds the policy from configuration: the same whatever Host a request names', async () => {
    const { app } = await start({ allowedHosts: ['heimdall.example.org', 'evil.example'] });
    const policies = new Set<string | undefined>();
    for (const host of ['localhost:80', 'heimdall.example.org', 'evil.example']) {
      const res = await app.inject({ url: '/', headers: { host } });
      expect(res.statusCode).toBe(200);
      policies.add(res.headers['content-security-policy'] as string | undefined);
    }
    expect([...policies]).toEqual([contentSecurityPolicy()]);
    const csp = contentSecurityPolicy();
    expect(csp).not.toMatch(/example|localhost|ws:/);
  });
});
