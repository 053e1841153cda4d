/**
 * The warm figures of `npm run bench` alone, repeated, under each way the map may run meanwhile
 * (see MapDuringWarm): to find what the warm cache-miss and cache-hit round trips wait on, and
 * how much they swing from run to run. Serves the production build in dist/ (build it first).
 *
 *   npx tsx scripts/bench-warm.ts [--runs 2] [--maps settled,as-app,off] [--version X]
 *     [--variant NAME=DIST_DIR ...]
 *
 * Each --variant serves another build (default: dist/), e.g. a build of main against this one.
 * Runs interleave the variants, so a change in the machine's load falls on all of them alike.
 * Prints figures (with the load average at each); nothing here passes or fails on time.
 */
import { loadavg } from 'node:os';
import { nodeReference } from '../e2e/support/nodeReference';
import { e2eRegistryPath, readRegistryFile, versionDir } from '../e2e/support/registries';
import { simulatedScene } from '../e2e/support/scenes';
import { serveBuild } from './bench/serveBuild';
import { warmPath, type MapDuringWarm } from './bench/warmPath';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const runs = Number(arg('runs', '2'));
const maps = arg('maps', 'settled,as-app,off').split(',') as MapDuringWarm[];

const registryPath = e2eRegistryPath();
const registry = await readRegistryFile(registryPath);
const version = arg('version', registry.models.find((m) => m.stage === 'production')!.version);
const ref = await nodeReference(await versionDir(registryPath, version));
const { constellation, preprocessing } = ref.model.metadata;
const scenes = Array.from({ length: 10 }, (_, i) =>
  simulatedScene(1234, i, constellation, preprocessing),
);
const variants = process.argv
  .flatMap((a, i) => (a === '--variant' ? [process.argv[i + 1]] : []))
  .map((v) => ({ name: v.split('=')[0], dir: v.slice(v.indexOf('=') + 1) }));
if (variants.length === 0) variants.push({ name: 'dist', dir: arg('dist', 'dist') });
const served = await Promise.all(variants.map((v) => serveBuild(v.dir)));
const f = (x: number) => x.toFixed(2);
try {
  for (let run = 0; run < runs; run++) {
    for (const map of maps)
      for (const [i, variant] of variants.entries()) {
        const w = await warmPath(served[i].origin, version, scenes, 'wasm', map);
        const s = w.missStagesMs;
        console.log(
          `run ${run + 1} ${variant.name} map ${map.padEnd(7)} (settled after ${(w.settleMs / 1000).toFixed(1)} s), load ${loadavg()[0].toFixed(1)}: ` +
            `miss p50 ${f(w.missPageMs.p50)} p95 ${f(w.missPageMs.p95)} | ` +
            `hit p50 ${f(w.hitPageMs.p50)} p95 ${f(w.hitPageMs.p95)} | ` +
            `stages p50 pre ${f(s.preprocess)} cache ${f(s.cache)} inf ${f(s.inference)} total ${f(s.total)} | ` +
            `session.run p50 ${f(w.singleRunMs.p50)} | after-burst inf p50 ${f(w.inferenceAfterMs.p50)} | ` +
            `100 conc p95 ${f(w.concurrent.p95)} wall ${f(w.concurrent.wallMs)} | ` +
            `batch p50 ${w.batchSize.p50} p99 ${w.batchSize.p99} mean ${f(w.batchSize.mean)}`,
        );
        for (const [name, st] of Object.entries({ miss: w.missStages, hit: w.hitStages }))
          console.log(
            `  ${name} stages p50/p95: ${Object.entries(st)
              .map(([k, v]) => `${k} ${f(v.p50)}/${f(v.p95)}`)
              .join(', ')}`,
          );
      }
  }
} finally {
  await Promise.all(served.map((s) => s.close()));
}
