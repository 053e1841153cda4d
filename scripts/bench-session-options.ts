/**
 * Which onnxruntime-web session settings serve a shipped model fastest, one scene at a time and
 * in batches, with outputs checked bit for bit against the settings the worker uses
 * (1 thread, graphOptimizationLevel 'all'): a faster setting that changes any output bit is
 * reported and not eligible. onnxruntime-web's WASM runtime under Node's V8 (the browser runs
 * the same .wasm; its absolute times differ, the ranking is what this is for).
 *
 *   npx tsx scripts/bench-session-options.ts [--version 1.1.0] [--runs 200]
 *
 * Each configuration runs in its own child process, because ORT reads numThreads once per
 * process. Prints figures only; nothing here passes or fails on time.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { nearestRank } from '../src/core/stats';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const version = arg('version', '1.1.0');
const runs = Number(arg('runs', '200'));

interface Config {
  threads: number;
  level: 'disabled' | 'basic' | 'extended' | 'all';
  arena: boolean;
}
interface Result {
  config: Config;
  singleMs: { p50: number; p95: number };
  batch16PerSceneMs: number;
  outputHex: string;
}

async function child(config: Config): Promise<void> {
  const ort = await import('onnxruntime-web');
  ort.env.wasm.numThreads = config.threads;
  const bytes = readFileSync(
    join(import.meta.dirname, '..', 'public', 'models', version, 'model.onnx'),
  );
  const session = await ort.InferenceSession.create(bytes, {
    executionProviders: ['wasm'],
    graphOptimizationLevel: config.level,
    enableCpuMemArena: config.arena,
  });
  const input = session.inputNames[0];
  const perScene = 3 * 128 * 32;
  // Deterministic inputs, the same in every child (so outputs can be compared bit for bit).
  let seed = 1;
  const rand = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 2 - 1;
  const scenes = Array.from({ length: 16 }, () => Float32Array.from({ length: perScene }, rand));
  const feeds = (data: Float32Array, n: number) => ({
    [input]: new ort.Tensor('float32', data, [n, 3, 128, 32]),
  });
  const joined = new Float32Array(16 * perScene);
  scenes.forEach((s, i) => joined.set(s, i * perScene));
  for (let i = 0; i < 20; i++) await session.run(feeds(scenes[i % 16], 1));
  const single: number[] = [];
  const outs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const out = await session.run(feeds(scenes[i % 16], 1));
    single.push(performance.now() - t0);
    if (i < 16) outs.push(...(out[session.outputNames[0]].data as Float32Array));
  }
  const t0 = performance.now();
  const batchRuns = Math.max(5, Math.round(runs / 16));
  for (let i = 0; i < batchRuns; i++) await session.run(feeds(joined, 16));
  const batch16PerSceneMs = (performance.now() - t0) / batchRuns / 16;
  const result: Result = {
    config,
    singleMs: { p50: nearestRank(single, 0.5), p95: nearestRank(single, 0.95) },
    batch16PerSceneMs,
    outputHex: Buffer.from(new Float32Array(outs).buffer).toString('hex'),
  };
  process.stdout.write(JSON.stringify(result));
  await session.release();
  process.exit(0);
}

function parent(): void {
  const configs: Config[] = [
    { threads: 1, level: 'all', arena: true },
    { threads: 2, level: 'all', arena: true },
    { threads: 1, level: 'extended', arena: true },
    { threads: 1, level: 'basic', arena: true },
    { threads: 1, level: 'disabled', arena: true },
    { threads: 1, level: 'all', arena: false },
  ];
  const results = configs.map(
    (config) =>
      JSON.parse(
        execFileSync(
          process.execPath,
          [
            ...process.execArgv,
            import.meta.filename,
            '--child',
            JSON.stringify(config),
            '--version',
            version,
            '--runs',
            String(runs),
          ],
          {
            encoding: 'utf8',
            maxBuffer: 1 << 26,
          },
        ),
      ) as Result,
  );
  const reference = results[0];
  console.log(
    `model ${version}, onnxruntime-web WASM in Node ${process.version}, ${runs} single runs each`,
  );
  console.log(
    'threads  level      arena  single p50  single p95  batch16 ms/scene  outputs vs worker settings',
  );
  for (const r of results) {
    const same = r.outputHex === reference.outputHex;
    console.log(
      `${String(r.config.threads).padStart(7)}  ${r.config.level.padEnd(9)}  ${String(r.config.arena).padEnd(5)}  ` +
        `${r.singleMs.p50.toFixed(3).padStart(10)}  ${r.singleMs.p95.toFixed(3).padStart(10)}  ` +
        `${r.batch16PerSceneMs.toFixed(3).padStart(16)}  ${same ? 'bit-identical' : 'DIFFERENT (not eligible)'}`,
    );
  }
}

const childAt = process.argv.indexOf('--child');
if (childAt > 0) await child(JSON.parse(process.argv[childAt + 1]) as Config);
else parent();
