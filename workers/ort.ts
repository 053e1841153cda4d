/**
 * The one door to onnxruntime-web. In the browser each execution provider loads only the runtime
 * it needs: WASM the plain SIMD build (`onnxruntime-web/wasm`, a 14 MB .wasm), WebGPU the JSEP
 * build (`onnxruntime-web`, 28 MB, WASM plus WebGPU kernels), imported on first use. Under Node
 * (the Vitest worker tests) both are the package's node build, which runs the same WASM runtime.
 *
 * Each build is its own module with its own settings and Tensor class, so a session is always
 * used with the runtime that created it (see Runtime below).
 */
import type * as OrtModule from 'onnxruntime-web';
import { markPhase } from '../src/core/phaseMark';
import { TINY_INPUT, TINY_MODEL } from './tinyModel';
import type { ExecutionProvider } from './types';

export type Ort = typeof OrtModule;
export type OrtSession = OrtModule.InferenceSession;

export interface Runtime {
  ort: Ort;
  /** Which build: 'wasm' (plain SIMD) or 'webgpu' (JSEP). */
  build: ExecutionProvider;
  /** ms from the request to a runtime that has run a model (fetch + compile + instantiate). */
  readyMs: number;
}

/** The worker's tests run it in Node (a MessageChannel, no Worker); Node types are not in scope here. */
const IN_NODE =
  typeof (globalThis as { process?: { versions?: { node?: unknown } } }).process?.versions?.node ===
  'string';

const imports = new Map<ExecutionProvider, Promise<Ort>>();

/**
 * The build's JavaScript, imported once. Importing it fetches and evaluates only that code (no
 * WebAssembly yet): configure() does it at once, even while it decides when the runtime starts.
 */
export function importBuild(build: ExecutionProvider): Promise<Ort> {
  let loading = imports.get(build);
  if (!loading) {
    if (IN_NODE) loading = import('onnxruntime-web');
    else loading = build === 'wasm' ? import('onnxruntime-web/wasm') : import('onnxruntime-web');
    imports.set(build, loading);
    loading.catch(() => imports.delete(build));
  }
  return loading;
}

let adapterCheck: Promise<string | null> | null = null;

/**
 * Why WebGPU cannot run here (no navigator.gpu, or no adapter), or null when an adapter exists.
 * Checked before the WebGPU build is fetched, so a machine without WebGPU never downloads it.
 */
export function webgpuUnavailable(): Promise<string | null> {
  adapterCheck ??= (async () => {
    const gpu = (
      globalThis.navigator as { gpu?: { requestAdapter(): Promise<unknown> } } | undefined
    )?.gpu;
    if (!gpu) return 'WebGPU is not available (no navigator.gpu)';
    try {
      return (await gpu.requestAdapter()) ? null : 'WebGPU is not available (no adapter)';
    } catch (err) {
      return `WebGPU is not available (${(err as Error).message})`;
    }
  })();
  return adapterCheck;
}

const runtimes = new Map<ExecutionProvider, Promise<Runtime>>();
const ready = new Set<ExecutionProvider>();

/** Whether loadRuntime(build) has been called (and not failed): its start cannot be held back. */
export function isRuntimeStarted(build: ExecutionProvider): boolean {
  return runtimes.has(build);
}

/** Whether loadRuntime(build) has finished (the engine chip shows it). */
export function isRuntimeReady(build: ExecutionProvider): boolean {
  return ready.has(build);
}

/**
 * The runtime for `build`, loaded once: imports the build, applies the WASM settings (ORT reads
 * them once, when its WebAssembly starts; proxy stays off since this already runs in a worker),
 * then runs a one-node model so that fetching, compiling and instantiating the WebAssembly and
 * starting its threads happen now, not inside the first real session. Called at configure()
 * time, so it overlaps the manifest and model downloads. A failure is not cached: a later call
 * tries again.
 */
export function loadRuntime(build: ExecutionProvider, wasmThreads: number): Promise<Runtime> {
  let loading = runtimes.get(build);
  if (!loading) {
    loading = (async () => {
      const t0 = performance.now();
      const unavailable = build === 'webgpu' ? await webgpuUnavailable() : null;
      if (unavailable) throw new Error(unavailable);
      markPhase(`runtime-start ${build}`);
      const ort = await importBuild(build);
      markPhase(`runtime-imported ${build}`);
      ort.env.wasm.numThreads = wasmThreads;
      ort.env.wasm.proxy = false;
      const tiny = await createSession(ort, TINY_MODEL, 'wasm');
      const x = new ort.Tensor('float32', new Float32Array(1), [1]);
      await runSession(tiny.session, { [TINY_INPUT]: x });
      await releaseSession(tiny.session, tiny.releaseSafe);
      ready.add(build);
      markPhase(`runtime-ready ${build}`);
      return { ort, build, readyMs: performance.now() - t0 };
    })();
    runtimes.set(build, loading);
    loading.catch(() => runtimes.delete(build));
  }
  return loading;
}

/**
 * The runtime to load ahead of the model: WASM whenever it is allowed (it is needed as the
 * fallback, and to compare with WebGPU, and it is the smaller download), else WebGPU.
 */
export function firstRuntime(preference: readonly ExecutionProvider[]): ExecutionProvider {
  return preference.includes('wasm') ? 'wasm' : preference[0];
}

/**
 * Every call into one runtime (session creation, run, release), one at a time, whoever makes it:
 * the page's predictions, prepare() and its provider measurement, the tier-up burst and the
 * any-network model's preparation in the background. onnxruntime-web's WebGPU build (JSEP) runs
 * a session through Asyncify and keeps one "current run" for the whole module: a second run
 * entered while one is suspended throws "Session already started", and one finishing under
 * another reads the other's state ("Cannot read properties of null (reading 'Nd')"; see the
 * wrapper of _OrtRun in onnxruntime-web's ort-wasm-simd-threaded.jsep.mjs). Two sessions created
 * at once on a WebGPU backend that has not started both start it, and one fails inside ORT. Both
 * happened in e2e/engine.spec.ts when background work deferred until the page was quiet met a
 * provider switch (on sessions of different models, so a queue per session is not enough).
 * Queued per runtime module, not per execution provider: in Node one module serves both. On
 * the plain WASM build a run holds the worker's thread anyway, so the queue costs it nothing.
 */
const lanes = new WeakMap<Ort, Promise<unknown>>();
/** The runtime each session was created on (createSession), for runSession and releaseSession. */
const runtimeOf = new WeakMap<OrtSession, Ort>();

function exclusive<T>(ort: Ort, call: () => Promise<T>): Promise<T> {
  const before = lanes.get(ort) ?? Promise.resolve();
  const mine = before.then(call, call);
  lanes.set(
    ort,
    mine.catch(() => undefined),
  );
  return mine;
}

/**
 * A session of `model` on `ep`, created in its runtime's queue, with whether releasing it will be
 * safe (see releaseGuard below; noted inside the queue, so no other creation comes between).
 */
export function createSession(
  ort: Ort,
  model: Uint8Array,
  ep: ExecutionProvider,
  options: Omit<OrtModule.InferenceSession.SessionOptions, 'executionProviders'> = {},
): Promise<{ session: OrtSession; releaseSafe: () => boolean }> {
  return exclusive(ort, async () => {
    if (ep === 'webgpu') noteWebgpuAttempt();
    const session = await ort.InferenceSession.create(model, {
      ...options,
      executionProviders: [ep],
    });
    if (ep === 'webgpu') noteWebgpuSession(); // before the guard: this session was counted
    runtimeOf.set(session, ort);
    return { session, releaseSafe: releaseGuard() };
  });
}

/** session.run in its runtime's queue (a session made elsewhere, as in tests, runs at once). */
export function runSession(
  session: OrtSession,
  feeds: OrtModule.InferenceSession.FeedsType,
): Promise<OrtModule.InferenceSession.ReturnType> {
  const ort = runtimeOf.get(session);
  return ort ? exclusive(ort, () => session.run(feeds)) : session.run(feeds);
}

/**
 * Works around an onnxruntime-web 1.30 bookkeeping bug. Its WebGPU buffer manager counts sessions
 * (+1 on create, -1 on release) and, when the count reaches zero, frees every GPU buffer. But the
 * +1 only happens for sessions created after the WebGPU backend started, while every release
 * after that does the -1. So releasing a session created *before* WebGPU started (a WASM session
 * from before the operator switched providers) can drop the count to zero while a WebGPU session
 * is alive, whose next run then fails with "no GPU data for input". Such sessions are not
 * released: a bounded leak (only sessions from before that moment, a few MB each) instead of a
 * broken WebGPU session. The backend may start on a WebGPU attempt that then fails, so an
 * attempt, not only a success, counts as a possible start. Sessions of the plain WASM build (a
 * module of its own in the browser) never meet the WebGPU backend; the guard is kept for all
 * sessions anyway because under Node one module serves both.
 */
let webgpuAttempts = 0;
let webgpuRunning = false;

function noteWebgpuAttempt(): void {
  webgpuAttempts++;
}

function noteWebgpuSession(): void {
  webgpuRunning = true;
}

/** Called when a session is created; the returned function says whether releasing it is safe. */
function releaseGuard(): () => boolean {
  // Created after a WebGPU session existed: counted on create, so its release is balanced.
  if (webgpuRunning) return () => true;
  // Otherwise balanced only if WebGPU cannot have started between its creation and its release.
  const attemptsAtCreate = webgpuAttempts;
  return () => webgpuAttempts === attemptsAtCreate;
}

export async function releaseSession(session: OrtSession, safe: () => boolean): Promise<void> {
  if (!safe()) return;
  const ort = runtimeOf.get(session);
  await (ort ? exclusive(ort, () => session.release()) : session.release());
}
