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
import { keys } from 'idb-keyval';
import {
  sceneInputDims,
  type ManifestEntry,
  type ModelMetadata,
  type Preprocessing,
} from '../src/core/modelMetadata';
import { networkModelMetadataSchema } from '../src/core/networkModelMetadata';
import { markPhase } from '../src/core/phaseMark';
import { servingNetworkVersion } from '../src/core/scene/servingModel';
import { cacheOnlySlot, RuntimeHold, type DeferredRunner } from './cacheFirst';
import type { Engine } from './engine';
import { errorInfo } from './errorInfo';
import {
  createSessionMeasured,
  type CreatedSession,
  type SessionCallbacks,
} from './executionProviders';
import { preprocessingHash } from './hashing';
import { loadManifest } from './loadManifest';
import { findTarget, type PrepareTarget } from './manifest';
import { NetworkRunner, warmUpNetwork } from './networkRunner';
import { pruneModels } from './modelStore';
import { obtainModel, type ObtainedModel } from './obtainModel';
import {
  firstRuntime,
  isRuntimeReady,
  isRuntimeStarted,
  loadRuntime,
  runSession,
  type Ort,
  type OrtSession,
} from './ort';
import { BatchingRunner } from './sessionRunner';
import {
  SessionSlot,
  type AnySlot,
  type NetworkSlot,
  type PoolMode,
  type Role,
  type SceneRunner,
} from './sessions';
import { throttle } from './throttle';
import type { ErrorInfo, PreparedModel, PrepareProgress, ProviderAttempt } from './types';

export interface PrepareResult {
  mode: 'ab' | 'pinned';
  /** The version serving the scenes the pinned or production model serves. */
  active: PreparedModel;
  staging: PreparedModel | null;
  /** Why the staging arm is not serving, when preparing it failed (production serves everything). */
  stagingError?: ErrorInfo;
  /**
   * The any-network model (issue 13), serving scenes that are not the fixed network: when
   * pinned, or when it was already serving; otherwise it is being prepared in the background and
   * a 'model-ready' event with role 'network' says when it serves.
   */
  network: PreparedModel | null;
  /** Why it is not serving, when preparing it failed (the fixed-network scenes still are). */
  networkError?: ErrorInfo;
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
  const out = (await runSession(session, { [m.input.name]: input }))[m.output.name];
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
 * number of scenes in single runs gives V8 the same execution to tier up on. The burst waits until
 * the page's calls have been quiet for a moment (quietGate.ts): a first estimate does not need it.
 */
const TIER_UP_RUNS = 96;
const TIER_UP_BATCH = 1;

async function tierUpInBackground(
  engine: Engine,
  slot: SessionSlot,
  runner: BatchingRunner,
): Promise<void> {
  await engine.quiet.whenQuiet();
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
      if (await runner.warmOnce(TIER_UP_BATCH)) done++;
    } catch {
      return; // best effort: a failing run shows up in real requests, with its error
    } finally {
      held.release();
    }
  }
}

/** The bytes, a session on the first provider that works, and the slot around it (not installed). */
async function openSlot(
  engine: Engine,
  target: PrepareTarget,
  progress: Progress,
  /** Runs between the fixed-network model's bytes and its session (cacheFirst.ts). */
  beforeSession: (obtained: ObtainedModel) => Promise<void> = async () => undefined,
): Promise<{
  slot: AnySlot;
  source: 'network' | 'indexeddb';
  attempts: ProviderAttempt[];
  t: Omit<PreparedModel['timingsMs'], 'total'>;
}> {
  const { epPreference, wasmThreads } = engine.config;
  const { version } = target.entry;
  const open = (bytes: Uint8Array, warmUp: SessionCallbacks['warmUp']) =>
    createSessionMeasured(
      bytes,
      epPreference,
      wasmThreads,
      {
        warmUp,
        onTry: (ep, phase) => progress({ version, phase, executionProvider: ep }, true),
      },
      `model ${version}`,
    );
  const done = (
    slot: AnySlot,
    obtained: { source: 'network' | 'indexeddb'; fetchMs: number; verifyMs: number },
    created: CreatedSession,
  ) => ({
    slot,
    source: obtained.source,
    attempts: created.attempts,
    t: timings(obtained, created),
  });
  if (target.kind === 'network') {
    const obtained = await obtainModel(engine, target.entry, progress, networkModelMetadataSchema);
    const { metadata } = obtained;
    const created = await open(obtained.bytes, (session, ort) =>
      warmUpNetwork(session, ort, metadata),
    );
    const label = `model ${version} (${created.executionProvider})`;
    const runner = new NetworkRunner(created.session, created.ort, metadata, label);
    const slot: NetworkSlot = await slotFor(metadata, target.entry, created, runner);
    return done(slot, obtained, created);
  }
  const obtained = await obtainModel(engine, target.entry, progress);
  markPhase(`model-bytes ${version}`);
  await beforeSession(obtained);
  const { metadata } = obtained;
  const dims = sceneInputDims(metadata);
  const created = await open(obtained.bytes, (session, ort) =>
    warmUp(session, ort, metadata, dims),
  );
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
    (size, runMs) => engine.metrics.batch(size, runMs),
    `model ${version} (${created.executionProvider})`,
  );
  const slot = await slotFor(metadata, target.entry, created, runner);
  if (created.executionProvider === 'wasm') tierUpAfterInstall.set(slot, runner);
  return done(slot, obtained, created);
}

type CachedSlot = SessionSlot<ModelMetadata, ManifestEntry, DeferredRunner>;

/**
 * The cache-only slot of a prepare that failed or was superseded: its waiting misses fail with
 * that error, and it leaves service unless something else has replaced it already.
 */
function withdrawCached(engine: Engine, role: Role, cached: CachedSlot | null, err: unknown): void {
  if (!cached) return;
  cached.runner.reject(err);
  if (engine.pool.get(role) === cached) {
    engine.pool.remove(role);
    engine.pool.mode = 'none';
  }
}

/** A slot around a created session (not installed). */
async function slotFor<
  M extends { version: string; preprocessing: Preprocessing },
  E extends { sha256: string },
  R,
>(metadata: M, entry: E, created: CreatedSession, runner: R): Promise<SessionSlot<M, E, R>> {
  return new SessionSlot(
    metadata.version,
    metadata,
    entry,
    created.executionProvider,
    await preprocessingHash(metadata.preprocessing),
    created.session,
    runner,
    created.releaseSafe,
  );
}

function timings(
  obtained: { fetchMs: number; verifyMs: number },
  created: { runtimeMs: number; sessionMs: number; warmupMs: number },
): Omit<PreparedModel['timingsMs'], 'total'> {
  return {
    fetch: obtained.fetchMs,
    verify: obtained.verifyMs,
    runtime: created.runtimeMs,
    session: created.sessionMs,
    warmup: created.warmupMs,
  };
}

/** Fixed-network WASM slots that get the tier-up burst once in service, with their runner. */
const tierUpAfterInstall = new WeakMap<AnySlot, BatchingRunner>();

const ROLES: readonly Role[] = ['active', 'staging', 'network'];

async function prepareVersion(
  engine: Engine,
  target: PrepareTarget,
  role: Role,
  report: Progress,
  modeOnInstall: PoolMode,
): Promise<PreparedModel> {
  const { entry } = target;
  const { version } = entry;
  const ticket = engine.pool.reserve(role);
  const t0 = performance.now();
  const { epPreference, wasmThreads } = engine.config;
  const build = firstRuntime(epPreference);
  /** Set while the version answers cached scenes without a session (cacheFirst.ts). */
  const serving: { cached: CachedSlot | null } = { cached: null };
  // Every report says whether the runtime is in (it loads beside the model), and its arrival is
  // reported too, so the engine chip shows both steps moving at once.
  let last: PrepareProgress = { version, phase: 'download' };
  const progress: Progress = (p, force) => {
    last = p;
    report(
      {
        ...p,
        runtimeReady: isRuntimeReady(build),
        ...(serving.cached ? { cacheServes: true } : {}),
      },
      force,
    );
  };
  const startRuntime = () =>
    loadRuntime(build, wasmThreads).then(
      () => progress(last, true),
      () => undefined,
    );
  // The first provider's runtime loads while the model is fetched (configure() may have started
  // it already); a failure here shows again, with its provider, in the session attempt below.
  // On a repeat visit it may wait until cached scenes have been answered (cacheFirst.ts).
  const mayServeCached =
    role === 'active' &&
    modeOnInstall === 'ab' &&
    !engine.pool.get('active') &&
    // With a staging arm, some scenes belong to a version whose slot comes later.
    !engine.arms().staging &&
    epPreference.length === 1 &&
    !isRuntimeStarted(build) &&
    target.kind === 'fixed' &&
    (await keys<string>(engine.stores.models).catch((): string[] => [])).includes(entry.sha256);
  if (!mayServeCached) void startRuntime();
  const serveCachedFirst = async (obtained: ObtainedModel) => {
    if (!mayServeCached) return;
    const served =
      obtained.source === 'indexeddb' &&
      !isRuntimeStarted(build) &&
      engine.pool.isCurrent(role, ticket) &&
      !engine.pool.get('active') &&
      (await engine.cache.count()) > 0;
    if (served) {
      const hold = new RuntimeHold();
      serving.cached = cacheOnlySlot(
        obtained.metadata,
        entry as ManifestEntry,
        build,
        await preprocessingHash(obtained.metadata.preprocessing),
        hold,
      );
      engine.pool.install(role, serving.cached);
      engine.pool.mode = modeOnInstall;
      markPhase(`cache-serves ${version}`);
      progress({ version, phase: 'runtime' }, true);
      await hold.released;
    }
    void startRuntime();
  };
  let slot: AnySlot;
  let source: 'network' | 'indexeddb';
  let attempts: ProviderAttempt[];
  let t: Omit<PreparedModel['timingsMs'], 'total'>;
  try {
    ({ slot, source, attempts, t } = await openSlot(engine, target, progress, serveCachedFirst));
  } catch (err) {
    withdrawCached(engine, role, serving.cached, err);
    throw err;
  }
  if (!engine.pool.isCurrent(role, ticket)) {
    slot.retire();
    const err = new HeimdallError(
      'CancelledError',
      `preparing ${version} was superseded by a later prepare()`,
    );
    withdrawCached(engine, role, serving.cached, err);
    throw err;
  }
  // Synchronous from here: no request can see the new slot with the old mode or vice versa.
  const old = engine.pool.install(role, slot);
  engine.pool.mode = modeOnInstall;
  // Misses that waited for the session run on it now.
  serving.cached?.runner.resolve(slot.runner as SceneRunner);
  // A pinned version serves every scene alone.
  if (modeOnInstall === 'pinned') for (const r of ROLES) if (r !== role) engine.pool.remove(r);
  if (old && old !== slot && old !== serving.cached)
    engine.events.emit({ type: 'model-retired', version: old.version });
  engine.events.emit({
    type: 'model-ready',
    version,
    role,
    executionProvider: slot.executionProvider,
  });
  markPhase(`model-ready ${version}`);
  progress({ version, phase: 'ready', executionProvider: slot.executionProvider }, true);
  const tierUpRunner = tierUpAfterInstall.get(slot);
  if (tierUpRunner) void tierUpInBackground(engine, slot as SessionSlot, tierUpRunner);
  slot.prepared = {
    version,
    executionProvider: slot.executionProvider,
    attempts,
    source,
    sha256: entry.sha256,
    sizeBytes: entry.sizeBytes,
    role,
    timingsMs: { ...t, total: performance.now() - t0 },
  };
  return slot.prepared;
}

/**
 * Prepares (or drops) the version serving beside production in `role` (the staging arm, or the
 * any-network model) to match the manifest; failures leave production serving alone.
 */
async function syncBeside(
  engine: Engine,
  role: 'staging' | 'network',
  target: PrepareTarget | null,
  progress: Progress,
): Promise<{ prepared: PreparedModel | null; error?: ErrorInfo }> {
  const current = engine.pool.get(role);
  if (!target) {
    if (current) {
      engine.pool.remove(role);
      engine.events.emit({ type: 'model-retired', version: current.version });
    }
    return { prepared: null };
  }
  const { entry } = target;
  if (current?.version === entry.version && current.entry.sha256 === entry.sha256) {
    return { prepared: current.prepared };
  }
  try {
    return { prepared: await prepareVersion(engine, target, role, progress, 'ab') };
  } catch (err) {
    const error = errorInfo(err);
    // Superseded by a later prepare (a version pinned meanwhile): no error to show.
    if (error.name !== 'CancelledError') {
      engine.events.emit({ type: 'model-error', version: entry.version, error });
    }
    return { prepared: null, error };
  }
}

export async function syncStaging(
  engine: Engine,
  entry: ManifestEntry | null,
  progress: Progress,
): Promise<{ staging: PreparedModel | null; stagingError?: ErrorInfo }> {
  const r = await syncBeside(engine, 'staging', entry && { kind: 'fixed', entry }, progress);
  return { staging: r.prepared, ...(r.error ? { stagingError: r.error } : {}) };
}

/** The any-network model beside production (src/core/scene/servingModel.ts says which). */
export async function syncNetwork(
  engine: Engine,
  progress: Progress,
): Promise<{ network: PreparedModel | null; networkError?: ErrorInfo }> {
  const entry = servingNetworkVersion(engine.manifest?.manifest.networkModels ?? []);
  const r = await syncBeside(engine, 'network', entry && { kind: 'network', entry }, progress);
  return { network: r.prepared, ...(r.error ? { networkError: r.error } : {}) };
}

export function prepare(
  engine: Engine,
  version: string | undefined,
  onProgress?: (p: PrepareProgress) => unknown,
): Promise<PrepareResult> {
  const call = prepareOnce(engine, version, onProgress);
  engine.preparing = call;
  void call
    .catch(() => undefined)
    .finally(() => {
      if (engine.preparing === call) engine.preparing = null;
    });
  return call;
}

async function prepareOnce(
  engine: Engine,
  version: string | undefined,
  onProgress?: (p: PrepareProgress) => unknown,
): Promise<PrepareResult> {
  const progress = throttle(onProgress, 100);
  const call = ++engine.prepareCalls;
  if (!engine.manifest) {
    progress({ version: version ?? 'production', phase: 'manifest' }, true);
    await loadManifest(engine);
  }
  const manifest = engine.manifest!.manifest;
  try {
    if (version !== undefined) {
      const target = findTarget(manifest, version);
      const role = target.kind === 'network' ? 'network' : 'active';
      const active = await prepareVersion(engine, target, role, progress, 'pinned');
      return {
        mode: 'pinned',
        active,
        staging: null,
        network: target.kind === 'network' ? active : null,
      };
    }
    const arms = engine.arms();
    if (!arms.production)
      throw new HeimdallError('ManifestError', 'the manifest has no production version');
    const active = await prepareVersion(
      engine,
      { kind: 'fixed', entry: arms.production },
      'active',
      progress,
      'ab',
    );
    const staging = await syncStaging(engine, arms.staging, progress);
    // The any-network model comes in the background, once the page's first calls are through:
    // production serves the fixed network's scenes meanwhile, and a scene of other receivers
    // hurries it and waits for it (predict.ts). A prepare() called while it waits supersedes it
    // (a pinned version wants no any-network model; another A/B prepare schedules its own).
    const preparing: Promise<unknown> = engine.quiet
      .whenQuiet()
      .then(() => (engine.prepareCalls === call ? syncNetwork(engine, () => undefined) : null))
      .finally(() => {
        if (engine.networkPreparing === preparing) engine.networkPreparing = null;
      });
    engine.networkPreparing = preparing;
    const network = engine.pool.get('network')?.prepared ?? null;
    return { mode: 'ab', active, ...staging, network };
  } catch (err) {
    if (version) engine.events.emit({ type: 'model-error', version, error: errorInfo(err) });
    throw err;
  } finally {
    // Versions the manifest no longer lists need not stay on disk.
    const listed = [...manifest.models, ...manifest.networkModels].map((m) => m.sha256);
    await pruneModels(engine.stores, new Set(listed)).catch(() => undefined);
  }
}
