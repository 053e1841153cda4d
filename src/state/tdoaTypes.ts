/** What the UI keeps about TDoA (issue 12): the station list, TDoA scenes and their results. */
import type { Town } from '../core/places/towns';
import type { Station, TdoaResult } from '../core/tdoa/types';
import type { UiError } from './types';

export type TdoaRunStatus = 'queued' | 'running' | 'done' | 'error';

/** Figures of one run, measured where they happen. */
export interface TdoaTimings {
  /** In the worker: locateTdoa from the opened recordings to the result. */
  solveMs: number;
  /** On the page: from the request to the result back in the store. */
  roundTripMs: number;
  /** The solver's stages in the worker, ms (src/core/tdoa/stageTimes.ts). */
  stageMs?: Record<string, number>;
}

/** A group of simultaneous GPS-stamped recordings on one frequency, located together. */
export interface TdoaScene {
  /** Capture time of the earliest recording, ISO 8601, plus the frequency: unique per group. */
  id: string;
  captureTimeMs: number;
  centerFrequencyHz?: number;
  recordingIds: string[];
  /** True when this group is located without being asked (see tdoaScenes.ts). */
  auto: boolean;
}

export interface TdoaRun {
  status: TdoaRunStatus;
  /** The recordings the run used (a changed group reruns). */
  key: string;
  result?: TdoaResult;
  error?: UiError;
  timings?: TdoaTimings;
}

export interface TdoaState {
  /** The operator's station list (IndexedDB). */
  stations: Station[];
  stationsLoaded: boolean;
  /** The last problem with the list (an import that failed validation, storage). */
  stationsError: UiError | null;
  runs: Record<string, TdoaRun>;
  selectedTdoaSceneId: string | null;
  /** Offline towns, loaded on first need; null until then. */
  towns: Town[] | null;
}

export interface TdoaActions {
  setTdoa: (patch: Partial<TdoaState>) => void;
  setTdoaRun: (sceneId: string, run: TdoaRun) => void;
}

export type TdoaStore = TdoaState & TdoaActions;
