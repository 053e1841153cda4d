import { keys } from 'idb-keyval';
import { mergeConfig } from './config';
import type { Engine } from './engine';
import { restartManifestPolling } from './manifestPoller';
import { EngineMetrics } from './metrics';
import { firstRuntime, importBuild, loadRuntime } from './ort';
import type { EngineConfig } from './types';

/**
 * Applies settings. epPreference applies to the next prepare(); wasmThreads only before the
 * first session (ORT reads it once); a new metricsWindow starts the metrics afresh.
 */
export function configure(engine: Engine, patch: Partial<EngineConfig>): EngineConfig {
  const next = mergeConfig(engine.config, patch);
  const windowChanged = next.metricsWindow !== engine.config.metricsWindow;
  const pollChanged = next.manifestPollMs !== engine.config.manifestPollMs;
  engine.config = next;
  if (windowChanged) engine.metrics = new EngineMetrics(next.metricsWindow);
  if (pollChanged) restartManifestPolling(engine);
  // The page configures the engine first thing at load: start the runtime now, in parallel with
  // the manifest, the model and the map, instead of after the model arrived. Errors surface in
  // prepare(), which asks for the same runtime. Not on a repeat visit (a model and predictions
  // stored): prepare() then serves cached scenes first and starts it after (cacheFirst.ts).
  if (patch.epPreference || patch.wasmThreads) void startRuntimeUnlessRepeat(engine);
  return { ...next };
}

async function startRuntimeUnlessRepeat(engine: Engine): Promise<void> {
  const { epPreference, wasmThreads } = engine.config;
  const build = firstRuntime(epPreference);
  // Its code, meanwhile (no WebAssembly yet): a first visit loses nothing to the check below.
  if (build === 'wasm') importBuild(build).catch(() => undefined);
  if (epPreference.length === 1) {
    const stored = await Promise.all([keys(engine.stores.models), engine.cache.count()]).catch(
      () => [[], 0] as const,
    );
    if (stored[0].length > 0 && stored[1] > 0) return;
  }
  loadRuntime(build, wasmThreads).catch(() => undefined);
}
