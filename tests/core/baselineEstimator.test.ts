/**
 * The power baseline as a scene estimator: it serves a network of any stations (here four,
 * where the models serve three), and says which receivers it used.
 */
import { describe, expect, it } from 'vitest';
import { windowSamples } from '../../src/core/dsp/logMel';
import { geodesicInverse } from '../../src/core/geodesy';
import { powerBaselineEstimator } from '../../src/core/scene/baselineEstimator';
import type { IqRecording } from '../../src/core/readers/types';
import type { Scene } from '../../src/core/scene/types';
import { NOMINAL } from '../../src/core/sim/physics';
import { DEFAULT_REGION, simulateScene } from '../../src/core/sim/scene';
import { trainingConfig } from '../../training/loadConfig';
import { memoryRecording } from '../support/memoryRecording';

const { constellation, preprocessing } = trainingConfig();
const network = {
  ...constellation,
  receivers: [...constellation.receivers, { id: 'alba', name: 'Alba', lat: 44.7, lon: 8.03 }],
};

const inMemory = (name: string, iq: Float32Array) =>
  memoryRecording(name, iq, preprocessing.sampleRateHz);

describe('powerBaselineEstimator', () => {
  const estimator = powerBaselineEstimator({ preprocessing, region: DEFAULT_REGION });
  const physics = {
    ...NOMINAL,
    shadowingSigmaDb: { lo: 0.01, hi: 0.01 },
    gainOffsetDb: { lo: 0, hi: 0 },
    pathLossExponent: { lo: 3.15, hi: 3.15 },
  };

  it('locates scenes of four stations better than the region centre', async () => {
    const centre = { lat: 44.9, lon: 8.2 };
    let better = 0;
    const n = 8;
    for (let i = 0; i < n; i++) {
      const s = simulateScene(7, i, {
        constellation: network,
        physics,
        sampleRateHz: preprocessing.sampleRateHz,
        samples: windowSamples(preprocessing),
      });
      const scene: Scene<IqRecording> = {
        id: `s${i}`,
        captureTimeMs: 0,
        members: s.receivers.map((r, k) => ({
          recording: inMemory(`${k}.cf32`, r.iq),
          station: network.receivers[k],
          source: 'model-receiver',
          captureTimeMs: 0,
        })),
      };
      expect(estimator.whyNot(scene)).toBeNull();
      const est = await estimator.locate(scene);
      expect(est).toMatchObject({ sceneId: `s${i}`, method: 'power-baseline' });
      expect(est.receiverIds).toEqual(network.receivers.map((r) => r.id));
      expect(est.ellipses.map((e) => e.p)).toEqual([0.68, 0.95]);
      if (geodesicInverse(est, s.truth).distanceM < geodesicInverse(centre, s.truth).distanceM)
        better++;
    }
    expect(better / n).toBeGreaterThan(0.6);
  });

  it('refuses a scene of one receiver, naming it', async () => {
    const scene: Scene<IqRecording> = { id: 'lonely', captureTimeMs: 0, members: [] };
    expect(estimator.whyNot(scene)).toMatch(/lonely has 0 receiver/);
    await expect(estimator.locate(scene)).rejects.toMatchObject({ name: 'SceneIncompleteError' });
  });
});
