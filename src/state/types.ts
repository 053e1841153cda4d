/**
 * What the UI keeps about recordings, scenes and results: the engine's own plain types
 * (workers/types.ts) where they fit, plus the UI's own state.
 */
import type { LatLon } from '../core/geodesy';
import type { RecordingInfo } from '../core/readers/types';
import type { Placement, Station } from '../core/scene/types';
import type { ErrorInfo, ExecutionProvider, PredictionResult } from '../../workers/types';

export type { MetricsSnapshot, PercentilesMs, Stage, StageTimingsMs } from '../../workers/types';
export { STAGES } from '../../workers/types';

/** An error as it crossed the worker boundary: only name and message survive comlink. */
export type UiError = ErrorInfo;
export type MapEngineKind = 'maplibre' | 'mapbox';

export interface Settings {
  mapEngine: MapEngineKind;
  mapboxToken: string;
  cacheTtlMs: number;
  cacheMaxEntries: number;
  /** Providers the engine tries one by one, in order. */
  epPreference: ExecutionProvider[];
  /** This browser's staging share of the A/B split (0..1); null follows the server's weights. */
  stagingShare: number | null;
}

export interface RecordingEntry {
  /** The engine's id for the opened recording. */
  id: string;
  name: string;
  info: RecordingInfo;
  /** Receiver id the operator chose; absent while the automatic match stands. */
  overrideReceiverId?: string;
  /** The file it was read from: it tells two files of one name apart (fileIdentity.ts). */
  file?: FileStamp;
  /** Its number among open files of the same name (2, 3, ...); absent for the first or only one. */
  copy?: number;
}

export interface FileStamp {
  sizeBytes: number;
  /** Absent where the browser gives none (data fetched from a URL). */
  lastModifiedMs?: number;
}

/** A file that could not be opened (or a recording that fits no scene), shown next to its name. */
export interface FileError {
  file: string;
  error: UiError;
}

/** The worker's grouping of the open recordings (workers/groupScenes.ts), as the UI shows it. */
export interface SceneGrouping {
  scenes: SceneView[];
  /** Recordings that fit no scene (no capture time, unknown receiver, duplicate receiver). */
  errors: FileError[];
  /** Where each recording was placed, by recording id; null when nowhere. */
  placements: Record<string, Placement | null>;
}

export interface SceneView {
  id: string;
  captureTimeMs: number;
  /**
   * Recording id per receiver column: the fixed network's receivers in model order (null where
   * missing) when that model serves the scene, else the scene's own stations.
   */
  recordingIds: (string | null)[];
  /** The station of each column, with its position. */
  receivers: Station[];
  missingReceiverIds: string[];
  /** The version that will locate the scene; null when no model serves it (see problem). */
  model: string | null;
  /** Why no model serves the scene (one receiver, too many, ...), shown on its row. */
  problem?: UiError;
  truth?: LatLon;
}

/** A prediction as the engine returned it, stamped with when it arrived. */
export type Prediction = PredictionResult & { finishedAtMs: number };

export type RunStatus = 'queued' | 'running' | 'done' | 'error' | 'cancelled';
export interface SceneRun {
  status: RunStatus;
  /** 0..1 within the scene's own stages. */
  progress: number;
  stage?: string;
  error?: UiError;
}
