/**
 * The floor under the browser/native inference ratio of `npm run bench`: the same .wasm that the
 * browser runs (onnxruntime-web's WASM build), run here in Node's V8, with no page, worker,
 * comlink, timers or IndexedDB around it, against onnxruntime-node (native code, 1 thread), on
 * the same model and input, one scene at a time, in one process. If the browser's inference
 * stage is close to the first figure, the per-request overhead of the browser is small and what
 * is left of the ratio is WebAssembly against native kernels.
 *
 *   npx tsx scripts/bench-wasm-native.ts [--version 1.1.0] [--threads 1] [--native-threads 1] [--runs 300]
 *
 * --threads sets onnxruntime-web's numThreads (ORT reads it once per process); --native-threads
 * onnxruntime-node's intraOpNumThreads (0: its default, one per core). Prints figures only;
 * nothing here passes or fails on time.
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import * as ortNode from 'onnxruntime-node';
import * as ortWeb from 'onnxruntime-web';
import { nearestRank } from '../src/core/stats';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const version = arg('version', '1.1.0');
const threads = Number(arg('threads', '1'));
const nativeThreads = Number(arg('native-threads', '1'));
const runs = Number(arg('runs', '300'));
// V8 runs WebAssembly on its baseline tier first and optimises hot functions on background
// threads; on a busy machine that takes a while, so the first runs are not measured.
const WARM_RUNS = 300;

ortWeb.env.wasm.numThreads = threads;
const bytes = readFileSync(
  join(import.meta.dirname, '..', 'public', 'models', version, 'model.onnx'),
);
const web = await ortWeb.InferenceSession.create(bytes);
const native = await ortNode.InferenceSession.create(bytes, {
  intraOpNumThreads: nativeThreads,
  interOpNumThreads: 1,
});
const metadata = JSON.parse(
  readFileSync(
    join(import.meta.dirname, '..', 'public', 'models', version, 'metadata.json'),
    'utf8',
  ),
) as { preprocessing: { nMels: number; nFrames: number }; constellation: { receivers: unknown[] } };
const dims = [
  1,
  metadata.constellation.receivers.length,
  metadata.preprocessing.nMels,
  metadata.preprocessing.nFrames,
];
const x = Float32Array.from({ length: dims[1] * dims[2] * dims[3] }, (_, i) => Math.sin(i));

async function p50Ms(run: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < WARM_RUNS; i++) await run();
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await run();
    ms.push(performance.now() - t0);
  }
  return nearestRank(ms, 0.5);
}

for (let round = 1; round <= 3; round++) {
  const webMs = await p50Ms(() =>
    web.run({ [web.inputNames[0]]: new ortWeb.Tensor('float32', x, dims) }),
  );
  const nativeMs = await p50Ms(() =>
    native.run({ [native.inputNames[0]]: new ortNode.Tensor('float32', x, dims) }),
  );
  console.log(
    `model ${version}, round ${round}, load average ${loadavg()[0].toFixed(1)}: ` +
      `onnxruntime-web WASM in Node (${threads} thread${threads > 1 ? 's' : ''}) p50 ${webMs.toFixed(3)} ms, ` +
      `onnxruntime-node (${nativeThreads || 'default'} intra-op threads) p50 ${nativeMs.toFixed(3)} ms, ratio ${(webMs / nativeMs).toFixed(2)}x`,
  );
}
