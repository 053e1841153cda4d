import { stat } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { windowSamples } from '../../src/core/dsp/logMel';
import { geodesicInverse } from '../../src/core/geodesy';
import { networkGeometry } from '../../src/core/networkFeatures';
import { SceneFeaturizer } from '../../src/core/sceneFeatures';
import { simulateNetworkScene } from '../../src/core/sim/network';
import { NOMINAL } from '../../src/core/sim/physics';
import { loadNodeModel } from '../../src/node/nodeModel';
import { loadNodeNetworkModel } from '../../src/node/nodeNetworkModel';

const DIR = 'public/models/2.0.0';

describe('the committed any-network model 2.0.0', async () => {
  const model = await loadNodeNetworkModel(DIR);
  const featurizer = new SceneFeaturizer(model.metadata.preprocessing);
  const samples = windowSamples(model.metadata.preprocessing);
  const sceneInput = (index: number, n: number, order?: number[]) => {
    const s = simulateNetworkScene(41, index, {
      physics: NOMINAL,
      sampleRateHz: 12000,
      samples,
      nReceivers: n,
    });
    const idx = order ?? s.receivers.map((_, i) => i);
    return {
      scene: s,
      input: {
        logmel: featurizer.modelInput(idx.map((i) => s.receivers[i].iq)),
        geometry: networkGeometry(idx.map((i) => s.network.receivers[i])),
      },
    };
  };

  it('is small enough for a first visit and says what it serves', async () => {
    expect((await stat(`${DIR}/model.onnx`)).size).toBeLessThan(5 * 1024 * 1024);
    expect(model.metadata.serves).toMatchObject({
      kind: 'any-network',
      minReceivers: 2,
      maxReceivers: 12,
    });
    await expect(loadNodeModel(DIR)).rejects.toThrow(/serves any network/);
  });

  it('does not depend on the order of the receivers or on padding', async () => {
    const a = sceneInput(0, 5);
    const b = sceneInput(0, 5, [4, 2, 0, 3, 1]);
    const c = sceneInput(1, 12);
    const [ea] = (await model.predict([a.input])).estimates;
    const [eb] = (await model.predict([b.input])).estimates;
    // Batched with a 12-receiver scene, the 5-receiver scene is padded to 12 under a mask.
    const [ep] = (await model.predict([a.input, c.input])).estimates;
    for (const e of [eb, ep]) {
      expect(e.lat).toBeCloseTo(ea.lat, 4);
      expect(e.lon).toBeCloseTo(ea.lon, 4);
      expect(e.cov.ee).toBeCloseTo(ea.cov.ee, -4);
    }
  });

  it('locates better than guessing the centroid', async () => {
    let modelM = 0;
    let centroid = 0;
    for (let i = 0; i < 24; i++) {
      const { scene, input } = sceneInput(100 + i, 8);
      const [e] = (await model.predict([input])).estimates;
      modelM += geodesicInverse(e, scene.truth).distanceM;
      centroid += geodesicInverse(scene.network.centroid, scene.truth).distanceM;
    }
    expect(modelM).toBeLessThan(0.8 * centroid);
  });
});
