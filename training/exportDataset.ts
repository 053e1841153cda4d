/**
 * Exports a simulated dataset for training through the serving feature code (src/core), so the
 * network is trained on exactly the features the app computes.
 *
 *   tsx training/exportDataset.ts --scenes 40000 --seed 1 --physics training --out training/data/train [--shard 0/2]
 *
 * Writes features-<shard>.npy (N, receivers, nMels, nFrames) float32, labels-<shard>.npy (N, 10)
 * float32 with the columns in LABEL_COLUMNS, and meta.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { windowSamples } from '../src/core/dsp/logMel';
import { SceneFeaturizer } from '../src/core/sceneFeatures';
import { PHYSICS_PRESETS } from '../src/core/sim/physics';
import { simulateScene } from '../src/core/sim/scene';
import { SIGNAL_KINDS } from '../src/core/sim/signals';
import { trainingConfig } from './loadConfig';
import { parseExportArgs } from './exportArgs';
import { NpyWriter } from './npy';

export const LABEL_COLUMNS = [
  'lat',
  'lon',
  'powerW',
  'kindIndex',
  'snrDb0',
  'snrDb1',
  'snrDb2',
  'pathLossExponent',
  'shadowingSigmaDb',
  'index',
] as const;

const { scenes, seed, preset, out, shard, shards, indices } = parseExportArgs();

const { constellation, preprocessing } = trainingConfig();
const featurizer = new SceneFeaturizer(preprocessing);
const samples = windowSamples(preprocessing);
const nRx = constellation.receivers.length;

mkdirSync(out, { recursive: true });
const features = new NpyWriter(`${out}/features-${shard}.npy`, [
  indices.length,
  nRx,
  preprocessing.nMels,
  preprocessing.nFrames,
]);
const labels = new NpyWriter(`${out}/labels-${shard}.npy`, [indices.length, LABEL_COLUMNS.length]);
const t0 = performance.now();
const input = new Float32Array(nRx * preprocessing.nMels * preprocessing.nFrames);
for (const [n, i] of indices.entries()) {
  const scene = simulateScene(seed, i, {
    constellation,
    physics: PHYSICS_PRESETS[preset],
    sampleRateHz: preprocessing.sampleRateHz,
    samples,
  });
  features.write(
    featurizer.modelInput(
      scene.receivers.map((r) => r.iq),
      0,
      input,
    ),
  );
  labels.write(
    Float32Array.from([
      scene.truth.lat,
      scene.truth.lon,
      scene.truth.powerW,
      SIGNAL_KINDS.indexOf(scene.truth.kind),
      ...scene.receivers.map((r) => r.snrDb),
      scene.truth.pathLossExponent,
      scene.truth.shadowingSigmaDb,
      i,
    ]),
  );
  if (n % 5000 === 4999) console.error(`shard ${shard}: ${n + 1}/${indices.length}`);
}
features.close();
labels.close();
const msPerScene = (performance.now() - t0) / indices.length;
if (shard === 0) {
  writeFileSync(
    `${out}/meta.json`,
    JSON.stringify(
      {
        scenes,
        seed,
        physics: preset,
        ranges: PHYSICS_PRESETS[preset],
        shards,
        labelColumns: LABEL_COLUMNS,
        constellation,
        preprocessing,
      },
      null,
      2,
    ),
  );
}
console.error(
  `shard ${shard}/${shards}: ${indices.length} scenes, ${msPerScene.toFixed(2)} ms/scene`,
);
