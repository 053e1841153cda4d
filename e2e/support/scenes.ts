/** Scenes for the engine tests: simulated (src/core/sim) or plain seeded noise, as I/Q per receiver. */
import { windowSamples } from '../../src/core/dsp/logMel';
import type { Constellation, Preprocessing } from '../../src/core/modelMetadata';
import { Rng } from '../../src/core/rng';
import { PHYSICS_PRESETS } from '../../src/core/sim/physics';
import { simulateScene } from '../../src/core/sim/scene';

export interface TestScene {
  sceneId: string;
  /** Interleaved I/Q per receiver, model order, one model window at the model's rate. */
  iq: Float32Array[];
  truth?: { lat: number; lon: number };
}

/** A physically simulated scene (the same simulator as `heimdall simulate`), one model window long. */
export function simulatedScene(
  seed: number,
  index: number,
  constellation: Constellation,
  preprocessing: Preprocessing,
): TestScene {
  const scene = simulateScene(seed, index, {
    constellation,
    physics: PHYSICS_PRESETS.nominal,
    sampleRateHz: preprocessing.sampleRateHz,
    samples: windowSamples(preprocessing),
  });
  return {
    sceneId: scene.captureTime,
    iq: scene.receivers.map((r) => r.iq),
    truth: { lat: scene.truth.lat, lon: scene.truth.lon },
  };
}

/** Gaussian noise at a random level per receiver: cheap, distinct scenes for routing statistics. */
export function noiseScene(
  seed: number,
  index: number,
  receivers: number,
  preprocessing: Preprocessing,
): TestScene {
  const rng = new Rng(seed, index);
  const n = 2 * windowSamples(preprocessing);
  const iq = Array.from({ length: receivers }, () => {
    const sigma = 10 ** (rng.uniform(-60, -20) / 20);
    const a = new Float32Array(n);
    for (let i = 0; i < n; i++) a[i] = sigma * rng.normal();
    return a;
  });
  return { sceneId: `noise-${seed}-${index}`, iq };
}
