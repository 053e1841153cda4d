/**
 * Evaluates every model version of the registry, and the classical grid baseline, on held-out
 * simulated scenes that no model was trained on (fixed seeds, distinct from training's).
 *
 *   npm run eval                      # 2000 nominal + 2000 shifted scenes, prints the table
 *   npm run eval -- --scenes 300 --check     # CI's regression guard: exits 1 if a goal is missed
 *   npm run eval -- --write-metadata  # also stores the figures in each metadata.json
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { GridBaseline, measurePower, NOMINAL_BASELINE } from '../src/core/baseline';
import { windowSamples } from '../src/core/dsp/logMel';
import { kForProbability, mahalanobis2 } from '../src/core/ellipse';
import { geodesicInverse, localOffset } from '../src/core/geodesy';
import type { EvaluationRow } from '../src/core/modelMetadata';
import { SceneFeaturizer } from '../src/core/sceneFeatures';
import { PHYSICS_PRESETS } from '../src/core/sim/physics';
import { DEFAULT_REGION, simulateScene } from '../src/core/sim/scene';
import { median, percentile } from '../src/core/stats';
import { loadNodeModel } from '../src/node/nodeModel';
import { DEFAULT_REGISTRY_PATH, readRegistryFile, resolveVersionDir } from '../src/node/registry';
import { trainingConfig } from './loadConfig';

/** Seeds of the held-out sets; training uses seeds 1 (train) and 2 (validation). */
const SETS = [
  { name: 'nominal', seed: 1001, physics: PHYSICS_PRESETS.nominal },
  { name: 'shifted', seed: 2002, physics: PHYSICS_PRESETS.shifted },
] as const;

export const GOALS = {
  coverage68: [0.63, 0.73],
  coverage95: [0.92, 0.975],
  shiftedCoverage95Min: 0.85,
};

const { values } = parseArgs({
  options: {
    scenes: { type: 'string', default: '2000' },
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
const models = await Promise.all(
  registry.models.map(async (e) => {
    const { entry, dir } = await resolveVersionDir(values.registry, e.version);
    return { entry, dir, model: await loadNodeModel(dir) };
  }),
);

interface Summary extends EvaluationRow {
  method: string;
}

function summarise(method: string, set: string, errorsKm: number[], d2: number[] | null): Summary {
  const cover = (p: number) =>
    d2 ? d2.filter((v) => v <= kForProbability(p) ** 2).length / d2.length : null;
  return {
    method,
    set,
    scenes: errorsKm.length,
    medianErrorKm: median(errorsKm),
    p90ErrorKm: percentile(errorsKm, 0.9),
    coverage68: cover(0.68),
    coverage95: cover(0.95),
  };
}

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
}

const pct = (v: number | null) => (v === null ? 'n/a' : `${(100 * v).toFixed(1)}%`);
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

const failures: string[] = [];
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
  const [lo68, hi68] = GOALS.coverage68;
  const [lo95, hi95] = GOALS.coverage95;
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
}
if (values.check && failures.length) process.exit(1);
