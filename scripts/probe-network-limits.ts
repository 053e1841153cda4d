/**
 * What the any-network model says about scenes outside what it was trained on (issue 13 item 7):
 * networks wider than the trained 30-600 km spread, and receivers that heard nothing (all zeros,
 * or noise only). Prints, per case, the median error, the median 95 % semi-major axis, their ratio
 * and how often the 95 % ellipse holds the truth, so the CLI's rule for such scenes rests on
 * measurements. Not a test: a probe whose figures the README quotes.
 *
 *   npx tsx scripts/probe-network-limits.ts [--scenes 40] [--version 2.0.0]
 */
import { parseArgs } from 'node:util';
import { median } from '../src/core/stats';
import { networkGeometry } from '../src/core/networkFeatures';
import { SceneFeaturizer } from '../src/core/sceneFeatures';
import { windowSamples } from '../src/core/dsp/logMel';
import { NETWORK_RANGES, simulateNetworkScene, type NetworkScene } from '../src/core/sim/network';
import { PHYSICS_PRESETS } from '../src/core/sim/physics';
import { loadNodeNetworkModel } from '../src/node/nodeNetworkModel';
import { DEFAULT_REGISTRY_PATH, resolveVersionDir } from '../src/node/registry';
import { scoreEstimates } from '../training/evaluateNetwork';
import { Rng } from '../src/core/rng';

const { values } = parseArgs({
  options: {
    scenes: { type: 'string', default: '40' },
    version: { type: 'string', default: '2.0.0' },
  },
});
const scenes = Number(values.scenes);
const { dir } = await resolveVersionDir(DEFAULT_REGISTRY_PATH, values.version!);
const model = await loadNodeNetworkModel(dir);
const p = model.metadata.preprocessing;
const featurizer = new SceneFeaturizer(p);
const samples = windowSamples(p);
const K95 = Math.sqrt(-2 * Math.log(0.05));

type Doctor = (scene: NetworkScene, rng: Rng) => Float32Array[];
const asIs: Doctor = (s) => s.receivers.map((r) => r.iq);

/** Receiver 0's (or every receiver's) samples replaced: all zeros, or noise at its own level. */
const silenced =
  (how: 'zeros' | 'noise', every = false): Doctor =>
  (s, rng) =>
    s.receivers.map((r, i) => {
      if (i !== 0 && !every) return r.iq;
      const out = new Float32Array(r.iq.length);
      if (how === 'noise') {
        // The receiver's own noise power (its recorded power less the signal's share by its SNR).
        let power = 0;
        for (const v of r.iq) power += v * v;
        const noiseStd = Math.sqrt(power / r.iq.length / (1 + 10 ** (r.snrDb / 10)));
        for (let k = 0; k < out.length; k++) out[k] = noiseStd * rng.normal();
      }
      return out;
    });

async function run(
  name: string,
  spreadKm: { lo: number; hi: number },
  doctor: Doctor,
  /** Leave receiver 0 out of the scene (what the CLI does with an all-zero recording). */
  dropFirst = false,
) {
  const inputs = [];
  const truths = [];
  const rng = new Rng(99, 0);
  for (let i = 0; i < scenes; i++) {
    const scene = simulateNetworkScene(4242, i, {
      physics: PHYSICS_PRESETS.nominal,
      sampleRateHz: p.sampleRateHz,
      samples,
      ranges: { ...NETWORK_RANGES, spreadKm },
      nReceivers: 5,
    });
    const windows = doctor(scene, rng).slice(dropFirst ? 1 : 0);
    inputs.push({
      logmel: featurizer.modelInput(windows),
      geometry: networkGeometry(scene.network.receivers.slice(dropFirst ? 1 : 0)),
    });
    truths.push(scene.truth);
  }
  const { estimates } = await model.predict(inputs);
  const { errorsKm, d2 } = scoreEstimates(estimates, truths);
  const semi95Km = estimates.map(
    (e) => (e.ellipses.find((x) => x.p === 0.95)?.semiMajorM ?? 0) / 1000,
  );
  const inside95 = d2.filter((d) => d <= K95 * K95).length / d2.length;
  const medErr = median(errorsKm);
  const medSemi = median(semi95Km);
  console.log(
    `${name.padEnd(34)} median error ${medErr.toFixed(0).padStart(6)} km  ` +
      `95% semi-major ${medSemi.toFixed(0).padStart(6)} km  ratio ${(medSemi / medErr).toFixed(2)}  ` +
      `95% holds truth ${(100 * inside95).toFixed(0)}%`,
  );
}

console.log(`model ${values.version}, ${scenes} scenes of 5 receivers per row, nominal physics`);
for (const spread of [300, 600, 1000, 2000, 5000]) {
  await run(`spread ${spread} km`, { lo: spread, hi: spread }, asIs);
}
await run('spread 300 km, one rx all zeros', { lo: 300, hi: 300 }, silenced('zeros'));
await run('spread 300 km, one rx noise only', { lo: 300, hi: 300 }, silenced('noise'));
await run('spread 300 km, one rx left out', { lo: 300, hi: 300 }, asIs, true);
await run('spread 300 km, every rx noise only', { lo: 300, hi: 300 }, silenced('noise', true));
