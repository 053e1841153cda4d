/**
 * The engine's defaults, written once: the worker starts with them (workers/config.ts) and the
 * UI's settings start from them (src/state/store.ts), so a page that never touched its settings
 * runs what a test or benchmark driving the worker directly runs.
 */

/**
 * A day: long enough that yesterday's recordings reopen instantly, short enough to age out.
 * (The worker used one hour and the UI a day; the UI's value is what every operator ran.)
 */
export const DEFAULT_CACHE_TTL_MS = 24 * 60 * 60 * 1000;

export const DEFAULT_CACHE_MAX_ENTRIES = 1000;

/**
 * WASM alone. The worker now measures each allowed provider and serves the faster
 * (workers/executionProviders.ts), so allowing WebGPU can no longer make a run slower, but it
 * makes every start slower: WebGPU needs its own 28 MB runtime build (the WASM path loads the
 * 14 MB plain SIMD build) and a session, a warm-up and a timed run on the adapter before WASM is
 * chosen. Measured here (README, "WebGPU"): SwiftShader 1.1-2.0 s a run against 6.6-45 ms for
 * WASM, and the model's WASM inference is about 1.5 ms a scene warm, so a GPU has little to win.
 * Operators with a real GPU can allow it under Settings.
 */
export const DEFAULT_EP_PREFERENCE: readonly ('webgpu' | 'wasm')[] = ['wasm'];
