/**
 * predictScene(): read -> route -> features -> cache -> inference -> decode, with per-stage
 * timings. The routed version's slot is held (reference-counted) for the whole request, so a
 * version switch meanwhile never drops it. When the routed version fails at inference, the other
 * arm answers (and the result says so).
 */
import { decodeRow, type Estimate } from '../src/core/decode';
import { HeimdallError } from '../src/core/errors';
import { normalizeScene } from '../src/core/features';
import { networkGeometry } from '../src/core/networkFeatures';
import type { Station } from '../src/core/scene/types';
import { chooseArm } from './abRouter';
import type { Preprocessing } from '../src/core/modelMetadata';
import type { Engine } from './engine';
import { isCacheOnly } from './cacheFirst';
import { asHeimdallError } from './errorInfo';
import { predictionKey, samplesKey, sha256Hex } from './hashing';
import type { RecordingTable } from './recordings';
import { newRequestId, type CancelToken } from './requests';
import { fixedModelServes, planScene, stationsKey } from './scenePlan';
import { checkRequest, SceneWindows } from './sceneWindows';
import type { NetworkSlot, Role, SessionSlot } from './sessions';
import type {
  Arm,
  LogMelImage,
  PredictionResult,
  PredictOptions,
  PredictRequest,
  StageTimingsMs,
} from './types';

const mean = (a: Float32Array) => a.reduce((s, v) => s + v, 0) / a.length;

/**
 * Looks at a scene's log-mels before inference (the live squelch); false ends the request there,
 * with no inference and no result. The features are computed once, here, for both.
 */
export type Screen = (logMels: Float32Array[], preprocessing: Preprocessing) => boolean;

interface Attempt {
  screen?: Screen;
  engine: Engine;
  /** In the order the chosen model takes the receivers. */
  request: PredictRequest;
  /** The scene's stations in that order; set when the any-network model locates it. */
  stations?: Station[];
  options: PredictOptions;
  token: CancelToken;
  windows: SceneWindows;
  startedAt: number;
}

async function runOnRole(
  a: Attempt,
  role: Role,
  arm: Arm,
  fallbackFrom?: string,
): Promise<PredictionResult | undefined> {
  const { engine, token } = a;
  const slot = engine.pool.acquire(role);
  engine.metrics.attempt(slot.version);
  const t: Omit<StageTimingsMs, 'read' | 'total'> = {
    preprocess: 0,
    cache: 0,
    inference: 0,
    decode: 0,
  };
  try {
    const network = role === 'network' ? (slot as NetworkSlot) : undefined;
    const stations = network ? (a.stations ?? []) : null;
    const receiverIds = stations ? stations.map((r) => r.id) : receiverIdsOf(slot as SessionSlot);
    const windows = await a.windows.for(slot.metadata, slot.prepHash, receiverIds);
    token.throwIfCancelled();
    const respond = (
      estimate: Estimate,
      cache: PredictionResult['cache'],
      levelsDb: number[],
      logMel?: LogMelImage[],
    ): PredictionResult => {
      const captureTimeMs = 'iq' in a.request ? a.request.captureTimeMs : undefined;
      return {
        sceneId: a.request.sceneId,
        method: 'model',
        requestId: token.id,
        ...(captureTimeMs !== undefined ? { captureTimeMs } : {}),
        lat: estimate.lat,
        lon: estimate.lon,
        cov: estimate.cov,
        ellipses: estimate.ellipses,
        modelVersion: slot.version,
        arm,
        ...(fallbackFrom ? { fallbackFrom } : {}),
        executionProvider: slot.executionProvider,
        cache,
        timingsMs: { read: a.windows.readMs, ...t, total: performance.now() - a.startedAt },
        receiverIds,
        levelsDb,
        ...(logMel ? { logMel } : {}),
      };
    };
    const receiversKey = stations ? stationsKey(stations) : undefined;

    // A scene seen before finds its cached estimate from its samples, without log-mel features.
    let t0 = performance.now();
    const sKey = knownInputsApply(a)
      ? await samplesKey(windows, slot.version, slot.prepHash, receiversKey)
      : null;
    const known = sKey ? await knownEstimate(engine, sKey, slot.version) : undefined;
    t.cache = performance.now() - t0;
    token.throwIfCancelled();
    if (known) {
      engine.metrics.cacheLookup(true);
      return respond(known.estimate, 'hit', known.levelsDb);
    }

    t0 = performance.now();
    const logMels = slot.featurizer.logMels(windows);
    if (a.screen && !a.screen(logMels, slot.metadata.preprocessing)) return undefined;
    const features = normalizeScene(logMels, slot.metadata.preprocessing);
    // The any-network model's other input: where the receivers are (networkFeatures.ts).
    const geometry = stations ? networkGeometry(stations) : null;
    const levelsDb = logMels.map(mean);
    t.preprocess = performance.now() - t0;
    token.throwIfCancelled();

    // No key when the caller bypasses the cache: nothing is looked up or stored. The receivers'
    // positions are part of an any-network model's input, so they are part of its key.
    t0 = performance.now();
    const key =
      a.options.cache === 'bypass'
        ? null
        : await predictionKey(features, slot.version, slot.prepHash, receiversKey);
    if (sKey && key) engine.cache.inputs.remember(sKey, { key, levelsDb });
    // Stored with the entry too, so that a later worker (a repeat visit) skips the features.
    const input = sKey ? { samplesKey: sKey, levelsDb } : undefined;
    let estimate: Estimate | undefined = key
      ? await engine.cache.get(key, slot.version, input)
      : undefined;
    t.cache += performance.now() - t0;
    if (key) engine.metrics.cacheLookup(estimate !== undefined);
    const cache = !key ? 'bypassed' : estimate ? 'hit' : 'miss';
    if (!estimate) {
      token.throwIfCancelled();
      t0 = performance.now();
      // Includes waiting for the session behind other requests: that is what the caller waits.
      if (network && geometry) {
        // The runner decodes too (networkDecode.ts): its time counts as inference.
        estimate = await network.runner.run(features, geometry);
        t.inference = performance.now() - t0;
      } else {
        const out = await (slot as SessionSlot).runner.run(features, a.options.alone === true);
        t.inference = performance.now() - t0;
        token.throwIfCancelled();
        t0 = performance.now();
        estimate = decodeRow(out.row, (slot as SessionSlot).metadata.output);
        t.decode = performance.now() - t0;
      }
      token.throwIfCancelled();
      if (key) {
        t0 = performance.now();
        await engine.cache.put(key, slot.version, estimate, input);
        t.cache += performance.now() - t0;
      }
    }
    const { nMels, nFrames } = slot.metadata.preprocessing;
    const logMel: LogMelImage[] | undefined = a.options.includeLogMel
      ? logMels.map((data, i) => ({ receiverId: receiverIds[i], nMels, nFrames, data }))
      : undefined;
    return respond(estimate, cache, levelsDb, logMel);
  } catch (err) {
    if (!(err instanceof HeimdallError && err.name === 'CancelledError'))
      engine.metrics.versionFailed(slot.version);
    throw err;
  } finally {
    slot.release();
  }
}

/** Whether a request may be answered from InputKeys: it wants no features back and none screened. */
const knownInputsApply = (a: Attempt): boolean =>
  a.options.cache !== 'bypass' && !a.screen && !a.options.includeLogMel;

/** The cached estimate of samples seen before (inputKeys.ts), if the cache still holds it. */
async function knownEstimate(
  engine: Engine,
  sKey: string,
  version: string,
): Promise<{ estimate: Estimate; levelsDb: number[] } | undefined> {
  const known = await engine.cache.knownInput(sKey);
  const estimate = known && (await engine.cache.get(known.key, version));
  return estimate ? { estimate, levelsDb: known.levelsDb } : undefined;
}

async function route(a: Attempt): Promise<{ role: Role; arm: Arm }> {
  const { pool } = a.engine;
  if (a.stations)
    return { role: 'network', arm: pool.mode === 'pinned' ? 'pinned' : 'any-network' };
  const active = pool.get('active');
  if (!active) throw new HeimdallError('ModelLoadError', 'no model is ready: call prepare() first');
  const staging = pool.mode === 'ab' ? pool.get('staging') : undefined;
  if (!staging) return { role: 'active', arm: pool.mode === 'pinned' ? 'pinned' : 'production' };
  // Routing hashes the production windows: content decides the arm, not ids or timing.
  const windows = await a.windows.for(active.metadata, active.prepHash, receiverIdsOf(active));
  const t0 = performance.now();
  const sceneHash = await sha256Hex(...windows);
  a.windows.readMs += performance.now() - t0;
  const arm = chooseArm(sceneHash, a.engine.armWeights(active.version, staging.version));
  return { role: arm === 'staging' ? 'staging' : 'active', arm };
}

const receiverIdsOf = (slot: SessionSlot) => slot.metadata.constellation.receivers.map((r) => r.id);

async function predictRouted(a: Attempt): Promise<PredictionResult | undefined> {
  const { role, arm } = await route(a);
  a.token.throwIfCancelled();
  try {
    return await runOnRole(a, role, arm);
  } catch (err) {
    // Only a model failure is worth a second model; bad input fails the same way on both. The
    // any-network model has no second arm.
    if (!(err instanceof HeimdallError && err.name === 'InferenceError') || role === 'network') {
      throw err;
    }
    const otherRole: Role = role === 'active' ? 'staging' : 'active';
    const failed = a.engine.pool.get(role)?.version;
    const other = a.engine.pool.get(otherRole);
    if (!other || other.version === failed || a.engine.pool.mode !== 'ab') throw err;
    return runOnRole(a, otherRole, otherRole === 'staging' ? 'staging' : 'production', failed);
  }
}

export async function predictScene(
  engine: Engine,
  request: PredictRequest,
  options: PredictOptions = {},
  parent?: CancelToken,
  held?: RecordingTable,
): Promise<PredictionResult> {
  // Without a screen every request reaches the model and has a result.
  const result = await predictScreened(engine, request, options, parent, undefined, held);
  return result as PredictionResult;
}

/**
 * predictScene with a screen: undefined when the screen kept the scene from the model. `held`:
 * recordings a batch took when it started (predictBatch.ts), read ahead of the worker's table.
 */
export async function predictScreened(
  engine: Engine,
  request: PredictRequest,
  options: PredictOptions = {},
  parent?: CancelToken,
  screen?: Screen,
  held?: RecordingTable,
): Promise<PredictionResult | undefined> {
  checkRequest(request);
  // Taken before the first await: a recording closed while the request waits (for a model being
  // prepared, for admission) is still read, so a file dropped again cannot fail a request made
  // before. An id not open now fails the request when its windows are read, as it always did.
  const recordings = engine.recordings.pick('iq' in request ? [] : request.recordingIds, held);
  const token = engine.requests.begin(options.requestId ?? newRequestId(), parent);
  engine.metrics.begin();
  try {
    // While the fixed-network model answers from the cache only (a repeat visit, cacheFirst.ts),
    // a scene it does not locate waits for prepare() to finish: the any-network model comes after.
    if (
      request.stations &&
      isCacheOnly(engine.pool.get('active')) &&
      !fixedModelServes(engine, request)
    ) {
      await engine.preparing?.catch(() => undefined);
      token.throwIfCancelled();
    }
    // A scene given with its stations may need the any-network model still being prepared; one
    // the fixed-network model locates (the demo's, the fixed network's) does not wait for it.
    if (
      request.stations &&
      !engine.pool.get('network') &&
      engine.networkPreparing &&
      !fixedModelServes(engine, request)
    ) {
      engine.quiet.hurry();
      await engine.networkPreparing;
      token.throwIfCancelled();
    }
    // Which model serves the scene, and its receivers in that model's order (scenePlan.ts).
    const plan = planScene(engine, request);
    const attempt: Attempt = {
      ...(screen ? { screen } : {}),
      engine,
      request: plan.request,
      ...(plan.stations ? { stations: plan.stations } : {}),
      options,
      token,
      windows: new SceneWindows(plan.request, recordings),
      startedAt: performance.now(),
    };
    const result = await engine.admission.run(
      () => {
        token.throwIfCancelled(); // cancelled just as it was admitted: no work at all
        return predictRouted(attempt);
      },
      options.priority,
      token,
    );
    // Cancelled after the work finished: the result is stale, and dropped.
    token.throwIfCancelled();
    if (result) engine.metrics.succeed(result);
    else engine.metrics.squelch();
    return result;
  } catch (err) {
    const e = asHeimdallError(err);
    engine.metrics.fail(e.name);
    throw e;
  } finally {
    engine.requests.end(token.id);
  }
}
