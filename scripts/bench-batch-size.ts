/**
 * What batching buys onnxruntime-web's WASM backend (one thread, as the worker runs it) on a
 * shipped model: wall time per session.run and per scene at batch sizes 1..16, side by side.
 * Run:  npx tsx scripts/bench-batch-size.ts [--version 1.1.0] [--runs 40]
 * Prints figures only; nothing here passes or fails on time.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-web';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const version = arg('version', '1.1.0');
const runs = Number(arg('runs', '40'));

ort.env.wasm.numThreads = 1;
const session = await ort.InferenceSession.create(
  readFileSync(join(import.meta.dirname, '..', 'public', 'models', version, 'model.onnx')),
);
const input = session.inputNames[0];
const perScene = 3 * 128 * 32;
const sizes = [1, 2, 4, 8, 16];
const feedsFor = (batch: number) => {
  const data = Float32Array.from({ length: batch * perScene }, () => Math.random() * 2 - 1);
  return { [input]: new ort.Tensor('float32', data, [batch, 3, 128, 32]) };
};
const feeds = sizes.map(feedsFor);
// Warm every size first: the first runs of a session are slow whatever their size.
for (let round = 0; round < 3; round++) for (const f of feeds) await session.run(f);
const rows: { batch: number; perRun: number; perScene: number }[] = [];
for (const [i, batch] of sizes.entries()) {
  const t0 = performance.now();
  for (let k = 0; k < runs; k++) await session.run(feeds[i]);
  const perRun = (performance.now() - t0) / runs;
  rows.push({ batch, perRun, perScene: perRun / batch });
}
const single = rows[0].perScene;
console.log(`model ${version}, onnxruntime-web WASM in Node, 1 thread, ${runs} runs per size`);
console.log('batch   ms/run   ms/scene   per scene vs batch 1');
for (const r of rows) {
  console.log(
    `${String(r.batch).padStart(5)}  ${r.perRun.toFixed(2).padStart(7)}  ${r.perScene.toFixed(2).padStart(9)}   ${(r.perScene / single).toFixed(2)}x`,
  );
}
await session.release();
