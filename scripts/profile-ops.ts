/**
 * Where one inference spends its time, op by op: onnxruntime-web's WASM build (the .wasm the
 * browser runs, here in Node's V8) against onnxruntime-node (native, 1 thread), on the same model
 * and input, both with ORT's own profiler. Prints, per op type, microseconds per run on each,
 * their ratio and the op's share of the WASM run; the browser/native ratio of `npm run bench`
 * is decided by the rows at the top.
 *
 *   npx tsx scripts/profile-ops.ts [--version 1.1.0] [--runs 200]
 *
 * The first WARM_RUNS runs are not counted (V8 runs WebAssembly on its baseline tier until it
 * has optimised the hot functions). Profiling adds a little to each op; the ratios, not the
 * absolute times, are the point. Prints figures only.
 */
import fs from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ortNode from 'onnxruntime-node';
import * as ortWeb from 'onnxruntime-web';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const version = arg('version', '1.1.0');
const runs = Number(arg('runs', '200'));
const WARM_RUNS = 300;

interface ProfileEvent {
  cat: string;
  name: string;
  ph: string;
  ts: number;
  dur: number;
  args?: { op_name?: string };
}

const modelDir = join(import.meta.dirname, '..', 'public', 'models', version);
const bytes = await readFile(join(modelDir, 'model.onnx'));
const metadata = JSON.parse(await readFile(join(modelDir, 'metadata.json'), 'utf8')) as {
  input: { name: string };
  preprocessing: { nMels: number; nFrames: number };
  constellation: { receivers: unknown[] };
};
const dims = [
  1,
  metadata.constellation.receivers.length,
  metadata.preprocessing.nMels,
  metadata.preprocessing.nFrames,
];
const x = Float32Array.from({ length: dims[1] * dims[2] * dims[3] }, (_, i) => Math.sin(i));

/**
 * Op types compared as one: each build rewrites the graph its own way (the native build runs
 * convolutions in its blocked NCHWc layout, with reorder nodes around them; the WASM build fuses
 * the activation into FusedConv), so only the groups compare.
 */
const OP_GROUP: Record<string, string> = {
  Conv: 'Conv (+ fused activation, NCHWc reorders)',
  FusedConv: 'Conv (+ fused activation, NCHWc reorders)',
  ReorderInput: 'Conv (+ fused activation, NCHWc reorders)',
  ReorderOutput: 'Conv (+ fused activation, NCHWc reorders)',
  Gemm: 'Gemm (+ fused activation)',
  FusedGemm: 'Gemm (+ fused activation)',
};

/** Kernel time per op type over the last `runs` model runs, µs per run, and the runs' p50. */
function perOpType(events: ProfileEvent[]): { byOp: Map<string, number>; runP50Us: number } {
  const modelRuns = events.filter((e) => e.name === 'model_run').sort((a, b) => a.ts - b.ts);
  const counted = modelRuns.slice(-runs);
  const from = counted[0].ts;
  const byOp = new Map<string, number>();
  for (const e of events) {
    if (e.cat !== 'Node' || !e.name.endsWith('_kernel_time') || e.ts < from) continue;
    const op = OP_GROUP[e.args?.op_name ?? ''] ?? e.args?.op_name ?? e.name;
    byOp.set(op, (byOp.get(op) ?? 0) + e.dur / counted.length);
  }
  const durs = counted.map((e) => e.dur).sort((a, b) => a - b);
  return { byOp, runP50Us: durs[Math.floor((durs.length - 1) / 2)] };
}

async function webProfile(): Promise<ProfileEvent[]> {
  ortWeb.env.wasm.numThreads = 1;
  const session = await ortWeb.InferenceSession.create(bytes, { enableProfiling: true });
  for (let i = 0; i < WARM_RUNS + runs; i++)
    await session.run({ [metadata.input.name]: new ortWeb.Tensor('float32', x, dims) });
  // The WASM build prints its profile (a JSON array, an event a line) to stdout, the way
  // Emscripten does under Node: fs.writeSync on descriptor 1. Caught there.
  let printed = '';
  const writeSync = fs.writeSync;
  fs.writeSync = ((fd: number, data: string | NodeJS.ArrayBufferView, ...rest: never[]) => {
    if (fd !== 1) return writeSync(fd, data as string, ...rest);
    printed += typeof data === 'string' ? data : Buffer.from(data.buffer).toString('utf8');
    return typeof data === 'string' ? data.length : data.byteLength;
  }) as typeof fs.writeSync;
  try {
    session.endProfiling();
  } finally {
    fs.writeSync = writeSync;
  }
  await session.release();
  return printed
    .split('\n')
    .map((l) => l.trim().replace(/,$/, ''))
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as ProfileEvent);
}

async function nativeProfile(): Promise<ProfileEvent[]> {
  const dir = await mkdtemp(join(tmpdir(), 'heimdall-ort-profile-'));
  try {
    const session = await ortNode.InferenceSession.create(bytes, {
      intraOpNumThreads: 1,
      interOpNumThreads: 1,
      enableProfiling: true,
      profileFilePrefix: join(dir, 'native'),
    });
    for (let i = 0; i < WARM_RUNS + runs; i++)
      await session.run({ [metadata.input.name]: new ortNode.Tensor('float32', x, dims) });
    session.endProfiling();
    await session.release();
    const [file] = await readdir(dir);
    return JSON.parse(await readFile(join(dir, file), 'utf8')) as ProfileEvent[];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const web = perOpType(await webProfile());
const native = perOpType(await nativeProfile());
const webTotal = [...web.byOp.values()].reduce((a, b) => a + b, 0);
const nativeTotal = [...native.byOp.values()].reduce((a, b) => a + b, 0);
console.log(
  `model ${version}, input [${dims.join(', ')}], ${runs} runs after ${WARM_RUNS} warm-up runs, ` +
    `load average ${loadavg()[0].toFixed(1)}\n` +
    `model_run p50: WASM ${web.runP50Us.toFixed(0)} µs, native ${native.runP50Us.toFixed(0)} µs ` +
    `(${(web.runP50Us / native.runP50Us).toFixed(2)}x); kernels alone ${webTotal.toFixed(0)} vs ` +
    `${nativeTotal.toFixed(0)} µs (${(webTotal / nativeTotal).toFixed(2)}x)`,
);
console.log('| op | WASM µs/run | native µs/run | WASM/native | share of WASM kernels |');
console.log('|---|---|---|---|---|');
for (const [op, us] of [...web.byOp].sort((a, b) => b[1] - a[1])) {
  const n = native.byOp.get(op);
  console.log(
    `| ${op} | ${us.toFixed(1)} | ${n === undefined ? '-' : n.toFixed(1)} | ` +
      `${n ? (us / n).toFixed(2) : '-'}x | ${((100 * us) / webTotal).toFixed(1)} % |`,
  );
}
const onlyNative = [...native.byOp.keys()].filter((op) => !web.byOp.has(op));
if (onlyNative.length) console.log(`op types only the native graph runs: ${onlyNative.join(', ')}`);
