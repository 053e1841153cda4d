/**
 * `npm run bench`: every figure of issue 11's goal table, measured against the production build
 * in Chromium, each next to its goal and to its anchor measured in the same run, and written to
 * reports/bench.json. It prints figures; it asserts no time (a slow figure never fails it).
 *
 *   npm run bench [-- --trace] [-- --ep wasm|webgpu] [-- --version X] [-- --dist DIR --no-build]
 *
 * --trace also traces a fresh first visit (the repeat visit's trace is always taken) and writes
 * the summary (busy time per thread, costliest events, V8 wasm code-cache events) to the JSON.
 * Builds the app first when dist/ is missing or older than its sources.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import { freePort, launchOptions } from '../e2e/support/browser';
import { nodeReference } from '../e2e/support/nodeReference';
import { e2eRegistryPath, readRegistryFile, versionDir } from '../e2e/support/registries';
import { simulatedScene } from '../e2e/support/scenes';
import { buildApp } from '../server/app';
import { buildIfNeeded } from '../server/buildIfNeeded';
import type { ExecutionProvider } from '../src/bridge/inferenceBridge';
import { readVersionMetadata } from '../src/node/registry';
import { defaultConfig } from '../workers/config';
import { inferenceAnchors, numpyLogMel, type InferenceAnchors } from './bench/anchors';
import { anyNetworkRow, anyNetworkSpeed, anyNetworkVersion } from './bench/anyNetworkSpeed';
import { visit, type VisitFigures } from './bench/coldStart';
import { formatTable, type Row } from './bench/table';
import { formatPhases } from './bench/trace';
import { warmPath, type StageStats, type WarmFigures } from './bench/warmPath';

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const flag = (name: string) => process.argv.includes(`--${name}`);

async function main(): Promise<void> {
  const distDir = arg('dist') ?? 'dist';
  if (!flag('no-build')) await buildIfNeeded(process.cwd(), distDir, (line) => console.log(line));
  const registryPath = e2eRegistryPath();
  const registry = await readRegistryFile(registryPath);
  const version = arg('version') ?? registry.models.find((m) => m.stage === 'production')!.version;
  const ep = (arg('ep') ?? 'wasm') as ExecutionProvider;
  const modelDir = await versionDir(registryPath, version);
  const ref = await nodeReference(modelDir);
  const { constellation, preprocessing } = ref.model.metadata;
  const scenes = Array.from({ length: 10 }, (_, i) =>
    simulatedScene(1234, i, constellation, preprocessing),
  );

  const servedLog: string[] = [];
  const app = await buildApp({ registryPath, distDir });
  app.addHook('onRequest', async (request) => {
    servedLog.push(request.url.split('?')[0]);
  });
  const origin = await app.listen({ port: await freePort(), host: '127.0.0.1' });
  const profile = await mkdtemp(join(tmpdir(), 'heimdall-bench-profile-'));
  const tracedProfile = await mkdtemp(join(tmpdir(), 'heimdall-bench-traced-'));
  const chromiumVersion = await chromium.launch(launchOptions).then(async (b) => {
    const v = b.version();
    await b.close();
    return v;
  });
  try {
    console.log('first visit (fresh profile)…');
    const first = await visit(origin, profile, servedLog, { trace: false });
    console.log('repeat visit (same profile)…');
    const repeat = await visit(origin, profile, servedLog, { trace: false });
    console.log('traced repeat visit…');
    const tracedRepeat = await visit(origin, profile, servedLog, { trace: true });
    let tracedFirst: VisitFigures | null = null;
    if (flag('trace')) {
      console.log('traced first visit…');
      tracedFirst = await visit(origin, tracedProfile, servedLog, { trace: true });
    }
    console.log('warm predictions…');
    const warm = await warmPath(origin, version, scenes, ep);
    console.log('anchors (onnxruntime-node, the WASM runtime in Node, numpy)…');
    const { modelPath } = await readVersionMetadata(modelDir);
    const anchors = await inferenceAnchors(ref, modelPath, scenes, defaultConfig().wasmThreads);
    const node = anchors.node;
    const numpy = await numpyLogMel(preprocessing);
    // Issue 13: the any-network model, 12 receivers against 3 (when the registry has one).
    const networkVersion = await anyNetworkVersion(origin);
    if (networkVersion) console.log(`any-network ${networkVersion}, 12 vs 3 receivers…`);
    const anyNetwork = networkVersion ? await anyNetworkSpeed(origin, networkVersion) : null;

    const logMelMs = warm.missStagesMs.preprocess;
    const rows: Row[] = [
      {
        figure: 'first visit: load + demo click to first estimate',
        value: first.firstEstimateMs / 1000,
        unit: 's',
        goal: 3,
      },
      {
        figure: 'repeat visit (runtime, model cached)',
        value: repeat.firstEstimateMs / 1000,
        unit: 's',
        goal: 1.5,
        anchor: { label: 'first visit', value: first.firstEstimateMs / 1000 },
      },
      {
        figure: 'warm cache-miss round trip p95',
        value: warm.missPageMs.p95,
        unit: 'ms',
        goal: 20,
        anchor: { label: 'onnxruntime-node p95', value: node.p95 },
        detail: stagesDetail(warm.missStages, ['preprocess', 'cache', 'inference']),
      },
      {
        figure: 'cache hit round trip p95',
        value: warm.hitPageMs.p95,
        unit: 'ms',
        goal: 5,
        detail: stagesDetail(warm.hitStages, ['read', 'preprocess', 'cache']),
      },
      {
        figure: 'browser inference p50 / onnxruntime-node p50',
        value: warm.inferenceMs.p50 / node.p50,
        unit: 'x',
        goal: 3,
        anchor: { label: `node ${node.p50.toFixed(2)} ms`, value: node.p50 },
        detail: inferenceDetail(warm, anchors),
      },
      {
        figure: `100 concurrent p95 (${warm.concurrent.ok} ok, ${warm.concurrent.failed} failed)`,
        value: warm.concurrent.failed > 0 ? NaN : warm.concurrent.p95,
        unit: 'ms',
        goal: 500,
      },
      'absent' in numpy
        ? {
            figure: 'log-mel per scene / numpy',
            value: NaN,
            unit: 'x',
            goal: 0.5,
            detail: `${numpy.absent}; TypeScript ${logMelMs.toFixed(2)} ms/scene`,
          }
        : {
            figure: 'log-mel per scene / numpy',
            value: logMelMs / numpy.msPerScene,
            unit: 'x',
            goal: 0.5,
            anchor: { label: `numpy ${numpy.msPerScene.toFixed(2)} ms`, value: numpy.msPerScene },
            detail: `TypeScript ${logMelMs.toFixed(2)} ms`,
          },
    ];
    if (anyNetwork) rows.push(anyNetworkRow(anyNetwork));
    console.log(
      `\nnpm run bench: model ${version}, ${warm.executionProvider}, Chromium ${chromiumVersion}, ` +
        `${cpus().length} cores, load average ${loadavg()
          .map((l) => l.toFixed(1))
          .join(' ')} (other work on the machine slows every figure), ${new Date().toISOString()}`,
    );
    console.log(formatTable(rows));
    const reuse = (v: VisitFigures) =>
      `wasm requests ${v.wasmRequests.length}, model requests ${v.modelRequests}`;
    console.log(`first visit: ${reuse(first)}; repeat: ${reuse(repeat)}`);
    for (const [name, v] of Object.entries({ first, repeat, tracedRepeat, tracedFirst }))
      if (v?.failure) console.log(`${name} visit: ${v.failure}`);
    console.log(
      `repeat visit V8 wasm events: ${JSON.stringify(tracedRepeat.trace?.wasmEvents ?? {})}`,
    );
    for (const [name, v] of Object.entries({
      'traced repeat': tracedRepeat,
      'traced first': tracedFirst,
    })) {
      if (!v?.trace) continue;
      console.log(
        `${name} visit, first estimate ${(v.firstEstimateMs / 1000).toFixed(2)} s; timeline (ms since navigation):`,
      );
      for (const line of formatPhases(v.trace.phases)) console.log(`  ${line}`);
    }
    console.log(
      `warm miss stages p50 (ms): ${Object.entries(warm.missStagesMs)
        .map(([k, v]) => `${k} ${v.toFixed(2)}`)
        .join(', ')}; page p50 ${warm.missPageMs.p50.toFixed(2)}`,
    );
    for (const [name, st] of Object.entries({ miss: warm.missStages, hit: warm.hitStages }))
      console.log(
        `warm ${name} stages p50 / p95 (ms): ${Object.entries(st)
          .map(([k, v]) => `${k} ${v.p50.toFixed(2)} / ${v.p95.toFixed(2)}`)
          .join(', ')} (hops: page round trip less the worker's total)`,
      );
    console.log(
      `warm figures measured after the page settled (${(warm.settleMs / 1000).toFixed(1)} s: map drawn, ` +
        `no long task for 2 s; npx tsx scripts/bench-warm.ts compares the map starting meanwhile); ` +
        `scenes per session.run: p99 ${warm.batchSize.p99}, mean ${warm.batchSize.mean.toFixed(2)}`,
    );
    console.log(
      `serial misses again after the concurrent burst: page p50 ${warm.missAfterPageMs.p50.toFixed(2)} ` +
        `p95 ${warm.missAfterPageMs.p95.toFixed(2)} ms, inference p50 ${warm.inferenceAfterMs.p50.toFixed(2)} ms ` +
        `(first serial run: inference p50 ${warm.inferenceMs.p50.toFixed(2)} ms)`,
    );
    await mkdir('reports', { recursive: true });
    await writeFile(
      'reports/bench.json',
      JSON.stringify(
        {
          command: 'npm run bench',
          at: new Date().toISOString(),
          chromium: chromiumVersion,
          cores: cpus().length,
          loadAverage: loadavg(),
          model: version,
          rows,
          first,
          repeat,
          tracedRepeat,
          tracedFirst,
          warm,
          anchors: { onnxruntimeNode: node, wasmInNode: anchors.wasmInNode, numpy },
          anyNetwork,
        },
        null,
        2,
      ),
    );
    console.log('wrote reports/bench.json');
  } finally {
    await app.close();
    await rm(profile, { recursive: true, force: true });
    await rm(tracedProfile, { recursive: true, force: true });
  }
}

/** A round trip's parts, p95 (p50): the worker's stages named, its total, and the hops between. */
function stagesDetail(st: StageStats, stages: (keyof StageStats)[]): string {
  const part = (k: keyof StageStats) => `${k} ${st[k].p95.toFixed(2)} (${st[k].p50.toFixed(2)})`;
  return `p95 (p50) ms: ${[...stages, 'total', 'hops'].map((k) => part(k as keyof StageStats)).join(', ')}`;
}

/**
 * What the browser/native ratio is made of: the same WASM runtime in Node's V8 (its kernels
 * against native ones) and what the page and worker add on top of that.
 */
function inferenceDetail(warm: WarmFigures, a: InferenceAnchors): string {
  const browser = warm.inferenceMs.p50;
  const wasm = a.wasmInNode.p50;
  const threads = `${a.wasmInNode.threads} thread${a.wasmInNode.threads > 1 ? 's' : ''}`;
  return (
    `browser ${browser.toFixed(2)} ms (session.run ${warm.singleRunMs.p50.toFixed(2)} ms) = ` +
    `WASM runtime in Node's V8 (${threads}) ${wasm.toFixed(2)} ms ` +
    `(${(wasm / a.node.p50).toFixed(1)}x native) x ${(browser / wasm).toFixed(2)} in the worker; ` +
    `after the 100 concurrent ${warm.inferenceAfterMs.p50.toFixed(2)} ms`
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
