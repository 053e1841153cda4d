/**
 * DNS rebinding: a page of evil.example whose name was re-pointed at 127.0.0.1 reaches the server
 * as same-origin, with Host (and Origin) naming evil.example. Every route must refuse it, the
 * live WebSocket upgrade included; the server's own names keep working.
 */
import { request } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { defaultLiveConfig } from '../../server/live/liveConfig';
import { liveRelayPlugin } from '../../server/live/relayPlugin';
import { useHarness } from './appHarness';

interface Answer {
  status: number;
  body: string;
}

function get(port: number, path: string, host: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { host } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Opens the live WebSocket with the given Host and Origin: 'open', or the HTTP status refusing it. */
function upgrade(port: number, host: string, origin: string): Promise<'open' | number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/api/live`, { headers: { host }, origin });
    ws.on('open', () => {
      ws.terminate();
      resolve('open');
    });
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      res.resume();
      ws.terminate();
    });
    ws.on('error', (err) => {
      if (!/Unexpected server response/.test(err.message)) reject(err);
    });
  });
}

const ROUTES: [string, number][] = [
  ['/', 200],
  ['/scenes/42', 200],
  ['/assets/app-abc123.js', 200],
  ['/api/models', 200],
  ['/api/models/1.0.0', 200],
  ['/models/1.0.0/model.onnx', 200],
  ['/healthz', 200],
  ['/metrics', 200],
  ['/api/live/status', 200],
  ['/no/such/thing.js', 404],
];

describe('Host check', () => {
  const start = useHarness();

  async function listening(allowedHosts: string[] = []): Promise<{
    app: FastifyInstance;
    port: number;
  }> {
    const { app } = await start({
      allowedHosts,
      extraPlugins: [liveRelayPlugin({ config: defaultLiveConfig() })],
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    return { app, port: (app.server.address() as { port: number }).port };
  }

  it('refuses a foreign Host with 421 on every route, and serves its own names', async () => {
    const { port } = await listening();
    for (const [path, status] of ROUTES) {
      const refused = await get(port, path, `evil.example:${port}`);
      expect(refused.status, path).toBe(421);
      expect(JSON.parse(refused.body)).toMatchObject({
        statusCode: 421,
        error: 'Misdirected Request',
        message: expect.stringContaining('evil.example'),
      });
      for (const own of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]) {
        expect((await get(port, path, own)).status, `${path} as ${own}`).toBe(status);
      }
    }
    // Another port on our own name: not this server either.
    expect((await get(port, '/healthz', `127.0.0.1:${port + 1}`)).status).toBe(421);
  });

  // The harness closes the server after each test: a refused upgrade whose socket stayed open
  // would make that close hang (and this test time out).
  it('refuses the live WebSocket to a rebinding page, and closes its socket', async () => {
    const { port } = await listening();
    const evil = `evil.example:${port}`;
    // Before the check, Origin equal to Host passed the relay's same-origin test.
    expect(await upgrade(port, evil, `http://${evil}`)).toBe(421);
    expect(await upgrade(port, `127.0.0.1:${port}`, `http://127.0.0.1:${port}`)).toBe('open');
    const metrics = await get(port, '/metrics', `127.0.0.1:${port}`);
    expect(metrics.body).toMatch(
      /heimdall_http_requests_total\{method="GET",route="[^"]*",status="421"\} [1-9]/,
    );
  });

  it('answers the names on the operator allow-list', async () => {
    const { port } = await listening(['heimdall.example.org']);
    expect((await get(port, '/api/models', 'heimdall.example.org')).status).toBe(200);
    expect((await get(port, '/api/models', 'other.example.org')).status).toBe(421);
    expect(await upgrade(port, 'heimdall.example.org', 'https://heimdall.example.org')).toBe(
      'open',
    );
  });
});
