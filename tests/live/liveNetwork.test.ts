import { describe, expect, it } from 'vitest';
import { defaultMaxBufferedBytes } from '../../server/live/liveHub';
import { loadLiveConfig, parseLiveConfig } from '../../server/live/liveConfig';
import {
  CONFIGURED_NETWORK_ID,
  resolveLiveNetwork,
  scenarioFor,
  type LiveModels,
} from '../../server/live/liveNetwork';
import { geodesicInverse } from '../../src/core/geodesy';
import { transmitterPosition } from '../../src/core/live/scenario';
import { networkCentroid } from '../../src/core/networkFeatures';
import { isHeimdallError } from '../../src/core/errors';
import { SERVING_CASES } from '../support/servingCases';
import { constellation } from './relayHarness';

const fixed = { version: '1.1.0', constellation, sampleRateHz: 12_000 };
const anyNetwork = {
  version: '2.0.0',
  serves: {
    kind: 'any-network' as const,
    minReceivers: 2,
    maxReceivers: 12,
    bandHz: [144e6, 146e6] as [number, number],
  },
  sampleRateHz: 12_000,
};
const both: LiveModels = { fixed, anyNetwork };

/** Five receivers around Lyon, about 150 km across: nowhere near the fixed network. */
const LYON = [
  { id: 'lyon', lat: 45.76, lon: 4.84 },
  { id: 'grenoble', lat: 45.19, lon: 5.72 },
  { id: 'macon', lat: 46.31, lon: 4.83 },
  { id: 'st-etienne', lat: 45.44, lon: 4.39 },
  { id: 'bourg', lat: 46.2, lon: 5.23 },
];
const simulated = (stations: typeof LYON) =>
  stations.map((s) => ({ ...s, source: 'simulated' as const }));

describe('live config: a network of any receivers', () => {
  it('keeps the fixed model for exactly its network, in any order, positions from the model', () => {
    const ids = ['genova', 'aquila-giaveno', 'milano-baggio'];
    const config = parseLiveConfig({ receivers: ids.map((id) => ({ id, source: 'simulated' })) });
    const net = resolveLiveNetwork(config, both);
    expect(net.kind).toBe('fixed');
    expect(net.constellation.id).toBe('nw-italy-2m');
    expect(net.receivers.map((r) => r.id)).toEqual(ids);
    // No receivers listed: the whole fixed network, simulated, as before.
    expect(resolveLiveNetwork(parseLiveConfig({}), both).kind).toBe('fixed');
  });

  it('sends any other network of 2 to 12 placed receivers to the any-network model', () => {
    const net = resolveLiveNetwork(parseLiveConfig({ receivers: simulated(LYON) }), both);
    expect(net.kind).toBe('any');
    expect(net.constellation.id).toBe(CONFIGURED_NETWORK_ID);
    expect(net.constellation.bandHz).toEqual([144e6, 146e6]);
    expect(net.constellation.receivers.map((r) => [r.id, r.lat, r.lon])).toEqual(
      LYON.map((s) => [s.id, s.lat, s.lon]),
    );
    // A station without a name is shown by its id.
    expect(net.constellation.receivers[0].name).toBe('lyon');
    // Part of the fixed network is another network: the any-network model serves it.
    const two = parseLiveConfig({
      receivers: [
        { id: 'genova', source: 'simulated' },
        { id: 'milano-baggio', source: 'simulated' },
      ],
    });
    expect(resolveLiveNetwork(two, both).kind).toBe('any');
    // Without an any-network model no model serves it: the fixed model takes no subset of its
    // receivers (one input channel per receiver, no mask), so the relay says so.
    expect(() => resolveLiveNetwork(two, { fixed })).toThrow(
      /no model locates receivers genova, milano-baggio: scene of the live config lacks receiver\(s\) aquila-giaveno/,
    );
    // A fixed receiver moved by the config is another station.
    const moved = parseLiveConfig({
      receivers: [
        { id: 'aquila-giaveno', source: 'simulated', lat: 46.5, lon: 7.27 },
        { id: 'milano-baggio', source: 'simulated' },
        { id: 'genova', source: 'simulated' },
      ],
    });
    expect(resolveLiveNetwork(moved, both).kind).toBe('any');
  });

  it('takes KiwiSDR receivers with their host, port and position', () => {
    const config = parseLiveConfig({
      allowList: ['kiwi-a.example.org:8073', 'kiwi-b.example.org:8074'],
      centerFrequencyHz: 7_074_000,
      receivers: [
        { id: 'a', source: 'kiwisdr', host: 'kiwi-a.example.org', lat: 45.76, lon: 4.84 },
        {
          id: 'b',
          source: 'kiwisdr',
          host: 'kiwi-b.example.org',
          port: 8074,
          lat: 45.19,
          lon: 5.72,
          name: 'B',
        },
        { id: 'c', source: 'simulated', lat: 46.31, lon: 4.83 },
      ],
    });
    const net = resolveLiveNetwork(config, both);
    expect(net.kind).toBe('any');
    expect(
      net.receivers.map((r) => (r.source === 'kiwisdr' ? `${r.host}:${r.port}` : r.source)),
    ).toEqual(['kiwi-a.example.org:8073', 'kiwi-b.example.org:8074', 'simulated']);
    expect(net.constellation.receivers[1].name).toBe('B');
  });

  it('says what is wrong with a network it cannot serve', () => {
    const parse = (receivers: unknown[]) => parseLiveConfig({ receivers });
    expect(() => parse([{ id: 'x', source: 'simulated', lat: 45 }])).toThrow(
      /receiver x: give both lat and lon, or neither/,
    );
    expect(() =>
      parse(
        Array.from({ length: 13 }, (_, i) => ({
          id: `r${i}`,
          source: 'simulated',
          lat: 45,
          lon: i / 10,
        })),
      ),
    ).toThrow(/receivers: .*12/);
    expect(() => parse([{ id: 'x', source: 'simulated', lat: 95, lon: 7 }])).toThrow(
      /receivers\.0\.lat/,
    );
    expect(() => resolveLiveNetwork(parse([{ id: 'nowhere', source: 'simulated' }]), both)).toThrow(
      /receiver nowhere has no position: give "lat" and "lon" or use a receiver of the model's network \(aquila-giaveno, milano-baggio, genova\)/,
    );
    expect(() => resolveLiveNetwork(parse(simulated(LYON.slice(0, 1))), both)).toThrow(
      /no model locates receivers lyon: .*has 1 receiver\(s\) with a position \(lyon\); model 2\.0\.0 needs 2 to 12/,
    );
    expect(() => resolveLiveNetwork(parse(simulated(LYON)), { fixed })).toThrow(
      /no model locates receivers lyon, grenoble, macon, st-etienne, bourg: scene of the live config lacks receiver\(s\) aquila-giaveno, milano-baggio, genova/,
    );
    expect(() => resolveLiveNetwork(parseLiveConfig({}), { anyNetwork })).toThrow(
      /no fixed-network production model .* list "receivers" with their "lat" and "lon"/,
    );
  });

  it('moves the default simulated transmitter across a configured network, and keeps a configured one', () => {
    const net = resolveLiveNetwork(parseLiveConfig({ receivers: simulated(LYON) }), both);
    const scenario = scenarioFor(parseLiveConfig({ receivers: simulated(LYON) }), net);
    const centroid = networkCentroid(LYON);
    for (const t of [0, 60, 200]) {
      expect(geodesicInverse(centroid, transmitterPosition(scenario, t)).distanceM).toBeLessThan(
        80_000,
      );
    }
    const fixedTx = { motion: 'fixed', position: { lat: 46, lon: 5 } };
    const own = parseLiveConfig({ receivers: simulated(LYON), scenario: { transmitter: fixedTx } });
    expect(scenarioFor(own, net).transmitter).toEqual(fixedTx);
    // The fixed network keeps the built-in default.
    const dflt = parseLiveConfig({});
    expect(scenarioFor(dflt, resolveLiveNetwork(dflt, both))).toBe(dflt.scenario);
  });

  it('reads the example network config: five receivers for the any-network model', async () => {
    const path = new URL('../../server/live/live.network.example.json', import.meta.url).pathname;
    const net = resolveLiveNetwork(await loadLiveConfig(path), both);
    expect(net.kind).toBe('any');
    expect(net.receivers.map((r) => r.source)).toEqual([
      'kiwisdr',
      'simulated',
      'simulated',
      'simulated',
      'simulated',
    ]);
  });

  it("gives each client 2 s of the whole network's IQ by default, at least the 576 kB of three", () => {
    expect(defaultMaxBufferedBytes(3, 12_000)).toBe(576_000);
    expect(defaultMaxBufferedBytes(2, 12_000)).toBe(576_000);
    expect(defaultMaxBufferedBytes(5, 12_000)).toBe(960_000);
    expect(defaultMaxBufferedBytes(12, 12_000)).toBe(2_304_000);
  });
});

describe('live config: the model follows the serving rule of heimdall locate and the worker', () => {
  const kindOf = (config: ReturnType<typeof parseLiveConfig>, models: LiveModels) => {
    try {
      const kind = resolveLiveNetwork(config, models).kind;
      return kind === 'any' ? 'any-network' : kind;
    } catch (err) {
      expect(isHeimdallError(err, 'ConfigError')).toBe(true);
      return 'none';
    }
  };
  for (const c of SERVING_CASES) {
    it(`${c.name}: ${c.withBoth} with both models, ${c.fixedOnly} with the fixed one alone`, () => {
      const config = parseLiveConfig({
        receivers: c.stations.map((s) => ({ ...s, source: 'simulated' })),
      });
      expect(kindOf(config, both)).toBe(c.withBoth);
      expect(kindOf(config, { fixed })).toBe(c.fixedOnly);
    });
  }
});
