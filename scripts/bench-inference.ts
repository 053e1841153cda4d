/**
 * Measures the browser inference engine (production build, worker, onnxruntime-web WASM,
 * IndexedDB cache) and prints p50/p95 latencies side by side:
 *   - a cache-miss prediction (one at a time),
 *   - a cache-hit prediction (the same scenes again),
 *   - 100 concurrent predictions (all submitted at once, all cache misses),
 *   - and, for comparison, the same 100 as one predictBatch call (scenes batched per session.run).
 * Run after `npx vite build`:  npx tsx scripts/bench-inference.ts [--version X] [--ep wasm|webgpu]
 * Uses HEIMDALL_E2E_REGISTRY, else public/models/registry.json, else the tiny test models.
 * Prints figures only; nothing here passes or fails on time.
 */
import { chromium } from '@playwright/test';
import { buildApp } from '../server/app';
import { freePort, launchOptions } from '../e2e/support/browser';
import {
  batchInPage,
  encodeScene,
  openEngine,
  percentile,
  predictInPage,
  prepareInPage,
} from '../e2e/support/enginePage';
import { nodeReference } from '../e2e/support/nodeReference';
import { e2eRegistryPath, readRegistryFile, versionDir } from '../e2e/support/registries';
import { simulatedScene } from '../e2e/support/scenes';
import type { ExecutionProvider, PredictionResult, Stage } from '../src/bridge/inferenceBridge';

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};

const BASE_SCENES = 10;
const SEQUENTIAL = 60;
const CONCURRENT = 100;

type Timed = PredictionResult & { pageMs: number };

function row(label: string, results: Timed[], extra = ''): string {
  const stat = (f: (r: Timed) => number) => {
    const v = results.map(f);
    return `${percentile(v, 0.5).toFixed(2).padStart(7)} ${percentile(v, 0.95).toFixed(2).padStart(7)}`;
  };
  const stages: Stage[] = ['read', 'preprocess', 'cache', 'inference', 'decode'];
  return [
    label.padEnd(26),
    stat((r) => r.pageMs),
    stat((r) => r.timingsMs.total),
    ...stages.map((s) =>
      percentile(
        results.map((r) => r.timingsMs[s]),
        0.5,
      )
        .toFixed(2)
        .padStart(6),
    ),
    extra,
  ].join('  ');
}

async function main(): Promise<void> {
  const registryPath = e2eRegistryPath();
  const registry = await readRegistryFile(registryPath);
  const version = arg('version') ?? registry.models.find((m) => m.stage === 'production')!.version;
  const ep = (arg('ep') ?? 'wasm') as ExecutionProvider;
  const ref = await nodeReference(await versionDir(registryPath, version));
  const { constellation, preprocessing } = ref.model.metadata;
  const scenes = Array.from({ length: BASE_SCENES }, (_, i) =>
    simulatedScene(1234, i, constellation, preprocessing),
  );

  // For context: the same model in onnxruntime-node (1 thread), inference only.
  const nodeMs: number[] = [];
  for (const s of scenes.concat(scenes, scenes)) {
    const input = new (await import('../src/core/sceneFeatures')).SceneFeaturizer(
      preprocessing,
    ).modelInput(s.iq);
    const t0 = performance.now();
    await ref.model.predict(input, 1);
    nodeMs.push(performance.now() - t0);
  }

  const app = await buildApp({ registryPath, distDir: 'dist' });
  const origin = await app.listen({ port: await freePort(), host: '127.0.0.1' });
  const browser = await chromium.launch(launchOptions);
  try {
    const page = await browser.newPage();
    await openEngine(page, origin);
    const prepared = await prepareInPage(page, version, [ep]);
    const encoded = scenes.map(encodeScene);
    const scales = (n: number, offset: number) =>
      Array.from({ length: n / BASE_SCENES }, (_, j) => 1 + (offset + j) / 256);

    await page.evaluate(() => window.__heimdall!.clearCache());
    const miss = await predictInPage(page, encoded, { scales: scales(SEQUENTIAL, 0) });
    const hit = await predictInPage(page, encoded, { scales: scales(SEQUENTIAL, 0) });
    const concurrent = await predictInPage(page, encoded, {
      concurrent: true,
      scales: scales(CONCURRENT, 100),
    });
    // A new metrics window (configure resets it), so the batch sizes below are the batch's own.
    await page.evaluate(() => window.__heimdall!.configure({ metricsWindow: 512 }));
    const batch = await batchInPage(page, encoded, scales(CONCURRENT, 300));
    const metrics = await page.evaluate(() => window.__heimdall!.metrics());

    const check = (label: string, results: Timed[], cache: 'hit' | 'miss') => {
      if (!results.every((r) => r.cache === cache))
        throw new Error(`${label}: expected every result to be a cache ${cache}`);
    };
    check('miss', miss.results, 'miss');
    check('hit', hit.results, 'hit');
    check('concurrent', concurrent.results, 'miss');
    if (batch.failed > 0 || batch.results.some((r) => r.cache !== 'miss')) {
      throw new Error('batch: expected every scene to be a cache miss');
    }

    console.log(
      `\nmodel ${version} (${prepared.active.sizeBytes} bytes) on ${prepared.active.executionProvider}; ` +
        `session ${prepared.active.timingsMs.session.toFixed(0)} ms, warm-up ${prepared.active.timingsMs.warmup.toFixed(0)} ms; ` +
        `Chromium ${browser.version()}, ${await page.evaluate(() => navigator.hardwareConcurrency)} cores`,
    );
    console.log(`                            page ms          worker total     median stage ms`);
    console.log(
      `                            p50     p95      p50     p95      read   prep   cache  infer  decode`,
    );
    console.log(row(`cache miss (n=${miss.results.length}, serial)`, miss.results));
    console.log(row(`cache hit  (n=${hit.results.length}, serial)`, hit.results));
    console.log(
      row(
        `${CONCURRENT} concurrent (miss)`,
        concurrent.results,
        `wall ${concurrent.wallMs.toFixed(0)} ms = ${(concurrent.results.length / (concurrent.wallMs / 1000)).toFixed(0)} scenes/s`,
      ),
    );
    const p50 = (v: number[]) => percentile(v, 0.5);
    console.log(
      `\nratios: miss/hit p50 ${(p50(miss.results.map((r) => r.pageMs)) / p50(hit.results.map((r) => r.pageMs))).toFixed(1)}x; ` +
        `concurrent p50 / serial miss p50 ${(p50(concurrent.results.map((r) => r.pageMs)) / p50(miss.results.map((r) => r.pageMs))).toFixed(1)}x; ` +
        `browser inference p50 ${p50(miss.results.map((r) => r.timingsMs.inference)).toFixed(2)} ms vs onnxruntime-node ${p50(nodeMs).toFixed(2)} ms`,
    );
    const totals = batch.results.map((r) => r.timingsMs.total);
    console.log(
      `predictBatch of ${batch.results.length} (one call): wall ${batch.wallMs.toFixed(0)} ms = ` +
        `${(batch.results.length / (batch.wallMs / 1000)).toFixed(0)} scenes/s; per scene in the worker ` +
        `p50 ${percentile(totals, 0.5).toFixed(2)} ms, p95 ${percentile(totals, 0.95).toFixed(2)} ms; ` +
        `scenes per session.run p50 ${metrics.batchSize.p50}, p95 ${metrics.batchSize.p95}`,
    );
  } finally {
    await browser.close();
    await app.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
