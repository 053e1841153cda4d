/**
 * A client's mistakes (a bad body, a malformed HTTP request, a foreign Host, a broken or unwanted
 * WebSocket message) are logged at warn, one line without a stack; the server's own failures stay
 * at error with their stack.
 */
import { request } from 'node:http';
import { connect } from 'node:net';
import { Writable } from 'node:stream';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { buildApp } from '../../server/app';
import { parseLiveConfig } from '../../server/live/liveConfig';
import { liveRelayPlugin } from '../../server/live/relayPlugin';
import { FIXTURE_REGISTRY } from '../live/relayHarness';

interface LogLine {
  level: number;
  msg: string;
  stack?: unknown;
  err?: { stack?: string };
  [key: string]: unknown;
}
const WARN = 40;
const ERROR = 50;

const routes: FastifyPluginAsync = async (app) => {
  app.post('/api/echo', async (request) => request.body);
  app.get('/api/broken', async () => {
    throw new Error('a bug of ours');
  });
};

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function startLogged(): Promise<{ port: number; lines: LogLine[] }> {
  const lines: LogLine[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString('utf8').split('\n')) if (l) lines.push(JSON.parse(l));
      done();
    },
  });
  app = await buildApp({
    registryPath: FIXTURE_REGISTRY,
    logger: { level: 'info', stream },
    extraPlugins: [routes, liveRelayPlugin({ config: parseLiveConfig({}) })],
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  return { port: (app.server.address() as { port: number }).port, lines };
}

const until = async (pred: () => boolean, what: string) => {
  for (let i = 0; i < 250 && !pred(); i++) await new Promise((r) => setTimeout(r, 20));
  if (!pred()) throw new Error(`timed out waiting for ${what}`);
};

/** The one log line with this message; fails when absent. */
function lineWith(lines: LogLine[], msg: RegExp): LogLine {
  const found = lines.filter((l) => msg.test(l.msg));
  expect(found, `a log line ${msg}`).toHaveLength(1);
  return found[0];
}

const hasStack = (l: LogLine) => JSON.stringify(l).includes('    at ');

describe('client errors are logged at warn without a stack', () => {
  it('a bad request body, a malformed request and a foreign Host', async () => {
    const { port, lines } = await startLogged();
    const base = `http://127.0.0.1:${port}`;
    const bad = await fetch(`${base}/api/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{not json',
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ statusCode: 400, error: 'Bad Request' });

    const raw = await new Promise<string>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => socket.write('NOT HTTP AT ALL\r\n\r\n'));
      let text = '';
      socket.on('data', (d) => (text += d.toString()));
      socket.on('close', () => resolve(text));
    });
    expect(raw).toMatch(/^HTTP\/1\.1 400 Bad Request/);

    const foreignStatus = await new Promise<number | undefined>((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port, path: '/healthz', headers: { host: 'evil.example' } },
        (res) => {
          res.resume();
          resolve(res.statusCode);
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(foreignStatus).toBe(421);

    await until(() => lines.some((l) => l.msg === 'bad HTTP request'), 'the parser error line');
    for (const l of [
      lineWith(lines, /^bad request$/),
      lineWith(lines, /^bad HTTP request$/),
      lineWith(lines, /foreign Host/),
    ]) {
      expect(l.level).toBe(WARN);
      expect(hasStack(l)).toBe(false);
    }
  });

  it('a WebSocket client that sends messages or breaks the protocol', async () => {
    const { port, lines } = await startLogged();
    const url = `ws://127.0.0.1:${port}/api/live`;
    const chatty = new WebSocket(url);
    await new Promise((r) => chatty.once('open', r));
    chatty.send('hello relay');
    chatty.send('again');
    await until(() => lines.some((l) => /takes no input/.test(l.msg)), 'the input line');
    chatty.close();

    // Over the relay's 64 KiB maxPayload: ws refuses it as a protocol error (close 1009).
    const huge = new WebSocket(url);
    await new Promise((r) => huge.once('open', r));
    const code = await new Promise<number>((resolve) => {
      huge.once('close', (c) => resolve(c));
      huge.send(Buffer.alloc(200 * 1024));
    });
    // ws sends 1009 (Message Too Big) as the handler drops the socket: the client sees that
    // code, or 1006 when the drop wins the race.
    expect([1006, 1009]).toContain(code);
    await until(() => lines.some((l) => /protocol error/.test(l.msg)), 'the protocol error line');

    const input = lineWith(lines, /takes no input/); // once per client, not per message
    const protocol = lineWith(lines, /protocol error/);
    for (const l of [input, protocol]) {
      expect(l.level).toBe(WARN);
      expect(hasStack(l)).toBe(false);
    }
    expect(protocol.code).toBe('WS_ERR_UNSUPPORTED_MESSAGE_LENGTH');
  });

  it("the server's own failure stays an error, with its stack, and its answer hides it", async () => {
    const { port, lines } = await startLogged();
    const res = await fetch(`http://127.0.0.1:${port}/api/broken`);
    expect(res.status).toBe(500);
    expect(await res.text()).not.toContain('a bug of ours');
    const l = lineWith(lines, /^request failed$/);
    expect(l.level).toBe(ERROR);
    expect(hasStack(l)).toBe(true);
  });
});
