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
