import { describe, expect, it } from 'vitest';
import { windowSamples } from '../../src/core/dsp/logMel';
import { geodesicInverse } from '../../src/core/geodesy';
import { SceneFeaturizer } from '../../src/core/sceneFeatures';
import {
  freeSpaceLossDb,
  NOMINAL,
  pathLossDb,
  TRAINING,
  SHIFTED,
} from '../../src/core/sim/physics';
import { DEFAULT_REGION, simulateScene } from '../../src/core/sim/scene';
import { sceneToSigmf } from '../../src/core/sim/sigmfWriter';
import { SIGNAL_KINDS } from '../../src/core/sim/signals';
import { trainingConfig } from '../../training/loadConfig';

const { constellation, preprocessing } = trainingConfig();
const opts = {
  constellation,
  physics: NOMINAL,
  sampleRateHz: 12000,
  samples: windowSamples(preprocessing),
};

function meanPowerDb(iq: Float32Array): number {
  let s = 0;
  for (let i = 0; i < iq.length; i++) s += iq[i] * iq[i];
  return 10 * Math.log10(s / (iq.length / 2));
}

describe('simulator', () => {
  it('is deterministic in (seed, index) and differs between indices', () => {
    const a = simulateScene(7, 3, opts);
    const b = simulateScene(7, 3, opts);
    const c = simulateScene(7, 4, opts);
    expect(a.truth).toEqual(b.truth);
    expect(Array.from(a.receivers[1].iq.subarray(0, 50))).toEqual(
      Array.from(b.receivers[1].iq.subarray(0, 50)),
    );
    expect(c.truth.lat).not.toBe(a.truth.lat);
  });

  it('draws transmitters inside the region and in the nominal power range', () => {
    for (let i = 0; i < 200; i++) {
      const { truth } = simulateScene(11, i, opts);
      expect(truth.lat).toBeGreaterThanOrEqual(DEFAULT_REGION.latMin);
      expect(truth.lat).toBeLessThanOrEqual(DEFAULT_REGION.latMax);
      expect(truth.lon).toBeGreaterThanOrEqual(DEFAULT_REGION.lonMin);
      expect(truth.lon).toBeLessThanOrEqual(DEFAULT_REGION.lonMax);
      expect(truth.powerW).toBeGreaterThanOrEqual(0.5);
      expect(truth.powerW).toBeLessThanOrEqual(50);
    }
  });

  it('produces every signal kind and signals below the noise at some receivers', () => {
    const kinds = new Set<string>();
    let below = 0;
    for (let i = 0; i < 300; i++) {
      const s = simulateScene(5, i, opts);
      kinds.add(s.truth.kind);
      below += s.receivers.filter((r) => r.snrDb < 0).length;
    }
    expect([...kinds].sort()).toEqual([...SIGNAL_KINDS].sort());
    expect(below).toBeGreaterThan(0);
  });

  it('puts the simulated levels into the samples: noise alone matches the noise floor', () => {
    // A transmitter 1 mW far away: the recording is noise, at the drawn noise level.
    const s = simulateScene(3, 0, {
      ...opts,
      physics: { ...NOMINAL, txPowerW: { lo: 1e-9, hi: 1e-9 } },
    });
    for (const r of s.receivers) {
      const expected = r.noiseDbm + 30 + r.gainOffsetDb; // dBFS: REFERENCE_DBM = -30
      expect(meanPowerDb(r.iq)).toBeCloseTo(expected, 0);
    }
  });

  it('received power falls with distance as the log-distance law says', () => {
    expect(pathLossDb(1000, 145e6, 3)).toBeCloseTo(freeSpaceLossDb(1000, 145e6), 9);
    expect(pathLossDb(10_000, 145e6, 3) - pathLossDb(1000, 145e6, 3)).toBeCloseTo(30, 9);
    // Friis at 145 MHz, 1 km: 20 log10(145) + 32.45 = 75.68 dB.
    expect(freeSpaceLossDb(1000, 145e6)).toBeCloseTo(75.68, 2);
  });

  it('records the geodesic receiver distances', () => {
    const s = simulateScene(9, 1, opts);
    s.receivers.forEach((r, i) => {
      expect(r.distanceM).toBeCloseTo(
        geodesicInverse(s.truth, constellation.receivers[i]).distanceM,
        3,
      );
    });
  });

  it('the shifted physics lies outside the training ranges', () => {
    expect(SHIFTED.pathLossExponent.lo).toBeGreaterThan(TRAINING.pathLossExponent.hi);
    expect(SHIFTED.shadowingSigmaDb.lo).toBeGreaterThan(TRAINING.shadowingSigmaDb.hi);
    expect(SHIFTED.noiseFigureDb.lo).toBeGreaterThan(TRAINING.noiseFigureDb.hi);
    expect(SHIFTED.gainOffsetDb.hi).toBeGreaterThan(TRAINING.gainOffsetDb.hi);
  });

  it('the nearest receiver is usually the loudest in the features (power carries location)', () => {
    const f = new SceneFeaturizer(preprocessing);
    let agree = 0;
    const n = 100;
    for (let i = 0; i < n; i++) {
      const s = simulateScene(21, i, opts);
      const levels = f.logMels(s.receivers.map((r) => r.iq)).map((lm) => Math.max(...lm));
      const nearest = s.receivers.reduce(
        (b, r, j) => (r.distanceM < s.receivers[b].distanceM ? j : b),
        0,
      );
      const loudest = levels.reduce((b, v, j) => (v > levels[b] ? j : b), 0);
      if (nearest === loudest) agree++;
    }
    expect(agree / n).toBeGreaterThan(0.6);
  });
});

describe('SigMF writer', () => {
  it('writes one cf32_le pair per receiver with geolocation, time, frequency and truth', () => {
    const s = simulateScene(1, 2, { ...opts, samples: 1000 });
    const pairs = sceneToSigmf(s, constellation);
    expect(pairs.map((p) => p.baseName)).toEqual(
      constellation.receivers.map((r) => `s00002-${r.id}`),
    );
    const meta = JSON.parse(pairs[0].meta);
    expect(meta.global['core:datatype']).toBe('cf32_le');
    expect(meta.global['core:sample_rate']).toBe(12000);
    expect(meta.global['core:geolocation'].coordinates.slice(0, 2)).toEqual([
      constellation.receivers[0].lon,
      constellation.receivers[0].lat,
    ]);
    expect(meta.captures[0]['core:datetime']).toBe(s.captureTime);
    expect(meta.captures[0]['core:frequency']).toBe(s.centerFrequencyHz);
    expect(meta.annotations[0]['heimdall:truth'].lat).toBe(s.truth.lat);
    expect(pairs[0].data.byteLength).toBe(1000 * 8);
    const view = new DataView(pairs[0].data.buffer);
    expect(view.getFloat32(4, true)).toBe(s.receivers[0].iq[1]);
  });
});
