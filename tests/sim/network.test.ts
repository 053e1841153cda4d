import { describe, expect, it } from 'vitest';
import { geodesicInverse } from '../../src/core/geodesy';
import { NETWORK_RANGES, simulateNetworkScene } from '../../src/core/sim/network';
import { NOMINAL } from '../../src/core/sim/physics';

const opts = { physics: NOMINAL, sampleRateHz: 12000, samples: 256 };

describe('random-network simulator', () => {
  it('draws 2 to 12 receivers over 30-600 km with the transmitter in its disc, deterministically', () => {
    const sizes = new Set<number>();
    for (let i = 0; i < 60; i++) {
      const s = simulateNetworkScene(5, i, opts);
      const n = s.network.receivers.length;
      sizes.add(n);
      expect(s.receivers).toHaveLength(n);
      expect(n).toBeGreaterThanOrEqual(2);
      expect(n).toBeLessThanOrEqual(12);
      expect(s.network.spreadKm).toBeGreaterThanOrEqual(NETWORK_RANGES.spreadKm.lo);
      expect(s.network.spreadKm).toBeLessThanOrEqual(NETWORK_RANGES.spreadKm.hi);
      // Every receiver lies within the drawn area's diameter of every other.
      expect(s.network.maxRadiusM).toBeLessThanOrEqual(s.network.spreadKm * 1000);
      const r = geodesicInverse(s.network.centroid, s.truth).distanceM;
      expect(r).toBeLessThanOrEqual(s.network.txRadiusM * 1.001);
      expect(s.network.txRadiusM / s.network.maxRadiusM).toBeGreaterThanOrEqual(1.2);
      expect(new Set(s.network.receivers.map((x) => x.id)).size).toBe(n);
    }
    expect(sizes.size).toBeGreaterThan(6);
    const again = simulateNetworkScene(5, 7, opts);
    expect(again.truth).toEqual(simulateNetworkScene(5, 7, opts).truth);
    expect(again.network.receivers).toEqual(simulateNetworkScene(5, 7, opts).network.receivers);
  });

  it('honours a fixed number of receivers', () => {
    expect(simulateNetworkScene(5, 1, { ...opts, nReceivers: 12 }).receivers).toHaveLength(12);
  });
});
