import { afterEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { parseLiveConfig } from '../../server/live/liveConfig';
import { CONFIGURED_NETWORK_ID } from '../../server/live/liveNetwork';
import { geodesicInverse } from '../../src/core/geodesy';
import { networkCentroid } from '../../src/core/networkFeatures';
import { RelayClient, SHIPPED_REGISTRY, startRelay } from './relayHarness';

let app: FastifyInstance | undefined;
let client: RelayClient | undefined;

afterEach(async () => {
  await client?.close();
  await app?.close();
  app = client = undefined;
});

const RECEIVERS = ['aquila-giaveno', 'milano-baggio', 'genova'];

describe('live relay with the simulated network', () => {
  it('says hello with the constellation, then streams contiguous, time-aligned frames per receiver', async () => {
    ({ app } = await startRelay(parseLiveConfig({ scenario: { chunkMs: 50 } })));
    const url = app.server.address();
    expect(url).not.toBeNull();
    client = await RelayClient.connect(`http://127.0.0.1:${(url as { port: number }).port}`);
    await client.waitFor(
      () => RECEIVERS.every((_, i) => client!.framesOf(i).length >= 8),
      '8 frames each',
    );

    const [hello] = client.of('hello');
    expect(hello.constellationId).toBe('nw-italy-2m');
    expect(hello.receivers.map((r) => r.receiverId)).toEqual(RECEIVERS);
    expect(hello.receivers[1]).toMatchObject({
      name: 'Milano-Baggio',
      lat: 45.478,
      lon: 9.123,
      source: 'simulated',
    });
    expect(hello.scenario).toMatch(/simulated nbfm, moving/);

    for (let i = 0; i < 3; i++) {
      const frames = client.framesOf(i);
      for (const f of frames) {
        expect(f.sampleRateHz).toBe(12_000);
        expect(f.iq.length).toBe(2 * 600); // 50 ms at 12 kS/s
        expect(f.timeExact).toBe(true);
        expect(f.centerFrequencyHz).toBe(145_000_000);
      }
      for (let k = 1; k < frames.length; k++) {
        expect(frames[k].sequence).toBe(frames[k - 1].sequence + 1);
        expect(frames[k].captureTimeMs - frames[k - 1].captureTimeMs).toBeCloseTo(50, 6);
      }
    }
    // The same chunk of the shared clock reaches every receiver with the same capture time.
    const times = (i: number) => new Set(client!.framesOf(i).map((f) => f.captureTimeMs));
    const shared = [...times(0)].filter((t) => times(1).has(t) && times(2).has(t));
    expect(shared.length).toBeGreaterThanOrEqual(6);
    // Frames are sent when their span has passed on the wall clock: real time, not a burst.
    const last = client.framesOf(0).at(-1)!;
    expect(Date.now() - (last.captureTimeMs + 50)).toBeLessThan(1_000);
    expect(client.of('truth').length).toBeGreaterThan(0);
  });

  it('reports a dropped simulated link as stalled and reconnecting, recovers it, and keeps the others streaming', async () => {
    const config = parseLiveConfig({ testControls: true, scenario: { chunkMs: 50 } });
    ({ app } = await startRelay(config));
    const port = (app.server.address() as { port: number }).port;
    client = await RelayClient.connect(`http://127.0.0.1:${port}`);
    await client.waitFor(() => client!.framesOf(1).length >= 3, 'first frames');

    const res = await fetch(`http://127.0.0.1:${port}/api/live/test/interrupt`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ receiverId: 'milano-baggio', durationMs: 6_000 }),
    });
    expect(res.status).toBe(200);
    const cutAt = Date.now();
    const statesOf = () =>
      client!
        .of('state')
        .filter((s) => s.receiverId === 'milano-baggio')
        .map((s) => s.state);
    await client.waitFor(() => statesOf().includes('stalled'), 'stalled', 4_000);
    await client.waitFor(() => statesOf().includes('reconnecting'), 'reconnecting', 6_000);
    await client.waitFor(
      () => statesOf().at(-1) === 'streaming' && statesOf().includes('reconnecting'),
      'recovered',
      15_000,
    );
    const seq = statesOf();
    expect(seq.indexOf('stalled')).toBeLessThan(seq.indexOf('reconnecting'));

    // The other receivers never stopped: frames kept coming during the outage.
    const during = client
      .framesOf(0)
      .filter((f) => f.captureTimeMs > cutAt + 500 && f.captureTimeMs < cutAt + 4_500);
    expect(during.length).toBeGreaterThanOrEqual(60);
    // The recovered stream is a new connection whose sequence starts again at 1.
    await client.waitFor(
      () => client!.framesOf(1).some((f) => f.connectionIndex === 2),
      'frames of the new connection',
    );
    expect(client.framesOf(1).find((f) => f.connectionIndex === 2)!.sequence).toBe(1);

    const status = (await (await fetch(`http://127.0.0.1:${port}/api/live/status`)).json()) as {
      receivers: { receiverId: string; state: string }[];
    };
    expect(status.receivers.map((r) => r.state)).toEqual(['streaming', 'streaming', 'streaming']);
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(metrics).toMatch(
      /heimdall_live_source_state_changes_total\{receiver="milano-baggio",state="stalled"\} 1/,
    );
    expect(metrics).toMatch(/heimdall_live_frames_relayed_total\{receiver="genova"\} \d+/);
    expect(metrics).toMatch(/heimdall_live_clients 1/);
  }, 30_000);

  it('offers no test controls unless the config enables them', async () => {
    ({ app } = await startRelay(parseLiveConfig({})));
    const port = (app.server.address() as { port: number }).port;
    const res = await app.inject({
      method: 'POST',
      url: '/api/live/test/interrupt',
      headers: { host: `127.0.0.1:${port}` },
      payload: { receiverId: 'genova', durationMs: 1000 },
    });
    expect(res.statusCode).toBe(404);
  });
});

describe('live relay with a configured network of any receivers', () => {
  it('streams five simulated receivers at their own positions, for the any-network model', async () => {
    const stations = [
      { id: 'lyon', lat: 45.76, lon: 4.84 },
      { id: 'grenoble', lat: 45.19, lon: 5.72, name: 'Grenoble' },
      { id: 'macon', lat: 46.31, lon: 4.83 },
      { id: 'st-etienne', lat: 45.44, lon: 4.39 },
      { id: 'bourg', lat: 46.2, lon: 5.23 },
    ];
    const config = parseLiveConfig({
      receivers: stations.map((s) => ({ ...s, source: 'simulated' })),
      scenario: { chunkMs: 50, gps: {} },
    });
    ({ app } = await startRelay(config, {}, SHIPPED_REGISTRY));
    const port = (app.server.address() as { port: number }).port;
    client = await RelayClient.connect(`http://127.0.0.1:${port}`);
    await client.waitFor(
      () => stations.every((_, i) => client!.framesOf(i).length >= 4),
      '4 frames of each receiver',
    );
    const [hello] = client.of('hello');
    expect(hello.constellationId).toBe(CONFIGURED_NETWORK_ID);
    expect(hello.receivers.map((r) => [r.receiverId, r.lat, r.lon, r.source])).toEqual(
      stations.map((s) => [s.id, s.lat, s.lon, 'simulated']),
    );
    expect(hello.receivers[1].name).toBe('Grenoble');
    for (let i = 0; i < stations.length; i++) {
      const f = client.framesOf(i)[0];
      expect(f.sampleRateHz).toBe(12_000);
      // GPS mode: every receiver stamps its frames, as a KiwiSDR does.
      expect(f.gps).toBeDefined();
    }
    // The transmitter crosses the configured network, not the built-in north-west Italy one.
    const truth = client.of('truth')[0];
    expect(geodesicInverse(networkCentroid(stations), truth).distanceM).toBeLessThan(80_000);
  });
});

describe('live relay: who may connect', () => {
  it('refuses a WebSocket opened by a page of another origin', async () => {
    ({ app } = await startRelay(parseLiveConfig({})));
    const port = (app.server.address() as { port: number }).port;
    const { WebSocket } = await import('ws');
    const ws = new WebSocket(`ws://127.0.0.1:${port}/api/live`, { origin: 'http://evil.example' });
    const messages: string[] = [];
    ws.on('message', (d) => messages.push(String(d)));
    const code = await new Promise<number>((ok) => ws.on('close', (c) => ok(c)));
    expect(code).toBe(1008);
    expect(messages).toEqual([]);
    const metrics = await app.inject({
      url: '/metrics',
      headers: { host: `127.0.0.1:${port}` },
    });
    expect(metrics.body).toMatch(
      /heimdall_live_connections_refused_total\{reason="cross_origin"\} 1/,
    );
    // The app's own pages (same origin) are served.
    client = await RelayClient.connect(`http://127.0.0.1:${port}`, `http://127.0.0.1:${port}`);
    await client.waitFor(() => client!.of('hello').length === 1, 'hello');
  });
});
