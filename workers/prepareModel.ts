/**
 * prepare(): puts model versions in service. With a version, that version alone serves every
 * request ('pinned'). Without one, the manifest's production version serves, and a staging
 * version with a positive weight is prepared beside it for the A/B split ('ab').
 *
 * Each version goes through: bytes (IndexedDB or download + sha256) -> session on the first
 * execution provider that works, tried one by one -> one warm-up run -> installed. Until the
 * install, the version that was serving keeps serving; any failure leaves it in place.
 */
import { HeimdallError } from '../src/core/errors';
import { sceneInputDims, type ManifestEntry, type ModelMetadata } from '../src/core/modelMetadata';
import type { Engine } from './engine';
import { errorInfo } from './errorInfo';
import { createSessionMeasured } from './executionProviders';
import { preprocessingHash } from './hashing';
import { loadManifest } from './loadManifest';
import { findEntry } from './manifest';
import { pruneModels } from './modelStore';
import { obtainModel } from './obtainModel';
import { firstRuntime, isRuntimeReady, loadRuntime, type Ort, type OrtSession } from './ort';
import { BatchingRunner } from './sessionRunner';
import { SessionSlot, type PoolMode, type Role } from './sessions';
import { throttle } from './throttle';
import type { ErrorInfo, PreparedModel, PrepareProgress } from './types';

export interface PrepareResult {
  mode: 'ab' | 'pinned';
  active: PreparedModel;
  staging: PreparedModel | null;
  /** Why the staging arm is not serving, when preparing it failed (production serves everything). */
  stagingError?: ErrorInfo;
}

type Progress = (p: PrepareProgress, force?: boolean) => void;

/** One run on zeros: compiles kernels (WebGPU shaders) and checks the output against the layout. */
async function warmUp(
  session: OrtSession,
  ort: Ort,
  m: ModelMetadata,
  dims: [number, number, number],
): Promise<void> {
  if (!session.inputNames.includes(m.input.name) || !session.outputNames.includes(m.output.name)) {
    throw new HeimdallError(
      'ModelLoadError',
      `the model's input/output are ${session.inputNames.join(', ')} / ${session.outputNames.join(', ')}, the metadata says ${m.input.name} / ${m.output.name}`,
    );
  }
  const input = new ort.Tensor('float32', new Float32Array(dims[0] * dims[1] * dims[2]), [
    1,
    ...dims,
  ]);
  const out = (await session.run({ [m.input.name]: input }))[m.output.name];
  if (out.dims.length !== 2 || out.dims[1] !== m.output.layout.length) {
    throw new HeimdallError(
      'ModelLoadError',
      `warm-up output dims [${out.dims.join(', ')}] do not fit the layout ${m.output.layout.join(', ')}`,
    );
  }
  await out.getData(true);
}

/**
 * V8 first runs WebAssembly with its baseline compiler and recompiles hot functions with its
 * optimising compiler only after enough calls. Measured with `npm run bench` (2026-12-01):
 * serial predictions right after start-up spent 6.8 ms in inference, the same predictions after
 * a burst of 100 spent 2.4 ms. So a prepared WASM session gets that burst in the background:
 * TIER_UP_RUNS runs of TIER_UP_BATCH zero scenes, one per turn of the event loop and only while
 * no request is waiting, holding the slot so it cannot be released mid-run. One scene per run:
 * a request that arrives during a run waits for it, and a run of 8 scenes (as this was first
 * written) took 15-30 ms on the loaded 2-core machine, which showed up in the warm benchmark's
 * p95 whenever its serial requests met the burst (`npx tsx scripts/bench-warm.ts`). The same
 * number of scenes in single runs gives V8 the same execution to tier up on.
 */
const TIER_UP_RUNS = 96;
const TIER_UP_BATCH = 1;

async function tierUpInBackground(slot: SessionSlot): Promise<void> {
  let done = 0;
  while (done < TIER_UP_RUNS && !slot.isRetired) {
    await new Promise((resolve) => setTimeout(resolve, 0));
    let held: SessionSlot;
    try {
      held = slot.acquire();
    } catch {
      return; // taken out of service meanwhile
    }
    try {
      if (await held.runner.warmOnce(TIER_UP_BATCH)) done++;
    } catch {
      return; // best effort: a failing run shows up in real requests, with its error
    } finally {
      held.release();
    }
  }
}

async function prepareVersion(
  engine: Engine,
  entry: ManifestEntry,
  role: Role,
  report: Progress,
  modeOnInstall: PoolMode,
): Promise<PreparedModel> {
  const { version } = entry;
  const ticket = engine.pool.reserve(role);
  const t0 = performance.now();
  const { epPreference, wasmThreads } = engine.config;
  // Every report says whether the runtime is in (it loads beside the model), and its arrival is
  // reported too, so the engine chip shows both steps moving at once.
  let last: PrepareProgress = { version, phase: 'download' };
  const progress: Progress = (p, force) => {
    last = p;
    report({ ...p, runtimeReady: isRuntimeReady(firstRuntime(epPreference)) }, force);
  };
  // The first provider's runtime loads while the model is fetched (configure() may have started
  // it already); a failure here shows again, with its provider, in the session attempt below.
  loadRuntime(firstRuntime(epPreference), wasmThreads).then(
    () => progress(last, true),
    () => undefined,
  );
  const obtained = await obtainModel(engine, entry, progress);
  const { metadata } = obtained;
  const dims = sceneInputDims(metadata);
  const created = await createSessionMeasured(
    obtained.bytes,
    epPreference,
    wasmThreads,
    {
      warmUp: (session, ort) => warmUp(session, ort, metadata, dims),
      onTry: (ep, phase) => progress({ version, phase, executionProvider: ep }, true),
    },
    `model ${version}`,
  );
  const label = `model ${version} (${created.executionProvider})`;
  const runner = new BatchingRunner(
    created.session,
    created.ort,
    {
      inputName: metadata.input.name,
      outputName: metadata.output.name,
      outputColumns: metadata.output.layout.length,
      sceneDims: dims,
    },
    () => engine.config.maxBatch,
    (size) => engine.metrics.batch(size),
    label,
  );
  const slot = new SessionSlot(
    version,
    metadata,
    entry,
    created.executionProvider,
    await preprocessingHash(metadata.preprocessing),
    created.session,
    runner,
    created.releaseSafe,
  );
  if (!engine.pool.isCurrent(role, ticket)) {
    slot.retire();
    throw new HeimdallError(
      'CancelledError',
      `preparing ${version} was superseded by a later prepare()`,
    );
  }
  // Synchronous from here: no request can see the new slot with the old mode or vice versa.
  const old = engine.pool.install(role, slot);
  engine.pool.mode = modeOnInstall;
  if (modeOnInstall === 'pinned') engine.pool.remove('staging');
  if (old && old !== slot) engine.events.emit({ type: 'model-retired', version: old.version });
  engine.events.emit({
    type: 'model-ready',
    version,
    role,
    executionProvider: created.executionProvider,
  });
  progress({ version, phase: 'ready', executionProvider: created.executionProvider }, true);
  if (created.executionProvider === 'wasm') void tierUpInBackground(slot);
  slot.prepared = {
    version,
    executionProvider: created.executionProvider,
    attempts: created.attempts,
    source: obtained.source,
    sha256: entry.sha256,
    sizeBytes: entry.sizeBytes,
    role,
    timingsMs: {
      fetch: obtained.fetchMs,
      verify: obtained.verifyMs,
      runtime: created.runtimeMs,
      session: created.sessionMs,
      warmup: created.warmupMs,
      total: performance.now() - t0,
    },
  };
  return slot.prepared;
}

/** Prepares (or drops) the staging arm to match the manifest; failures leave production serving alone. */
export async function syncStaging(
  engine: Engine,
  entry: ManifestEntry | null,
  progress: Progress,
): Promise<{ staging: PreparedModel | null; stagingError?: ErrorInfo }> {
  const current = engine.pool.get('staging');
  if (!entry) {
    if (current) {
      engine.pool.remove('staging');
      engine.events.emit({ type: 'model-retired', version: current.version });
    }
    return { staging: null };
  }
  if (current?.version === entry.version && current.entry.sha256 === entry.sha256) {
    return { staging: current.prepared };
  }
  try {
    return { staging: await prepareVersion(engine, entry, 'staging', progress, 'ab') };
  } catch (err) {
    const info = errorInfo(err);
    engine.events.emit({ type: 'model-error', version: entry.version, error: info });
    return { staging: null, stagingError: info };
  }
}

export async function prepare(
  engine: Engine,
  version: string | undefined,
  onProgress?: (p: PrepareProgress) => unknown,
): Promise<PrepareResult> {
  const progress = throttle(onProgress, 100);
  if (!engine.manifest) {
    progress({ version: version ?? 'production', phase: 'manifest' }, true);
    await loadManifest(engine);
  }
  const manifest = engine.manifest!.manifest;
  try {
    if (version !== undefined) {
      const active = await prepareVersion(
        engine,
        findEntry(manifest, version),
        'active',
        progress,
        'pinned',
      );
      return { mode: 'pinned', active, staging: null };
    }
    const arms = engine.arms();
    if (!arms.production)
      throw new HeimdallError('ManifestError', 'the manifest has no production version');
    const active = await prepareVersion(engine, arms.production, 'active', progress, 'ab');
    const staging = await syncStaging(engine, arms.staging, progress);
    return { mode: 'ab', active, ...staging };
  } catch (err) {
    if (version) engine.events.emit({ type: 'model-error', version, error: errorInfo(err) });
    throw err;
  } finally {
    // Versions the manifest no longer lists need not stay on disk.
    await pruneModels(engine.stores, new Set(manifest.models.map((m) => m.sha256))).catch(
      () => undefined,
    );
  }
}
