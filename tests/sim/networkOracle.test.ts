import { describe, expect, it } from 'vitest';
import { localOffset } from '../../src/core/geodesy';
import { networkGeometry } from '../../src/core/networkFeatures';
import { NETWORK_RANGES, simulateNetworkScene } from '../../src/core/sim/network';
import { NOMINAL, pathLossDb, wattsToDbm } from '../../src/core/sim/physics';
import { oracleSceneOf, oraclePosteriorMean } from '../../training/networkOracle';

const physicsOnly = { physics: NOMINAL, sampleRateHz: 12000, samples: 64 };

describe('network oracle', () => {
  it('finds a transmitter whose powers follow the law exactly, among many receivers', () => {
    const receiversEN: [number, number][] = [];
    for (let k = 0; k < 12; k++) {
      const a = (2 * Math.PI * k) / 12;
      receiversEN.push([100e3 * Math.cos(a), 100e3 * Math.sin(a) * (k % 2 ? 0.5 : 1)]);
    }
    const tx = [30e3, -20e3];
    const observedDbm = receiversEN.map(
      ([x, y]) => wattsToDbm(5) - pathLossDb(Math.hypot(x - tx[0], y - tx[1]), 145e6, 3.15),
    );
    const mean = oraclePosteriorMean(
      { receiversEN, observedDbm, maxRadiusM: 100e3, frequencyHz: 145e6 },
      NOMINAL,
      NETWORK_RANGES,
    );
    expect(Math.hypot(mean.eastM - tx[0], mean.northM - tx[1])).toBeLessThan(15e3);
  });

  it('beats guessing the centroid on simulated scenes', () => {
    let oracleKm = 0;
    let centroidKm = 0;
    for (let i = 0; i < 40; i++) {
      const s = simulateNetworkScene(77, i, { ...physicsOnly, nReceivers: 6 });
      const g = networkGeometry(s.network.receivers);
      const mean = oraclePosteriorMean(oracleSceneOf(s, g.positionKm), NOMINAL, NETWORK_RANGES);
      const t = localOffset(g.centroid, s.truth);
      oracleKm += Math.hypot(mean.eastM - t.eastM, mean.northM - t.northM) / s.network.maxRadiusM;
      centroidKm += Math.hypot(t.eastM, t.northM) / s.network.maxRadiusM;
    }
    expect(oracleKm).toBeLessThan(0.8 * centroidKm);
  });
});
