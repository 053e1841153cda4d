/**
 * Exports scenes on random receiver networks (src/core/sim/network.ts) for the any-network model,
 * through the serving feature code: the joint log-mel normalisation (SceneFeaturizer) and the
 * receiver offsets from the centroid (networkFeatures.ts).
 *
 *   tsx training/exportNetworkDataset.ts --scenes 24000 --seed 11 --physics training --out training/data/net-train [--shard 0/2]
 *
 * Receivers are stored ragged, one row per receiver in scene order:
 *   features-<shard>.npy  (receivers, nMels, nFrames) int16: round(feature * FIXED_POINT_SCALE),
 *                         a storage encoding only (a step of 20/4096 dB), undone by train.py;
 *   positions-<shard>.npy (receivers, 2) float32: east, north of the centroid, km;
 *   scenes-<shard>.npy    (scenes, SCENE_COLUMNS) float32.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { windowSamples } from '../src/core/dsp/logMel';
import { localOffset } from '../src/core/geodesy';
import { networkGeometry } from '../src/core/networkFeatures';
import { SceneFeaturizer } from '../src/core/sceneFeatures';
import {
  drawNetwork,
  NETWORK_RANGES,
  networkRng,
  simulateNetworkScene,
} from '../src/core/sim/network';
import { PHYSICS_PRESETS } from '../src/core/sim/physics';
import { trainingConfig } from './loadConfig';
import { parseExportArgs } from './exportArgs';
import { NpyWriter } from './npy';

export const FIXED_POINT_SCALE = 4096;
export const SCENE_COLUMNS = [
  'receivers',
  'truthEastKm',
  'truthNorthKm',
  'spreadKm',
  'txRadiusKm',
  'powerW',
  'pathLossExponent',
  'shadowingSigmaDb',
  'index',
] as const;

const { scenes, seed, preset, out, shard, shards, indices } = parseExportArgs();

const { preprocessing } = trainingConfig();
const featurizer = new SceneFeaturizer(preprocessing);
const samples = windowSamples(preprocessing);
const per = preprocessing.nMels * preprocessing.nFrames;
// Replaying the network draw alone is cheap; it sizes the ragged arrays before simulating.
const totalReceivers = indices.reduce(
  (n, i) => n + drawNetwork(networkRng(seed, i)).receivers.length,
  0,
);

mkdirSync(out, { recursive: true });
const features = new NpyWriter(
  `${out}/features-${shard}.npy`,
  [totalReceivers, preprocessing.nMels, preprocessing.nFrames],
  'int16',
);
const positions = new NpyWriter(`${out}/positions-${shard}.npy`, [totalReceivers, 2]);
const table = new NpyWriter(`${out}/scenes-${shard}.npy`, [indices.length, SCENE_COLUMNS.length]);
const t0 = performance.now();
const fixed = new Int16Array(12 * per);
for (const [n, i] of indices.entries()) {
  const scene = simulateNetworkScene(seed, i, {
    physics: PHYSICS_PRESETS[preset],
    sampleRateHz: preprocessing.sampleRateHz,
    samples,
  });
  const geometry = networkGeometry(scene.network.receivers);
  const input = featurizer.modelInput(scene.receivers.map((r) => r.iq));
  const q = fixed.subarray(0, input.length);
  for (let k = 0; k < input.length; k++) {
    q[k] = Math.max(-32767, Math.min(32767, Math.round(input[k] * FIXED_POINT_SCALE)));
  }
  features.write(q);
  positions.write(geometry.positionKm);
  const truth = localOffset(geometry.centroid, scene.truth);
  table.write(
    Float32Array.from([
      geometry.receivers,
      truth.eastM / 1000,
      truth.northM / 1000,
      scene.network.spreadKm,
      scene.network.txRadiusM / 1000,
      scene.truth.powerW,
      scene.truth.pathLossExponent,
      scene.truth.shadowingSigmaDb,
      i,
    ]),
  );
  if (n % 2000 === 1999) console.error(`shard ${shard}: ${n + 1}/${indices.length}`);
}
features.close();
positions.close();
table.close();
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
        network: NETWORK_RANGES,
        shards,
        sceneColumns: SCENE_COLUMNS,
        fixedPointScale: FIXED_POINT_SCALE,
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
