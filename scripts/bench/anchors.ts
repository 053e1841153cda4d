/**
 * The anchors `npm run bench` sets each browser figure against, measured in the same run:
 * onnxruntime-node (1 thread, the command line's path) and the browser's own WASM runtime in Node's
 * V8 on the same model and scenes, and numpy's
 * log-mel with the same parameters (Debian's /usr/bin/python3; reported absent without numpy).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import * as ortWeb from 'onnxruntime-web';
import { percentile } from '../../e2e/support/enginePage';
import type { NodeReference } from '../../e2e/support/nodeReference';
import type { TestScene } from '../../e2e/support/scenes';
import { sceneInputDims, type Preprocessing } from '../../src/core/modelMetadata';
import { SceneFeaturizer } from '../../src/core/sceneFeatures';

const PYTHON = process.env.HEIMDALL_PYTHON ?? '/usr/bin/python3';

export interface InferenceAnchors {
  /** onnxruntime-node, the command line's path (1 thread), ms. */
  node: { p50: number; p95: number };
  /**
   * The browser's own runtime (onnxruntime-web's WASM build, same .wasm, same thread count) run
   * in this process's V8: no page, worker, messages or timers. browser / this is what the page and
   * worker add; this / node is what WebAssembly SIMD kernels cost against native ones.
   */
  wasmInNode: { p50: number; p95: number; threads: number };
}

/**
 * Inference on one scene at a time on onnxruntime-node and on onnxruntime-web's WASM build in
 * Node, in alternating rounds so that a change in the machine's load falls on both alike.
 * onnxruntime-web reads its thread count once per process: call this once.
 */
export async function inferenceAnchors(
  ref: NodeReference,
  /** The same model file, for onnxruntime-web. */
  modelPath: string,
  scenes: TestScene[],
  wasmThreads: number,
  rounds = 12,
): Promise<InferenceAnchors> {
  const { metadata } = ref.model;
  const featurizer = new SceneFeaturizer(metadata.preprocessing);
  const inputs = scenes.map((s) => featurizer.modelInput(s.iq));
  ortWeb.env.wasm.numThreads = wasmThreads;
  const web = await ortWeb.InferenceSession.create(await readFile(modelPath), {
    graphOptimizationLevel: 'all',
  });
  const dims = [1, ...sceneInputDims(metadata)];
  const runWeb = (x: Float32Array) =>
    web.run({ [metadata.input.name]: new ortWeb.Tensor('float32', x, dims) });
  const runNode = (x: Float32Array) => ref.model.predict(x, 1);
  // V8 runs WebAssembly on its baseline tier until functions are hot: warm both up first.
  for (let i = 0; i < WASM_WARMUP_RUNS; i++) await runWeb(inputs[i % inputs.length]);
  for (const x of inputs) await runNode(x);
  const webMs: number[] = [];
  const nodeMs: number[] = [];
  const time = async (run: () => Promise<unknown>, into: number[]) => {
    const t0 = performance.now();
    await run();
    into.push(performance.now() - t0);
  };
  for (let r = 0; r < rounds; r++) {
    for (const x of inputs) await time(() => runNode(x), nodeMs);
    for (const x of inputs) await time(() => runWeb(x), webMs);
  }
  await web.release();
  const stats = (ms: number[]) => ({ p50: percentile(ms, 0.5), p95: percentile(ms, 0.95) });
  return { node: stats(nodeMs), wasmInNode: { ...stats(webMs), threads: wasmThreads } };
}

/** Enough runs for V8 to optimise the runtime's hot WebAssembly (scripts/bench-wasm-native.ts). */
const WASM_WARMUP_RUNS = 300;

export type NumpyAnchor = { msPerScene: number; numpy: string } | { absent: string };

/** numpy's log-mel per 3-receiver scene; { absent } when Python or numpy is missing. */
export async function numpyLogMel(preprocessing: Preprocessing): Promise<NumpyAnchor> {
  const dir = await mkdtemp(join(tmpdir(), 'heimdall-bench-'));
  try {
    const params = join(dir, 'preprocessing.json');
    await writeFile(params, JSON.stringify(preprocessing));
    const { stdout } = await promisify(execFile)(PYTHON, [
      'scripts/bench/numpy_logmel.py',
      params,
      '200',
    ]);
    return JSON.parse(stdout) as NumpyAnchor;
  } catch (err) {
    const e = err as { code?: number | string; stdout?: string };
    if (e.code === 3) return { absent: 'numpy absent' };
    if (e.code === 'ENOENT') return { absent: `${PYTHON} absent` };
    return { absent: `numpy anchor failed: ${(err as Error).message.split('\n')[0]}` };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
