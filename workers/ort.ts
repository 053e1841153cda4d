/**
 * The one import of onnxruntime-web. In the browser this is the bundle with the WASM and WebGPU
 * providers (Vite emits the .wasm files); under Node (the Vitest worker tests) the package's node
 * build, which runs the same WASM runtime.
 */
import * as ort from 'onnxruntime-web';

export { ort };
export type OrtSession = ort.InferenceSession;

let threadsSet = false;

/**
 * ORT reads its WASM settings when the first session is created; later changes are ignored, so
 * they are applied once. proxy stays off: this code already runs in a worker.
 */
export function configureOrtOnce(wasmThreads: number): void {
  if (threadsSet) return;
  ort.env.wasm.numThreads = wasmThreads;
  ort.env.wasm.proxy = false;
  threadsSet = true;
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
 * attempt, not only a success, counts as a possible start.
 */
let webgpuAttempts = 0;
let webgpuRunning = false;

export function noteWebgpuAttempt(): void {
  webgpuAttempts++;
}

export function noteWebgpuSession(): void {
  webgpuRunning = true;
}

/** Called when a session is created; the returned function says whether releasing it is safe. */
export function releaseGuard(): () => boolean {
  // Created after a WebGPU session existed: counted on create, so its release is balanced.
  if (webgpuRunning) return () => true;
  // Otherwise balanced only if WebGPU cannot have started between its creation and its release.
  const attemptsAtCreate = webgpuAttempts;
  return () => webgpuAttempts === attemptsAtCreate;
}

export async function releaseSession(session: OrtSession, safe: () => boolean): Promise<void> {
  if (safe()) await session.release();
}
