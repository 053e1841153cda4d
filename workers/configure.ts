import { mergeConfig } from './config';
import type { Engine } from './engine';
import { restartManifestPolling } from './manifestPoller';
import { EngineMetrics } from './metrics';
import { firstRuntime, loadRuntime } from './ort';
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
  // prepare(), which asks for the same runtime.
  if (patch.epPreference || patch.wasmThreads)
    loadRuntime(firstRuntime(next.epPreference), next.wasmThreads).catch(() => undefined);
  return { ...next };
}
