/**
 * The plain objects that cross the worker boundary. Everything here survives structured clone:
 * no classes, no functions (callbacks cross as comlink proxies), big arrays as Float32Array so
 * they can be transferred instead of copied.
 */
import type { Priority } from './admission';
import type { Cov2, EllipseSummary } from '../src/core/ellipse';
import type { HeimdallErrorName } from '../src/core/errors';
import type { RawParams, RecordingInfo } from '../src/core/readers/types';
import type { SceneEstimate } from '../src/core/scene/estimator';
import type { Placement, Station } from '../src/core/scene/types';

/** The runtimes a model can run on, in no order (preference is a setting); the type is derived. */
export const EXECUTION_PROVIDERS = ['webgpu', 'wasm'] as const;
export type ExecutionProvider = (typeof EXECUTION_PROVIDERS)[number];

/**
 * production/staging: chosen by the A/B split; pinned: the caller prepared one version explicitly;
 * any-network: the any-network model, for a scene the fixed-network arms do not serve (issue 13).
 */
export type Arm = 'production' | 'staging' | 'pinned' | 'any-network';

export interface EngineConfig {
  /** Origin (and optional path prefix) of the companion server; default: the page's origin. */
  serverUrl: string;
  /** How long a cached prediction stays valid. */
  cacheTtlMs: number;
  /** Most cached predictions kept; the least recently used go first. */
  cacheMaxEntries: number;
  /** Execution providers allowed, tried one by one; with several, the fastest measured serves. */
  epPreference: ExecutionProvider[];
  /** Manifest poll interval; 0 turns polling off. */
  manifestPollMs: number;
  /** ORT WASM threads; read once, before the first session is created. */
  wasmThreads: number;
  /** Latency samples kept per stage for the percentiles. */
  metricsWindow: number;
  /** Most scenes run together in one session.run when requests queue up. */
  maxBatch: number;
  /** Predictions worked on at once; the rest wait in arrival order (see admission.ts). */
  maxConcurrentScenes: number;
  /**
   * This browser's share of scenes for the staging arm, overriding the manifest's weights
   * (0 turns the staging arm off, 1 sends every scene to it); null follows the manifest.
   */
  stagingShare: number | null;
}

/** The serialisable form of a HeimdallError (only name and message survive comlink anyway). */
export interface ErrorInfo {
  name: HeimdallErrorName | 'Error';
  message: string;
  file?: string;
}

export type PreparePhase =
  | 'manifest'
  | 'download'
  | 'verify'
  | 'store'
  | 'runtime'
  | 'session'
  | 'warmup'
  | 'measure'
  | 'ready';

export interface PrepareProgress {
  version: string;
  phase: PreparePhase;
  loadedBytes?: number;
  totalBytes?: number;
  /** The provider being tried (phase 'session') or that runs (phase 'ready'). */
  executionProvider?: ExecutionProvider;
  /** Whether the runtime loaded ahead of the model (ort.ts firstRuntime) is ready. */
  runtimeReady?: boolean;
  /**
   * The version already answers scenes whose prediction is cached, its session still to come
   * (a repeat visit, workers/cacheFirst.ts): work may be sent before prepare() resolves.
   */
  cacheServes?: boolean;
}

export interface ProviderAttempt {
  executionProvider: ExecutionProvider;
  ok: boolean;
  error?: string;
  /** Median ms of a model run on this provider, when several were compared (the fastest serves). */
  medianRunMs?: number;
}

export interface PreparedModel {
  version: string;
  /** The provider that actually runs the session (tried one by one, never ORT's silent fallback). */
  executionProvider: ExecutionProvider;
  attempts: ProviderAttempt[];
  /** Where the bytes came from: the network, or IndexedDB from an earlier visit. */
  source: 'network' | 'indexeddb';
  sha256: string;
  sizeBytes: number;
  role: 'active' | 'staging' | 'network';
  /**
   * runtime: waiting for onnxruntime-web's WebAssembly after the model was in hand (it loads in
   * parallel with the model, so 0 when it was ready first).
   */
  timingsMs: {
    fetch: number;
    verify: number;
    runtime: number;
    session: number;
    warmup: number;
    total: number;
  };
}

export interface PrepareOptions {
  /**
   * 'active' (default) serves every request when a version is given (pinned), or the production
   * arm when no version is given. 'staging' prepares the staging arm only.
   */
  role?: 'active' | 'staging';
}

export interface RecordingSummary {
  id: string;
  info: RecordingInfo;
}

export interface OpenFilesResult {
  recordings: RecordingSummary[];
  errors: ErrorInfo[];
  /**
   * Recordings opened earlier that these files dated (a KiwiSDR file renamed without its date,
   * dropped before the file whose GPS week it takes: readers/kiwiWeek.ts), with their new info;
   * absent when none.
   */
  redated?: RecordingSummary[];
}

export interface GroupScenesOptions {
  /** Recording id -> receiver id, for recordings the metadata does not place. */
  overrides?: Record<string, string>;
  toleranceMs?: number;
  /** Only these recordings (default: every open one). */
  recordingIds?: string[];
  /**
   * The operator's station list: recordings the model's network does not place are shown at
   * their station (a KiwiSDR file that TDoA places), not as unmatched.
   */
  stations?: Station[];
}

export interface SceneSummary {
  sceneId: string;
  captureTimeMs: number;
  /**
   * One per receiver column: the fixed network's receiver order (null where a receiver has no
   * recording) when that model serves the scene, else the scene's stations in the order heard.
   */
  recordingIds: (string | null)[];
  receiverIds: string[];
  /** The station of each column, with its position (what an any-network model is given). */
  stations: Station[];
  missing: string[];
  /** Whether a model serves the scene (src/core/scene/servingModel.ts). */
  complete: boolean;
  /** The version that will locate it; null when none serves it (see problem). */
  model: string | null;
  /** Why no model serves the scene (a single receiver, too many, not the fixed network...). */
  problem?: ErrorInfo;
}

export interface GroupScenesResult {
  scenes: SceneSummary[];
  errors: ErrorInfo[];
  /**
   * Where each recording was placed, by recording id: the model's receiver (or the operator's
   * choice), else its station in the station list or its own SigMF position; null when neither.
   */
  placements: Record<string, Placement | null>;
}

/**
 * A scene to locate. Without `stations`, its receivers are the fixed network's, in model order
 * (as before issue 13). With them, one station (with its position) per recording or I/Q window,
 * in the same order, and the worker picks the model that serves the scene.
 */
export type PredictRequest = (
  | { sceneId: string; recordingIds: string[] }
  | {
      sceneId: string;
      /** One interleaved I/Q window per receiver, model order, at the model's sample rate. */
      iq: Float32Array[];
      captureTimeMs?: number;
    }
) & { stations?: Station[] };

export interface PredictOptions {
  /** Caller-chosen id, so the caller can cancel before the promise settles. */
  requestId?: string;
  includeLogMel?: boolean;
  /**
   * 'bypass': neither look the scene up in the prediction cache nor store its result. For inputs
   * that never repeat (live windows), which would otherwise evict the operator's file results.
   */
  cache?: 'use' | 'bypass';
  /**
   * 'high' goes ahead of every waiting 'normal' request (see admission.ts): for live windows,
   * which are worthless once stale, while a batch of files is being located.
   */
  priority?: Priority;
  /**
   * The caller has no other prediction outstanding (the bridge sets it): a miss then starts its
   * session.run at once instead of on the next task, where requests sent together would join it
   * (sessionRunner.ts). That hop cost a lone request 0.7 ms at p50 under load.
   */
  alone?: boolean;
}

/** Per-stage wall times; total also covers waiting for admission and for the session. */
export interface StageTimingsMs {
  read: number;
  preprocess: number;
  cache: number;
  inference: number;
  decode: number;
  total: number;
}
export type Stage = keyof StageTimingsMs;
export const STAGES: readonly Stage[] = [
  'read',
  'preprocess',
  'cache',
  'inference',
  'decode',
  'total',
];

export interface LogMelImage {
  receiverId: string;
  nMels: number;
  nFrames: number;
  /** dBFS, row-major (nMels, nFrames). */
  data: Float32Array;
}

/** A model's estimate of a scene (the SceneEstimate every estimator gives), with how it ran. */
export interface PredictionResult extends SceneEstimate {
  method: 'model';
  sceneId: string;
  requestId: string;
  captureTimeMs?: number;
  lat: number;
  lon: number;
  /** m^2, east/north at the estimate. */
  cov: Cov2;
  /** 0.68 and 0.95. */
  ellipses: EllipseSummary[];
  modelVersion: string;
  arm: Arm;
  /** Set when the routed version failed and this result came from the other arm. */
  fallbackFrom?: string;
  executionProvider: ExecutionProvider;
  /** 'bypassed' when the request asked for cache: 'bypass'. */
  cache: 'hit' | 'miss' | 'bypassed';
  timingsMs: StageTimingsMs;
  receiverIds: string[];
  /** Mean log-mel level per receiver, dBFS, model order. */
  levelsDb: number[];
  logMel?: LogMelImage[];
}

export interface BatchProgress {
  batchId: string;
  done: number;
  failed: number;
  total: number;
}

export type BatchItem =
  | { sceneId: string; ok: true; result: PredictionResult }
  | { sceneId: string; ok: false; error: ErrorInfo };

/** One scene of a batch starting or ending, reported as it happens (predictBatch's onItem). */
export type BatchItemEvent =
  | { index: number; sceneId: string; state: 'started' }
  | { index: number; sceneId: string; state: 'done'; result: PredictionResult }
  | { index: number; sceneId: string; state: 'failed'; error: ErrorInfo };

export interface BatchResult {
  batchId: string;
  /** One per scene, in request order; empty when the results went to onItem instead. */
  items: BatchItem[];
  succeeded: number;
  failed: number;
}

export interface PercentilesMs {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  mean: number;
}

export interface VersionStats {
  version: string;
  role: 'active' | 'staging' | 'network' | 'retired' | 'none';
  executionProvider?: ExecutionProvider;
  requests: number;
  succeeded: number;
  failed: number;
  cacheHits: number;
  /** Requests this version answered because the routed version failed. */
  fallbacksServed: number;
  totalMs: PercentilesMs;
}

export interface MetricsSnapshot {
  requests: number;
  succeeded: number;
  failed: number;
  cancelled: number;
  /** Live windows the squelch kept from the model. */
  squelched: number;
  inFlight: number;
  errorsByName: Record<string, number>;
  cache: {
    hits: number;
    misses: number;
    hitRate: number;
    entries: number;
    evictions: number;
    expired: number;
  };
  stagesMs: Record<Stage, PercentilesMs>;
  /** Scenes per session.run, when requests were batched together. */
  batchSize: PercentilesMs;
  /**
   * Wall time of session.run for runs of one scene: the inference stage less the wait for the
   * session (the next-task hop, other runs) and the copies of the features and the output row.
   */
  singleRunMs: PercentilesMs;
  activeVersion: string | null;
  stagingVersion: string | null;
  mode: 'ab' | 'pinned' | 'none';
  executionProvider: ExecutionProvider | null;
  versions: VersionStats[];
}

export type EngineEvent =
  | { type: 'manifest'; generated: string; production: string | null; staging: string | null }
  | {
      type: 'model-ready';
      version: string;
      role: 'active' | 'staging' | 'network';
      executionProvider: ExecutionProvider;
    }
  | { type: 'model-retired'; version: string }
  | { type: 'model-error'; version: string; error: ErrorInfo };

export type { RawParams };
