import { describe, expect, it } from 'vitest';
import { openRecordings } from '../../src/core/readers/open';
import { NOMINAL } from '../../src/core/sim/physics';
import { simulateScene } from '../../src/core/sim/scene';
import { sceneToSigmf } from '../../src/core/sim/sigmfWriter';
import { trainingConfig } from '../../training/loadConfig';
import * as b from './builders';

describe("the simulator's SigMF output reads back through openRecordings", () => {
  it('with its samples, receiver, position, time, frequency and truth', async () => {
    const { constellation } = trainingConfig();
    const scene = simulateScene(3, 5, {
      constellation,
      physics: NOMINAL,
      sampleRateHz: 12000,
      samples: 500,
    });
    const files = sceneToSigmf(scene, constellation).flatMap((p) => [
      b.source(`${p.baseName}.sigmf-meta`, p.meta),
      b.source(`${p.baseName}.sigmf-data`, p.data),
    ]);
    const { recordings, errors } = await openRecordings(files);
    expect(errors).toEqual([]);
    expect(recordings).toHaveLength(constellation.receivers.length);
    for (const [i, rec] of recordings.entries()) {
      const rx = constellation.receivers[i];
      expect(rec.info).toMatchObject({
        format: 'sigmf',
        sampleRateHz: 12000,
        totalSamples: 500,
        receiverHint: rx.id,
        geolocation: { lat: rx.lat, lon: rx.lon },
        captureTime: scene.captureTime,
        centerFrequencyHz: scene.centerFrequencyHz,
        truth: {
          lat: scene.truth.lat,
          lon: scene.truth.lon,
          powerW: scene.truth.powerW,
          kind: scene.truth.kind,
        },
      });
      expect(await rec.readSamples(0, 500)).toEqual(scene.receivers[i].iq);
    }
  });
});
