/**
 * Evaluates every model version of the registry, and the classical grid baseline, on held-out
 * simulated scenes that no model was trained on (fixed seeds, distinct from training's).
 *
 *   npm run eval                      # 2000 nominal + 2000 shifted scenes, prints the table
 *   npm run eval -- --scenes 300 --check     # CI's regression guard: exits 1 if a goal is missed
 *   npm run eval -- --write-metadata  # also stores the figures in each metadata.json
 *
 * Any-network models (issue 13) are also run on the original three-receiver sets (given the
 * receivers' positions) and on held-out random networks (evaluateNetwork.ts), with the oracle.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { GridBaseline, measurePower, NOMINAL_BASELINE } from '../src/core/baseline';
import { windowSamples } from '../src/core/dsp/logMel';
import { mahalanobis2 } from '../src/core/ellipse';
import { geodesicInverse, localOffset } from '../src/core/geodesy';
import { networkGeometry } from '../src/core/networkFeatures';
import { anyModelMetadataSchema, isNetworkModel } from '../src/core/networkModelMetadata';
import { SceneFeaturizer } from '../src/core/sceneFeatures';
import { PHYSICS_PRESETS } from '../src/core/sim/physics';
import { DEFAULT_REGION, simulateScene } from '../src/core/sim/scene';
import { loadNodeModel } from '../src/node/nodeModel';
import { loadNodeNetworkModel } from '../src/node/nodeNetworkModel';
import { DEFAULT_REGISTRY_PATH, readRegistryFile, resolveVersionDir } from '../src/node/registry';
import {
  evaluateNetworkSet,
  networkSets,
  predictAll,
  scoreEstimates,
  type NetworkRow,
} from './evaluateNetwork';
import { trainingConfig } from './loadConfig';
import { pct, summarise, type Summary } from './summary';

/** Seeds of the held-out sets; training uses seeds 1 (train) and 2 (validation). */
const SETS = [
  { name: 'nominal', seed: 1001, physics: PHYSICS_PRESETS.nominal },
  { name: 'shifted', seed: 2002, physics: PHYSICS_PRESETS.shifted },
] as const;

export const GOALS = {
  coverage68: [0.63, 0.73],
  coverage95: [0.92, 0.975],
  shiftedCoverage95Min: 0.85,
  /** Any-network models: median error over the oracle's on nominal random networks. */
  oracleRatioMax: 1.15,
  /** Any-network models on the original network: median error over the production model's. */
  originalNetworkRatioMax: 1.05,
};

const { values } = parseArgs({
  options: {
    scenes: { type: 'string', default: '2000' },
    'network-scenes': { type: 'string', default: '1000' },
    'per-size': { type: 'string', default: '300' },
    registry: { type: 'string', default: DEFAULT_REGISTRY_PATH },
    'write-metadata': { type: 'boolean', default: false },
    check: { type: 'boolean', default: false },
  },
});
const nScenes = Number(values.scenes);
const { constellation, preprocessing } = trainingConfig();
const featurizer = new SceneFeaturizer(preprocessing);
const samples = windowSamples(preprocessing);
const perScene = constellation.receivers.length * preprocessing.nMels * preprocessing.nFrames;
const baseline = new GridBaseline(constellation, DEFAULT_REGION);

const registry = await readRegistryFile(values.registry);
const versions = await Promise.all(
  registry.models.map(async (e) => {
    const { entry, dir } = await resolveVersionDir(values.registry, e.version);
    const metadata = anyModelMetadataSchema.parse(
      JSON.parse(await readFile(join(dir, 'metadata.json'), 'utf8')),
    );
    return { entry, dir, network: isNetworkModel(metadata) };
  }),
);
const networkModels = await Promise.all(
  versions
    .filter((v) => v.network)
    .map(async ({ entry, dir }) => ({ entry, dir, model: await loadNodeNetworkModel(dir) })),
);
const models = await Promise.all(
  versions
    .filter((v) => !v.network)
    .map(async ({ entry, dir }) => ({ entry, dir, model: await loadNodeModel(dir) })),
);

const originalGeometry = networkGeometry(constellation.receivers);

const rows: Summary[] = [];
for (const set of SETS) {
  const input = new Float32Array(nScenes * perScene);
  const truths: { lat: number; lon: number }[] = [];
  const baseErr: number[] = [];
  const baseD2: number[] = [];
  for (let i = 0; i < nScenes; i++) {
    const scene = simulateScene(set.seed, i, {
      constellation,
      physics: set.physics,
      sampleRateHz: preprocessing.sampleRateHz,
      samples,
    });
    const iqs = scene.receivers.map((r) => r.iq);
    featurizer.modelInput(iqs, 0, input.subarray(i * perScene, (i + 1) * perScene));
    truths.push(scene.truth);
    const est = baseline.locate(
      featurizer
        .averagedPowerSpectra(iqs)
        .map((s) => measurePower(s, NOMINAL_BASELINE.detectionSnrDb)),
    );
    baseErr.push(geodesicInverse(est, scene.truth).distanceM / 1000);
    const off = localOffset(est, scene.truth);
    baseD2.push(mahalanobis2(est.cov, off.eastM, off.northM));
  }
  rows.push(summarise('baseline (grid ML)', set.name, baseErr, baseD2));
  for (const { entry, model } of models) {
    const errs: number[] = [];
    const d2: number[] = [];
    const BATCH = 256;
    for (let s = 0; s < nScenes; s += BATCH) {
      const n = Math.min(BATCH, nScenes - s);
      const { estimates } = await model.predict(input.slice(s * perScene, (s + n) * perScene), n);
      estimates.forEach((est, j) => {
        const truth = truths[s + j];
        errs.push(geodesicInverse(est, truth).distanceM / 1000);
        const off = localOffset(est, truth);
        d2.push(mahalanobis2(est.cov, off.eastM, off.northM));
      });
    }
    rows.push(summarise(`model ${entry.version}`, set.name, errs, d2));
  }
  for (const { entry, model } of networkModels) {
    // The same scenes, given the three receivers' positions.
    const scenes = truths.map((_, i) => ({
      logmel: input.subarray(i * perScene, (i + 1) * perScene),
      geometry: originalGeometry,
    }));
    const { errorsKm, d2 } = scoreEstimates(await predictAll(model, scenes), truths);
    rows.push(summarise(`model ${entry.version}`, set.name, errorsKm, d2));
  }
}

const networkRows: NetworkRow[] = [];
for (const { entry, model } of networkModels) {
  for (const set of networkSets(Number(values['network-scenes']), Number(values['per-size']))) {
    networkRows.push(
      await evaluateNetworkSet(`model ${entry.version}`, model, set, featurizer, samples),
    );
  }
}

console.log(
  `Held-out simulated scenes: ${nScenes} per set (seeds ${SETS.map((s) => `${s.name} ${s.seed}`).join(', ')}); command: npm run eval${nScenes === 2000 ? '' : ` -- --scenes ${nScenes}`}\n`,
);
console.log(
  '| method | set | median error km | p90 error km | inside 68% ellipse | inside 95% ellipse |',
);
console.log('|---|---|---:|---:|---:|---:|');
for (const r of rows) {
  console.log(
    `| ${r.method} | ${r.set} | ${r.medianErrorKm.toFixed(1)} | ${r.p90ErrorKm.toFixed(1)} | ${pct(r.coverage68)} | ${pct(r.coverage95)} |`,
  );
}

if (networkRows.length) {
  console.log(
    `\nHeld-out random networks (2 to 12 receivers, spread 30-600 km): ${values['network-scenes']} scenes per mixed set, ${values['per-size']} per size; the oracle is the posterior mean given the true law and priors (training/networkOracle.ts)\n`,
  );
  console.log(
    '| method | set | median error km | p90 error km | inside 68% ellipse | inside 95% ellipse | oracle median km | median / oracle median | median per-scene ratio |',
  );
  console.log('|---|---|---:|---:|---:|---:|---:|---:|---:|');
  const f = (v: number | null, d = 1) => (v === null ? 'n/a' : v.toFixed(d));
  for (const r of networkRows) {
    console.log(
      `| ${r.method} | ${r.set} | ${r.medianErrorKm.toFixed(1)} | ${r.p90ErrorKm.toFixed(1)} | ${pct(r.coverage68)} | ${pct(r.coverage95)} | ${f(r.oracleMedianKm)} | ${f(r.ratioToOracle, 2)} | ${f(r.medianSceneRatio, 2)} |`,
    );
  }
}

const failures: string[] = [];
const [lo68, hi68] = GOALS.coverage68;
const [lo95, hi95] = GOALS.coverage95;
const production = models.find((m) => m.entry.stage === 'production');
for (const { entry } of networkModels) {
  const v = entry.version;
  const net = (set: string) => networkRows.find((r) => r.method === `model ${v}` && r.set === set)!;
  const nom = net('networks nominal');
  if (nom.ratioToOracle! > GOALS.oracleRatioMax)
    failures.push(
      `${v}: median error ${nom.ratioToOracle!.toFixed(2)}x the oracle's on nominal networks > ${GOALS.oracleRatioMax}x`,
    );
  if (nom.coverage68! < lo68 || nom.coverage68! > hi68)
    failures.push(
      `${v}: networks 68% coverage ${pct(nom.coverage68)} outside [${lo68 * 100}%, ${hi68 * 100}%]`,
    );
  if (nom.coverage95! < lo95 || nom.coverage95! > hi95)
    failures.push(
      `${v}: networks 95% coverage ${pct(nom.coverage95)} outside [${lo95 * 100}%, ${hi95 * 100}%]`,
    );
  const shifted = net('networks shifted');
  if (shifted.coverage95! < GOALS.shiftedCoverage95Min)
    failures.push(
      `${v}: shifted networks 95% coverage ${pct(shifted.coverage95)} < ${GOALS.shiftedCoverage95Min * 100}%`,
    );
  if (production) {
    const mine = rows.find((r) => r.method === `model ${v}` && r.set === 'nominal')!;
    const theirs = rows.find(
      (r) => r.method === `model ${production.entry.version}` && r.set === 'nominal',
    )!;
    const ratio = mine.medianErrorKm / theirs.medianErrorKm;
    console.log(
      `\n${v} on the original three-receiver network: median ${mine.medianErrorKm.toFixed(1)} km, ${ratio.toFixed(3)}x ${production.entry.version}'s ${theirs.medianErrorKm.toFixed(1)} km (goal: at most ${GOALS.originalNetworkRatioMax}x)`,
    );
    if (ratio > GOALS.originalNetworkRatioMax)
      failures.push(
        `${v}: on the original network ${ratio.toFixed(3)}x ${production.entry.version}'s median error > ${GOALS.originalNetworkRatioMax}x`,
      );
  }
}
for (const { entry } of models) {
  const mine = (set: string) =>
    rows.find((r) => r.method === `model ${entry.version}` && r.set === set)!;
  const base = rows.find((r) => r.method.startsWith('baseline') && r.set === 'nominal')!;
  const nom = mine('nominal');
  const shifted = mine('shifted');
  if (nom.medianErrorKm > base.medianErrorKm)
    failures.push(
      `${entry.version}: median ${nom.medianErrorKm.toFixed(1)} km > baseline ${base.medianErrorKm.toFixed(1)} km`,
    );
  if (nom.coverage68! < lo68 || nom.coverage68! > hi68)
    failures.push(
      `${entry.version}: 68% coverage ${pct(nom.coverage68)} outside [${lo68 * 100}%, ${hi68 * 100}%]`,
    );
  if (nom.coverage95! < lo95 || nom.coverage95! > hi95)
    failures.push(
      `${entry.version}: 95% coverage ${pct(nom.coverage95)} outside [${lo95 * 100}%, ${hi95 * 100}%]`,
    );
  if (shifted.coverage95! < GOALS.shiftedCoverage95Min)
    failures.push(
      `${entry.version}: shifted-set 95% coverage ${pct(shifted.coverage95)} < ${GOALS.shiftedCoverage95Min * 100}%`,
    );
}
console.log(failures.length ? `\nGoals missed:\n- ${failures.join('\n- ')}` : '\nAll goals met.');

if (values['write-metadata']) {
  for (const { entry, dir } of models) {
    const path = join(dir, 'metadata.json');
    const meta = JSON.parse(await readFile(path, 'utf8'));
    meta.evaluation = rows
      .filter((r) => r.method === `model ${entry.version}`)
      .map(({ method: _m, ...r }) => r);
    meta.evaluation.push(
      ...rows
        .filter((r) => r.method.startsWith('baseline'))
        .map(({ method: _m, ...r }) => ({ ...r, set: `${r.set} (baseline)` })),
    );
    await writeFile(path, JSON.stringify(meta, null, 2) + '\n');
    console.log(`wrote the evaluation into ${path}`);
  }
  for (const { entry, dir } of networkModels) {
    const path = join(dir, 'metadata.json');
    const meta = JSON.parse(await readFile(path, 'utf8'));
    meta.evaluation = [...rows, ...networkRows]
      .filter((r) => r.method === `model ${entry.version}`)
      .map(({ method: _m, ...r }) => r);
    await writeFile(path, JSON.stringify(meta, null, 2) + '\n');
    console.log(`wrote the evaluation into ${path}`);
  }
}
if (values.check && failures.length) process.exit(1);
