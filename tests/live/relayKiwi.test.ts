import { afterEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { parseLiveConfig } from '../../server/live/liveConfig';
import { CONFIGURED_NETWORK_ID, resolveLiveNetwork } from '../../server/live/liveNetwork';
import { isHeimdallError } from '../../src/core/errors';
import type { Constellation } from '../../src/core/modelMetadata';
import { KiwiDouble, toneSample } from '../support/kiwiDouble';
import { RelayClient, SHIPPED_REGISTRY, startRelay } from './relayHarness';

let app: FastifyInstance | undefined;
let client: RelayClient | undefined;
let double: KiwiDouble | undefined;

afterEach(async () => {
  await client?.close();
  await app?.close();
  await double?.close();
  app = client = double = undefined;
});

const portOf = (a: FastifyInstance) => (a.server.address() as { port: number }).port;

/**
 * The fixed network's other receivers, simulated: with the test registry (fixed-network models
 * only) a Kiwi at genova streams as part of the whole network, since no model serves a subset.
 */
const SIMULATED_REST = [
  { id: 'aquila-giaveno', source: 'simulated' },
  { id: 'milano-baggio', source: 'simulated' },
] as const;

describe('live relay with a KiwiSDR receiver (local protocol double)', () => {
  it('relays the Kiwi IQ end to end next to simulated receivers', async () => {
    double = await KiwiDouble.start({ toneHz: 1500, toneAmplitude: 0.25, rssiDbm: -81 });
    const config = parseLiveConfig({
      allowList: [`127.0.0.1:${double.port}`],
      centerFrequencyHz: 7_074_000,
      receivers: [
        { id: 'aquila-giaveno', source: 'kiwisdr', host: '127.0.0.1', port: double.port },
        { id: 'genova', source: 'simulated' },
        { id: 'milano-baggio', source: 'simulated' },
      ],
    });
    ({ app } = await startRelay(config));
    client = await RelayClient.connect(`http://127.0.0.1:${portOf(app)}`);
    await client.waitFor(() => client!.framesOf(0).length >= 5, '5 Kiwi frames');
    await client.waitFor(() => client!.framesOf(1).length >= 3, 'simulated frames');

    const [hello] = client.of('hello');
    expect(hello.receivers.map((r) => [r.receiverId, r.source, r.label])).toEqual([
      ['aquila-giaveno', 'kiwisdr', `127.0.0.1:${double.port}`],
      ['genova', 'simulated', 'simulated'],
      ['milano-baggio', 'simulated', 'simulated'],
    ]);
    const kiwi = client.framesOf(0);
    expect(kiwi.map((f) => f.sequence)).toEqual(kiwi.map((_, k) => k + 1));
    for (const f of kiwi) {
      expect(f.sampleRateHz).toBe(12_000);
      expect(f.centerFrequencyHz).toBe(7_074_000);
      expect(f.iq.length).toBe(2 * 512);
      expect(f.rssiDbm).toBeCloseTo(-81, 0);
    }
    // The first frame carries no GPS stamp (as a real Kiwi's); later ones are exact.
    expect(kiwi[0].timeExact).toBe(false);
    expect(kiwi[2].timeExact).toBe(true);
    // The samples are the double's tone, to int16 precision, across frame boundaries.
    const second = kiwi[1];
    for (const j of [0, 1, 100, 511]) {
      const [i, q] = toneSample(512 + j, double.options);
      expect(second.iq[2 * j]).toBeCloseTo(i, 3);
      expect(second.iq[2 * j + 1]).toBeCloseTo(q, 3);
    }
    const states = client.of('state').filter((s) => s.receiverId === 'aquila-giaveno');
    expect(states.map((s) => s.state)).toContain('streaming');
  });

  it('relays a KiwiSDR of a configured network at its own position, for the any-network model', async () => {
    double = await KiwiDouble.start({ toneHz: 1500, toneAmplitude: 0.25, rssiDbm: -81 });
    const config = parseLiveConfig({
      allowList: [`127.0.0.1:${double.port}`],
      centerFrequencyHz: 7_074_000,
      receivers: [
        {
          id: 'lyon',
          name: 'Lyon',
          lat: 45.76,
          lon: 4.84,
          source: 'kiwisdr',
          host: '127.0.0.1',
          port: double.port,
        },
        { id: 'grenoble', lat: 45.19, lon: 5.72, source: 'simulated' },
        { id: 'macon', lat: 46.31, lon: 4.83, source: 'simulated' },
      ],
    });
    ({ app } = await startRelay(config, {}, SHIPPED_REGISTRY));
    client = await RelayClient.connect(`http://127.0.0.1:${portOf(app)}`);
    await client.waitFor(() => client!.framesOf(0).length >= 3, '3 Kiwi frames');
    await client.waitFor(() => client!.framesOf(2).length >= 3, 'simulated frames');
    const [hello] = client.of('hello');
    expect(hello.constellationId).toBe(CONFIGURED_NETWORK_ID);
    expect(
      hello.receivers.map((r) => [r.receiverId, r.name, r.lat, r.lon, r.source, r.label]),
    ).toEqual([
      ['lyon', 'Lyon', 45.76, 4.84, 'kiwisdr', `127.0.0.1:${double.port}`],
      ['grenoble', 'grenoble', 45.19, 5.72, 'simulated', 'simulated'],
      ['macon', 'macon', 46.31, 4.83, 'simulated', 'simulated'],
    ]);
    expect(client.framesOf(0)[0].centerFrequencyHz).toBe(7_074_000);
  });

  it('reports a Kiwi that drops as reconnecting and streams again after the reconnect', async () => {
    double = await KiwiDouble.start();
    const config = parseLiveConfig({
      allowList: [`127.0.0.1:*`],
      centerFrequencyHz: 7_074_000,
      receivers: [
        { id: 'genova', source: 'kiwisdr', host: '127.0.0.1', port: double.port },
        ...SIMULATED_REST,
      ],
    });
    ({ app } = await startRelay(config));
    client = await RelayClient.connect(`http://127.0.0.1:${portOf(app)}`);
    await client.waitFor(() => client!.framesOf(0).length >= 3, 'frames');
    double.dropConnections();
    const states = () =>
      client!
        .of('state')
        .filter((s) => s.receiverId === 'genova')
        .map((s) => s.state);
    await client.waitFor(() => states().includes('reconnecting'), 'reconnecting');
    await client.waitFor(
      () => client!.framesOf(0).some((f) => f.connectionIndex === 2),
      'frames after reconnect',
      8_000,
    );
    expect(states().at(-1)).toBe('streaming');
  }, 20_000);

  it('tells the browser why it cannot serve when a source refuses its settings', async () => {
    const config = parseLiveConfig({
      allowList: ['127.0.0.1:*'],
      centerFrequencyHz: 145_500_000, // VHF: above any KiwiSDR
      receivers: [
        { id: 'genova', source: 'kiwisdr', host: '127.0.0.1', port: 8073 },
        ...SIMULATED_REST,
      ],
    });
    ({ app } = await startRelay(config));
    client = await RelayClient.connect(`http://127.0.0.1:${portOf(app)}`);
    await client.waitFor(() => client!.closed, 'the relay to close the socket');
    expect(client.of('error')[0].message).toMatch(
      /centre frequency 145500000 Hz is above any KiwiSDR/,
    );
    expect(client.frames).toHaveLength(0);
  });
});

describe('live config: the allow-list', () => {
  it('refuses a KiwiSDR host that is not allowed before any connection is made', async () => {
    double = await KiwiDouble.start();
    const receivers = [{ id: 'genova', source: 'kiwisdr', host: '127.0.0.1', port: double.port }];
    const attempts = [
      { allowList: [], receivers, centerFrequencyHz: 7e6 },
      { allowList: ['127.0.0.2:*'], receivers, centerFrequencyHz: 7e6 },
      { allowList: [`127.0.0.1:${double.port + 1}`], receivers, centerFrequencyHz: 7e6 },
    ];
    for (const json of attempts) {
      let error: unknown;
      try {
        parseLiveConfig(json, 'live.json');
      } catch (err) {
        error = err;
      }
      expect(isHeimdallError(error, 'ConfigError')).toBe(true);
      expect((error as Error).message).toMatch(
        /^live\.json: receiver genova: 127\.0\.0\.1:\d+ is not on the allow-list/,
      );
    }
    // Written another way, the same address is still the listed one (WHATWG normalisation).
    expect(() =>
      parseLiveConfig({ allowList: ['127.1:*'], receivers, centerFrequencyHz: 7e6 }),
    ).not.toThrow();
    await new Promise((r) => setTimeout(r, 100));
    expect(double.tcpConnections).toBe(0);
  });

  it('refuses receivers outside the model constellation, duplicates and bad entries', () => {
    const constellation: Constellation = {
      id: 'c',
      name: 'c',
      bandHz: [144e6, 146e6],
      receivers: [{ id: 'a', name: 'A', lat: 45, lon: 7 }],
    };
    const config = parseLiveConfig({ receivers: [{ id: 'zz', source: 'simulated' }] });
    expect(() =>
      resolveLiveNetwork(config, {
        fixed: { version: '1.0.0', constellation, sampleRateHz: 12_000 },
      }),
    ).toThrow(
      /receiver zz has no position: give "lat" and "lon" or use a receiver of the model's network \(a\)/,
    );
    expect(() =>
      parseLiveConfig({
        receivers: [
          { id: 'a', source: 'simulated' },
          { id: 'a', source: 'simulated' },
        ],
      }),
    ).toThrow(/listed twice/);
    expect(() => parseLiveConfig({ allowList: ['no-port'] }, 'x.json')).toThrow(
      /x\.json: allow-list entry "no-port": missing port/,
    );
    expect(() =>
      parseLiveConfig({
        receivers: [{ id: 'a', source: 'kiwisdr', host: 'h', port: 1 }],
        allowList: ['h:1'],
      }),
    ).toThrow(/no centerFrequencyHz/);
    expect(() => parseLiveConfig({ bogus: 1 }, 'y.json')).toThrow(/^y\.json: /);
  });
});

describe('the example live config', () => {
  it('is valid and names its file in errors', async () => {
    const { loadLiveConfig } = await import('../../server/live/liveConfig');
    const path = new URL('../../server/live/live.example.json', import.meta.url).pathname;
    const config = await loadLiveConfig(path);
    expect(config.receivers?.map((r) => r.source)).toEqual(['kiwisdr', 'kiwisdr', 'simulated']);
    await expect(loadLiveConfig('/nonexistent/live.json')).rejects.toThrow(
      /^\/nonexistent\/live\.json: cannot read/,
    );
  });
});
