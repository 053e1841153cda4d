import { rm } from 'node:fs/promises';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { Manifest } from '../../src/core/modelMetadata';
import { buildApp } from '../../server/app';
import { promoteVersion, setVersionWeight } from '../../src/node/registry';
import { makeTempRegistry } from './tempRegistry';
import { useHarness } from './appHarness';

const stages = async (app: Awaited<ReturnType<typeof buildApp>>) =>
  (await app.inject({ url: '/api/models' }))
    .json<Manifest>()
    .models.map((m) => [m.version, m.stage, m.weight]);

/** A pino destination that keeps the JSON lines it is given. */
function logSink(): { stream: Writable; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean))
        lines.push(JSON.parse(line));
      done();
    },
  });
  return { stream, lines };
}

describe('registry hot reload', () => {
  const start = useHarness();

  it('serves a promotion and a weight change on the next request, without restart', async () => {
    const { app, registry } = await start();
    expect(await stages(app)).toEqual([
      ['1.0.0', 'production', 1],
      ['1.1.0', 'staging', 0],
    ]);
    await promoteVersion(registry.registryPath, '1.1.0');
    expect(await stages(app)).toEqual([
      ['1.0.0', 'archived', 0],
      ['1.1.0', 'production', 1],
    ]);
    await setVersionWeight(registry.registryPath, '1.1.0', 0.5);
    expect((await stages(app))[1]).toEqual(['1.1.0', 'production', 0.5]);
    expect((await app.inject({ url: '/healthz' })).json()).toMatchObject({
      ok: true,
      production: '1.1.0',
    });
  });

  it('keeps the last good registry when the file turns invalid, logs why, and recovers when fixed', async () => {
    const sink = logSink();
    const { app, registry } = await start({ logger: { level: 'info', stream: sink.stream } });
    const good = await stages(app);
    await registry.writeRegistryText(
      '{"schema":"heimdall.registry/1","models":[{"version":"nope"}]}',
    );
    expect(await stages(app)).toEqual(good);
    expect(await stages(app)).toEqual(good); // a second request does not retry the same bad file

    const failures = sink.lines.filter(
      (l) => l.msg === 'model registry reload failed; keeping the last good registry',
    );
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ level: 50, servingVersions: ['1.0.0', '1.1.0'] });
    expect(JSON.stringify(failures[0].err)).toMatch(/registry\.json: invalid content/);

    const health = (await app.inject({ url: '/healthz' })).json();
    expect(health).toMatchObject({ ok: false, versions: ['1.0.0', '1.1.0'] });
    expect(health.registryError).toMatch(/registry\.json: invalid content/);

    await registry.writeRegistryText(
      JSON.stringify({
        schema: 'heimdall.registry/1',
        models: [{ version: '1.1.0', stage: 'production', weight: 1, path: '1.1.0' }],
      }),
    );
    expect(await stages(app)).toEqual([['1.1.0', 'production', 1]]);
    expect((await app.inject({ url: '/healthz' })).json()).toMatchObject({
      ok: true,
      versions: ['1.1.0'],
    });
  });

  it('keeps serving when registry.json disappears', async () => {
    const { app, registry } = await start();
    await rm(registry.registryPath);
    expect(await stages(app)).toHaveLength(2);
    expect((await app.inject({ url: '/healthz' })).json().ok).toBe(false);
  });
});

describe('startup', () => {
  it('refuses to start on an invalid registry, naming the file and the problem', async () => {
    const registry = await makeTempRegistry();
    try {
      await registry.writeRegistryText('[]');
      const error = await buildApp({ registryPath: registry.registryPath }).catch(
        (e: unknown) => e,
      );
      expect(error).toMatchObject({ name: 'ManifestError', file: registry.registryPath });
    } finally {
      await registry.cleanup();
    }
  });

  it('starts without models when the registry does not exist yet and picks it up once it appears', async () => {
    const registry = await makeTempRegistry();
    const text = JSON.stringify(await registry.readRegistry());
    await rm(registry.registryPath);
    const app = await buildApp({ registryPath: registry.registryPath });
    try {
      expect(await stages(app)).toEqual([]);
      await registry.writeRegistryText(text);
      expect(await stages(app)).toHaveLength(2);
    } finally {
      await app.close();
      await registry.cleanup();
    }
  });
});
