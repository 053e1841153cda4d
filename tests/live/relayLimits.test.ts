/**
 * The relay's memory is bounded whatever its clients do: clients that never read get at most
 * maxBufferedBytes queued each (IQ and JSON alike; the rest is dropped and counted), are closed
 * when they stay stuck, and at most maxClients connect.
 */
import { EventEmitter } from 'node:events';
import type { FastifyInstance } from 'fastify';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { parseLiveConfig } from '../../server/live/liveConfig';
import { LiveHub } from '../../server/live/liveHub';
import { createLiveMetrics } from '../../server/live/liveMetrics';
import { RelayClient, constellation, silent, startRelay } from './relayHarness';

/**
 * A client that never reads: every byte sent stays queued (bufferedAmount only grows), as on a
 * real socket once the kernel's buffers are full. `reads` makes it a client that keeps up.
 */
class ClientDouble extends EventEmitter {
  readyState: number = WebSocket.OPEN;
  bufferedAmount = 0;
  receivedBytes = 0;
  closedWith?: { code?: number; reason?: string };
  constructor(private readonly reads: boolean) {
    super();
  }
  send(data: string | Uint8Array): void {
    const bytes = typeof data === 'string' ? Buffer.byteLength(data) : data.byteLength;
    this.receivedBytes += bytes;
    if (!this.reads) this.bufferedAmount += bytes;
  }
  close(code?: number, reason?: string): void {
    this.closedWith = { code, reason };
    this.readyState = WebSocket.CLOSED;
    this.emit('close');
  }
}

const until = async (pred: () => boolean | Promise<boolean>, what: string, limitMs = 20_000) => {
  const deadline = Date.now() + limitMs;
  while (!(await pred())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

/** Sum of the samples of one metric (all label sets). */
function total(text: string, name: string): number {
  return text
    .split('\n')
    .filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `))
    .reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
}

let hub: LiveHub | undefined;
let app: FastifyInstance | undefined;
const clients: RelayClient[] = [];
afterEach(async () => {
  await hub?.close();
  for (const c of clients.splice(0)) {
    c.ws.resume();
    c.ws.terminate();
  }
  await app?.close();
  hub = app = undefined;
});

const BOUND = 50_000;

describe('relay memory with clients that never read', () => {
  function startHub(registry: Registry, slowClientCloseMs = 3_600_000) {
    return new LiveHub({
      config: parseLiveConfig({ scenario: { chunkMs: 50 } }),
      models: async () => ({ fixed: { version: '1.0.0', constellation, sampleRateHz: 12_000 } }),
      log: silent,
      metrics: createLiveMetrics(registry),
      maxBufferedBytes: BOUND,
      statsIntervalMs: 20,
      slowClientCloseMs,
    });
  }

  it('queues at most the bound per client, IQ and JSON alike, and counts what it dropped', async () => {
    const registry = new Registry();
    hub = startHub(registry);
    const reader = new ClientDouble(true);
    const stuck = Array.from({ length: 12 }, () => new ClientDouble(false));
    for (const c of [reader, ...stuck]) await hub.addClient(c as unknown as WebSocket);
    // Run until the relay has offered each client ten times the bound, and the JSON messages
    // too have met full buffers (frames fill a buffer to within one frame of the bound; the
    // small JSON messages then fill the rest, at their own pace).
    const dropped = async (type: string) =>
      total(await registry.metrics(), `heimdall_live_messages_dropped_total{type="${type}"}`);
    await until(
      async () =>
        reader.receivedBytes > 10 * BOUND &&
        (await dropped('stats')) > 0 &&
        (await dropped('truth')) > 0,
      'ten bounds of traffic and JSON messages dropped',
    );

    for (const c of stuck) expect(c.bufferedAmount).toBeLessThanOrEqual(BOUND);
    const text = await registry.metrics();
    expect(total(text, 'heimdall_live_frames_dropped_total')).toBeGreaterThan(0);
    // Stuck, but not yet for long enough to be closed.
    expect(stuck.every((c) => c.readyState === WebSocket.OPEN)).toBe(true);
  });

  it('closes a client that stays over the bound, and counts it', async () => {
    const registry = new Registry();
    hub = startHub(registry, 200);
    const reader = new ClientDouble(true);
    const stuck = Array.from({ length: 5 }, () => new ClientDouble(false));
    for (const c of [reader, ...stuck]) await hub.addClient(c as unknown as WebSocket);
    await until(() => stuck.every((c) => c.closedWith !== undefined), 'the stuck clients closed');
    expect(stuck[0].closedWith).toEqual({
      code: 1008,
      reason: expect.stringMatching(/too slow/),
    });
    expect(reader.readyState).toBe(WebSocket.OPEN);
    const text = await registry.metrics();
    expect(text).toMatch(/heimdall_live_clients_closed_total\{reason="too_slow"\} 5/);
    expect(text).toMatch(/heimdall_live_clients 1/);
  });

  it('keeps the server-side buffers of real paused sockets under the bound', async () => {
    ({ app } = await startRelay(parseLiveConfig({ scenario: { chunkMs: 50 } }), {
      maxBufferedBytes: BOUND,
      slowClientCloseMs: 3_600_000,
    }));
    const port = (app.server.address() as { port: number }).port;
    for (let i = 0; i < 8; i++) {
      const c = await RelayClient.connect(`http://127.0.0.1:${port}`);
      await c.waitFor(() => c.of('hello').length === 1, 'hello');
      c.ws.pause(); // stops reading from the socket: the kernel's buffers fill, then ours would
      clients.push(c);
    }
    const metrics = async () =>
      (await app!.inject({ url: '/metrics', headers: { host: `127.0.0.1:${port}` } })).body;
    // Until every client has had frames dropped: its kernel buffers and our bound are full.
    await until(
      async () => total(await metrics(), 'heimdall_live_frames_dropped_total') > 8 * 30,
      'frames dropped to every paused client',
      60_000,
    );
    // Two more stats ticks (one a second), so the gauge is sampled with every buffer full.
    await new Promise((r) => setTimeout(r, 2_100));
    const text = await metrics();
    const buffered = total(text, 'heimdall_live_buffered_bytes');
    console.log(`8 paused clients: ${buffered} bytes queued on the server (bound 8 x ${BOUND})`);
    expect(buffered).toBeGreaterThan(0);
    expect(buffered).toBeLessThanOrEqual(8 * BOUND);
    expect(total(text, 'heimdall_live_clients')).toBe(8);
  });
});

describe('relay connection cap', () => {
  it('refuses connections beyond maxClients with a clear message, and counts them', async () => {
    ({ app } = await startRelay(parseLiveConfig({ maxClients: 2 })));
    const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
    for (let i = 0; i < 2; i++) {
      const c = await RelayClient.connect(base);
      await c.waitFor(() => c.of('hello').length === 1, 'hello');
      clients.push(c);
    }
    const third = await RelayClient.connect(base);
    const code = await new Promise<number>((r) => third.ws.once('close', (c) => r(c)));
    expect(code).toBe(1013);
    expect(third.of('error')[0].message).toMatch(/at most 2 clients/);
    expect(third.of('hello')).toEqual([]);

    // A slot freed is a slot available.
    await clients.shift()!.close();
    await new Promise((r) => setTimeout(r, 100));
    const fourth = await RelayClient.connect(base);
    clients.push(fourth);
    await fourth.waitFor(() => fourth.of('hello').length === 1, 'hello after a slot freed');

    const metrics = (await app.inject({ url: '/metrics', headers: { host: new URL(base).host } }))
      .body;
    expect(metrics).toMatch(
      /heimdall_live_connections_refused_total\{reason="too_many_clients"\} 1/,
    );
  });
});

describe('relay limits in the live config', () => {
  it('takes maxClients, clientBufferBytes and slowClientCloseMs, and refuses nonsense by name', () => {
    const config = parseLiveConfig({
      maxClients: 4,
      clientBufferBytes: 100_000,
      slowClientCloseMs: 5_000,
    });
    expect(config).toMatchObject({
      maxClients: 4,
      clientBufferBytes: 100_000,
      slowClientCloseMs: 5_000,
    });
    expect(() => parseLiveConfig({ maxClients: 0 }, 'live.json')).toThrow(/live\.json: maxClients/);
    expect(() => parseLiveConfig({ clientBufferBytes: 10 }, 'live.json')).toThrow(
      /clientBufferBytes/,
    );
  });
});
