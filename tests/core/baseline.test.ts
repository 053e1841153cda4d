import { describe, expect, it } from 'vitest';
import { GridBaseline, measurePower, NOMINAL_BASELINE } from '../../src/core/baseline';
import { windowSamples } from '../../src/core/dsp/logMel';
import { geodesicInverse } from '../../src/core/geodesy';
import { SceneFeaturizer } from '../../src/core/sceneFeatures';
import { NOMINAL } from '../../src/core/sim/physics';
import { DEFAULT_REGION, simulateScene } from '../../src/core/sim/scene';
import { trainingConfig } from '../../training/loadConfig';

const { constellation, preprocessing } = trainingConfig();

describe('grid maximum-likelihood baseline', () => {
  const baseline = new GridBaseline(constellation, DEFAULT_REGION);
  const f = new SceneFeaturizer(preprocessing);

  it('measures a clean tone power to within 1 dB', () => {
    const n = windowSamples(preprocessing);
    const iq = new Float32Array(2 * n);
    const a = 10 ** (-40 / 20); // -40 dBFS = -70 dBm at the nominal gain
    for (let i = 0; i < n; i++) {
      iq[2 * i] = a * Math.cos(0.3 * i) + 1e-6 * Math.sin(i * 7.1);
      iq[2 * i + 1] = a * Math.sin(0.3 * i) + 1e-6 * Math.cos(i * 3.3);
    }
    const m = measurePower(f.averagedPowerSpectra([iq])[0], NOMINAL_BASELINE.detectionSnrDb);
    expect(m.signalDbm).not.toBeNull();
    expect(m.signalDbm!).toBeCloseTo(-70, 0);
  });

  it('locates without shadowing much better than guessing the region centre', () => {
    const physics = {
      ...NOMINAL,
      shadowingSigmaDb: { lo: 0.01, hi: 0.01 },
      gainOffsetDb: { lo: 0, hi: 0 },
      pathLossExponent: { lo: 3.15, hi: 3.15 },
    };
    const centre = { lat: 44.9, lon: 8.2 };
    let better = 0;
    const n = 30;
    for (let i = 0; i < n; i++) {
      const s = simulateScene(4, i, {
        constellation,
        physics,
        sampleRateHz: 12000,
        samples: windowSamples(preprocessing),
      });
      const est = baseline.locate(
        f.averagedPowerSpectra(s.receivers.map((r) => r.iq)).map((p) => measurePower(p, -3)),
      );
      if (geodesicInverse(est, s.truth).distanceM < geodesicInverse(centre, s.truth).distanceM)
        better++;
      expect(est.cov.ee).toBeGreaterThan(0);
    }
    expect(better / n).toBeGreaterThan(0.7);
  });
});
