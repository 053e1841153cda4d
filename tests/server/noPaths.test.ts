/** No response shows where the server keeps its files: every route, error bodies included. */
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyPluginAsync } from 'fastify';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app';
import { withoutPaths } from '../../server/publicText';
import { useHarness } from './appHarness';
import { makeTempRegistry } from './tempRegistry';

/** A route failing the way fs calls fail: the message holds an absolute path. */
const failing: FastifyPluginAsync = async (app) => {
  app.get('/api/fails', async () => {
    throw new Error("ENOENT: no such file or directory, open '/srv/heimdall/secret/x.json'");
  });
};

describe('responses carry no filesystem paths', () => {
  const start = useHarness();

  it('on every route, errors included', async () => {
    const { app, registry, distDir } = await start({ extraPlugins: [failing] });
    // A model file that changed on disk after validation: the 500 must not say where it lives.
    await writeFile(join(registry.root, '1.1.0', 'model.onnx'), Buffer.alloc(10));
    const requests: { url: string; headers?: Record<string, string> }[] = [
      { url: '/' },
      { url: '/assets/app-abc123.js' },
      { url: '/assets/missing.js' },
      { url: '/api/models' },
      { url: '/api/models/1.0.0' },
      { url: '/api/models/9.9.9' },
      { url: '/models/1.0.0/model.onnx', headers: { range: 'bytes=999999-' } },
      { url: '/models/1.1.0/model.onnx' },
      { url: '/models/9.9.9/model.onnx' },
      { url: '/healthz' },
      { url: '/metrics' },
      { url: '/api/fails' },
      { url: '/../../etc/passwd' },
    ];
    const statuses: number[] = [];
    for (const r of requests) {
      const res = await app.inject(r);
      statuses.push(res.statusCode);
      for (const secret of [registry.root, distDir, tmpdir(), '/srv/heimdall']) {
        expect(res.body, `${r.url} shows ${secret}`).not.toContain(secret);
      }
    }
    // The error cases really were errors (so their bodies were checked, not skipped).
    // (/../../etc/passwd is normalised to /etc/passwd, a client-side route: the app shell.)
    expect(statuses).toEqual([200, 200, 404, 200, 200, 404, 416, 500, 404, 200, 200, 500, 200]);
    const failed = (await app.inject({ url: '/api/fails' })).json();
    expect(failed).toMatchObject({ statusCode: 500, message: expect.stringMatching(/request id/) });
  });

  it('in /healthz when the registry is missing or invalid: names the file by its name alone', async () => {
    const registry = await makeTempRegistry();
    try {
      const missing = await buildApp({
        registryPath: join(registry.root, 'gone', 'registry.json'),
      });
      const body = (await missing.inject({ url: '/healthz' })).json();
      await missing.close();
      expect(body.registryError).toBe('registry file not found: registry.json');

      const app = await buildApp({ registryPath: registry.registryPath });
      await registry.writeRegistryText('not json');
      const health = (await app.inject({ url: '/healthz' })).json();
      await app.close();
      expect(health.ok).toBe(false);
      expect(health.registryError).toMatch(/^registry\.json: /);
      expect(health.registryError).not.toContain(registry.root);
    } finally {
      await registry.cleanup();
    }
  });
});

describe('withoutPaths', () => {
  it('makes paths under the base folder relative and keeps only the name of any other', () => {
    expect(withoutPaths('/data/reg/1.0.0/metadata.json: bad sha256', '/data/reg')).toBe(
      '1.0.0/metadata.json: bad sha256',
    );
    expect(withoutPaths("ENOENT: no such file or directory, open '/etc/x/y.json'")).toBe(
      "ENOENT: no such file or directory, open 'y.json'",
    );
    expect(withoutPaths('cannot read /home/op/models/registry.json.')).toBe(
      'cannot read registry.json.',
    );
    expect(withoutPaths('expected {receiverId, durationMs}')).toBe(
      'expected {receiverId, durationMs}',
    );
  });
});
