/**
 * The engine's life as the UI drives it: configure, manifest, prepare (with progress), version
 * switches, settings and metrics. Talks to the worker only through the bridge.
 */
import {
  getInferenceBridge,
  type EngineConfig,
  type PreparePhase,
  type PrepareProgress,
} from '../bridge/inferenceBridge';
import { relocateAll } from './batchActions';
import { bootScenes } from './sceneActions';
import { toUiError } from './scenes';
import { getState, useStore, type LoadSteps } from './store';
import type { Settings } from './types';

/** Keeps the model panel in step with promotions made on the server. */
const MANIFEST_POLL_MS = 30_000;

const PHASE_TEXT: Record<PreparePhase, string> = {
  manifest: 'Reading the model list…',
  download: 'Downloading model…',
  verify: 'Verifying model…',
  store: 'Storing model…',
  runtime: 'Loading runtime…',
  session: 'Starting session…',
  warmup: 'First inference…',
  measure: 'Comparing providers…',
  ready: 'Ready',
};

function engineConfig(s: Settings): Partial<EngineConfig> {
  return {
    cacheTtlMs: s.cacheTtlMs,
    cacheMaxEntries: s.cacheMaxEntries,
    epPreference: s.epPreference,
    manifestPollMs: MANIFEST_POLL_MS,
    stagingShare: s.stagingShare,
  };
}

let booted: Promise<void> | null = null;

/** Once per page: configure, read the manifest, subscribe to changes, prepare the model. */
export function bootEngine(): Promise<void> {
  booted ??= (async () => {
    const bridge = getInferenceBridge();
    try {
      await bridge.configure(engineConfig(getState().settings));
    } catch (err) {
      useStore.setState({ engine: { state: 'error', error: toUiError(err) } });
      return;
    }
    // The worker groups the recordings; the store follows it from now on.
    bootScenes();
    await bridge.subscribe((event) => {
      if (event.type === 'manifest') void refreshManifest();
      // The any-network model comes ready after production (workers/prepareModel.ts).
      if (event.type === 'model-ready' && event.role === 'network') {
        const { engine } = getState();
        if (engine.state === 'ready') {
          useStore.setState({ engine: { ...engine, networkVersion: event.version } });
        }
      }
      if (event.type === 'model-error') {
        useStore.setState({ notice: `Model ${event.version}: ${event.error.message}` });
      }
    });
    // The bridge restarts a worker that died and brings it back (files, model); say so.
    bridge.onRestart(({ reopened, failures }) => {
      const problems = failures.length ? `; ${failures.join('; ')}` : '';
      useStore.setState({
        notice: `The engine stopped and was restarted (${reopened} recording(s) reopened)${problems}.`,
      });
    });
    if (await refreshManifest()) await prepareModel();
  })();
  return booted;
}

async function refreshManifest(): Promise<boolean> {
  try {
    const { source: _source, ...manifest } = await getInferenceBridge().loadManifest();
    useStore.setState({ manifest, manifestError: null });
    return true;
  } catch (err) {
    const error = toUiError(err);
    useStore.setState({ manifestError: error, engine: { state: 'error', error } });
    return false;
  }
}

let prepareGeneration = 0;

const MODEL_PHASES: PreparePhase[] = ['manifest', 'download', 'verify', 'store'];

/** The chip's three steps from one progress report of prepare(). */
function loadSteps(p: PrepareProgress): LoadSteps {
  const modelDone = !MODEL_PHASES.includes(p.phase);
  const inferring = p.phase === 'warmup' || p.phase === 'measure' || p.phase === 'ready';
  return {
    runtime: p.runtimeReady || p.phase === 'session' || inferring ? 'done' : 'loading',
    model: modelDone ? 'done' : p.phase === 'manifest' ? 'waiting' : 'loading',
    modelProgress: p.totalBytes ? (p.loadedBytes ?? 0) / p.totalBytes : modelDone ? 1 : 0,
    inference: p.phase === 'ready' ? 'done' : inferring ? 'loading' : 'waiting',
  };
}

/** Prepares the pinned version, or the A/B pair when none is pinned. */
export async function prepareModel(): Promise<boolean> {
  const { pinnedVersion, manifest } = getState();
  // A pinned version the server no longer lists falls back to the A/B split.
  const listed = [...(manifest?.models ?? []), ...(manifest?.networkModels ?? [])];
  const version =
    pinnedVersion && listed.some((m) => m.version === pinnedVersion) ? pinnedVersion : null;
  if (pinnedVersion && !version) useStore.setState({ pinnedVersion: null });
  useStore.setState({ engine: { state: 'loading', message: PHASE_TEXT.manifest, progress: 0 } });
  // Progress is throttled in the worker, so its last report can arrive after prepare() settled;
  // only the latest, unsettled call may touch the status.
  const generation = ++prepareGeneration;
  let settled = false;
  try {
    const result = await getInferenceBridge().prepare(version ?? undefined, (p) => {
      if (settled || generation !== prepareGeneration) return;
      const progress = p.totalBytes ? (p.loadedBytes ?? 0) / p.totalBytes : 0;
      useStore.setState({
        engine: {
          state: 'loading',
          message: `${p.version}: ${PHASE_TEXT[p.phase]}`,
          progress,
          steps: loadSteps(p),
          ...(p.cacheServes ? { cacheServes: true } : {}),
        },
      });
    });
    settled = true;
    if (generation !== prepareGeneration) return false;
    useStore.setState({
      engine: {
        state: 'ready',
        version: result.active.version,
        stagingVersion: result.staging?.version ?? null,
        networkVersion: result.network?.version ?? null,
      },
    });
    void refreshMetrics();
    return true;
  } catch (err) {
    settled = true;
    if (generation === prepareGeneration) {
      useStore.setState({ engine: { state: 'error', error: toUiError(err) } });
    }
    return false;
  }
}

/** Pin a version (null: follow the manifest's A/B split), then re-locate what was located. */
export async function switchVersion(version: string | null): Promise<void> {
  useStore.setState({ pinnedVersion: version });
  if (await prepareModel()) await relocateAll();
}

/**
 * Sets this browser's staging share of the A/B split (null: the server's weights), prepares the
 * arms it needs and re-locates what was located, so every shown result follows the new split.
 */
export async function setStagingShare(share: number | null): Promise<void> {
  const next = { ...getState().settings, stagingShare: share };
  try {
    await getInferenceBridge().configure(engineConfig(next));
  } catch (err) {
    useStore.setState({ notice: `A/B split not changed: ${toUiError(err).message}` });
    return;
  }
  getState().updateSettings({ stagingShare: share });
  if (getState().pinnedVersion === null && (await prepareModel())) await relocateAll();
}

export async function reloadModels(): Promise<void> {
  if ((await refreshManifest()) && (await prepareModel())) await relocateAll();
}

/** Saves settings and hands the engine its part; returns a line for the operator. */
export async function applySettings(form: Settings): Promise<string> {
  const before = getState().settings;
  // The A/B share belongs to the model panel (setStagingShare); the settings form keeps it as is.
  const next = { ...form, stagingShare: before.stagingShare };
  try {
    await getInferenceBridge().configure(engineConfig(next));
  } catch (err) {
    return `Not saved: ${toUiError(err).message}`;
  }
  getState().updateSettings(next);
  // The provider is chosen when a session is created, so a new preference needs a new session.
  if (before.epPreference.join() !== next.epPreference.join()) {
    await prepareModel();
    return 'Saved; model restarted on the new execution provider.';
  }
  return 'Saved.';
}

export async function refreshMetrics(): Promise<void> {
  if (getState().engine.state === 'idle') return;
  try {
    useStore.setState({ metrics: await getInferenceBridge().metrics() });
  } catch {
    // Metrics are informative; a failed poll leaves the last figures in place.
  }
}
