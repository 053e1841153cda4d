/**
 * The one application store (the only module that imports zustand). Plain data and small
 * synchronous setters; anything that talks to the engine lives in engineActions.ts.
 */
import { create } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';
import {
  DEFAULT_CACHE_MAX_ENTRIES,
  DEFAULT_CACHE_TTL_MS,
  DEFAULT_EP_PREFERENCE,
} from '../core/engineDefaults';
import type { RecordingInfo } from '../core/readers/types';
import type { ServingManifest } from '../core/servingManifest';
import { createLiveSlice, type LiveStore } from './liveSlice';
import { scenesNaming } from './scenes';
import { createTdoaSlice } from './tdoaSlice';
import type { TdoaStore } from './tdoaTypes';
import type {
  FileError,
  MetricsSnapshot,
  Prediction,
  RecordingEntry,
  SceneGrouping,
  SceneRun,
  Settings,
  UiError,
} from './types';

export const DEFAULT_SETTINGS: Settings = {
  mapEngine: 'maplibre',
  mapboxToken: '',
  // The engine's own defaults (src/core/engineDefaults.ts says why each is what it is).
  cacheTtlMs: DEFAULT_CACHE_TTL_MS,
  cacheMaxEntries: DEFAULT_CACHE_MAX_ENTRIES,
  epPreference: [...DEFAULT_EP_PREFERENCE],
  stagingShare: null,
};

export const EMPTY_GROUPING: SceneGrouping = { scenes: [], errors: [], placements: {} };

/** Where each start-up step stands; the runtime and the model load in parallel. */
export type StepState = 'waiting' | 'loading' | 'done';
export interface LoadSteps {
  runtime: StepState;
  model: StepState;
  /** Fraction of the model's bytes downloaded (0 when it comes from IndexedDB). */
  modelProgress: number;
  /** The first inference (warm-up, and comparing providers when several are allowed). */
  inference: StepState;
}

export type EngineStatus =
  | { state: 'idle' }
  | {
      state: 'loading';
      message: string;
      progress: number;
      steps?: LoadSteps;
      /** The model answers cached scenes already, its session still starting (a repeat visit). */
      cacheServes?: boolean;
    }
  | {
      state: 'ready';
      version: string;
      stagingVersion: string | null;
      /** The any-network model serving beside it (issue 13), when there is one. */
      networkVersion?: string | null;
    }
  | { state: 'error'; error: UiError };

export type Panel = 'result' | 'tdoa' | 'stations' | 'models' | 'metrics' | 'settings';

export interface AppState {
  settings: Settings;
  /** The model version the operator pinned; null follows the manifest's A/B weights. */
  pinnedVersion: string | null;
  manifest: ServingManifest | null;
  manifestError: UiError | null;
  engine: EngineStatus;
  recordings: RecordingEntry[];
  fileErrors: FileError[];
  /** Headerless files waiting for the operator's raw parameters. */
  pendingRaw: File[];
  /** The open recordings grouped into scenes by the worker (sceneActions.ts keeps it current). */
  grouping: SceneGrouping;
  runs: Record<string, SceneRun>;
  predictions: Record<string, Prediction>;
  selectedSceneId: string | null;
  batchRunning: boolean;
  /** Demo loads and file opens in flight (the map holds its start for them: useMapStart.ts). */
  filesOpening: number;
  metrics: MetricsSnapshot | null;
  panel: Panel;
  /** Bumped to ask the map to fit everything in view. */
  fitRequest: number;
  /** A message for the operator about the last action (an aria-live status line). */
  notice: string;
}

interface AppActions {
  set: (patch: Partial<AppState>) => void;
  updateSettings: (patch: Partial<Settings>) => void;
  /**
   * Adds recordings opened and their files' errors; drops the open ones they replace (which:
   * fileIdentity.ts); takes the new info of earlier ones the open dated (a renamed KiwiSDR file:
   * OpenFilesResult.redated).
   */
  addRecordings: (
    recs: RecordingEntry[],
    errors: FileError[],
    replacedIds: string[],
    redated?: readonly { id: string; info: RecordingInfo }[],
  ) => void;
  clearRecordings: () => void;
  /** Drops one recording, with the results of the scenes shown that named it. */
  removeRecording: (id: string) => void;
  overrideReceiver: (recordingId: string, receiverId: string | undefined) => void;
  setRun: (sceneId: string, run: SceneRun) => void;
  patchRun: (sceneId: string, patch: Partial<SceneRun>) => void;
  setPrediction: (p: Prediction) => void;
  selectScene: (sceneId: string | null) => void;
  requestFit: () => void;
}

export type Store = AppState & AppActions;

const initialData: Omit<AppState, 'settings' | 'pinnedVersion'> = {
  manifest: null,
  manifestError: null,
  engine: { state: 'idle' },
  recordings: [],
  fileErrors: [],
  pendingRaw: [],
  grouping: EMPTY_GROUPING,
  runs: {},
  predictions: {},
  selectedSceneId: null,
  batchRunning: false,
  filesOpening: 0,
  metrics: null,
  panel: 'result',
  fitRequest: 0,
  notice: '',
};

export const useStore = create<Store>()(
  persist(
    (set) => ({
      settings: DEFAULT_SETTINGS,
      pinnedVersion: null,
      ...initialData,
      set: (patch) => set(patch),
      updateSettings: (patch) => set((s) => ({ settings: { ...s.settings, ...patch } })),
      addRecordings: (recs, errors, replacedIds, redated = []) =>
        set((s) => {
          // Errors are known by file name only: the latest open of a name says how it stands.
          const names = new Set(recs.map((r) => r.name));
          const errNames = new Set(errors.map((e) => e.file));
          const replaced = new Set(replacedIds);
          const newInfo = new Map(redated.map((r) => [r.id, r.info]));
          const kept = s.recordings
            .filter((r) => !replaced.has(r.id))
            .map((r) => (newInfo.has(r.id) ? { ...r, info: newInfo.get(r.id)! } : r));
          return {
            recordings: [...kept, ...recs],
            fileErrors: [
              ...s.fileErrors.filter((e) => !names.has(e.file) && !errNames.has(e.file)),
              ...errors,
            ],
          };
        }),
      clearRecordings: () =>
        set({
          recordings: [],
          fileErrors: [],
          grouping: EMPTY_GROUPING,
          runs: {},
          predictions: {},
          selectedSceneId: null,
        }),
      removeRecording: (id) =>
        set((s) => {
          const removed = s.recordings.find((r) => r.id === id);
          if (!removed) return {};
          // Those results were made from it: the scene regrouped without it is not what they
          // located, so it shows nothing until it is located again. Other scenes' results stay.
          const changed = new Set(scenesNaming(s.grouping.scenes, id));
          const others = <T>(bySceneId: Record<string, T>) =>
            Object.fromEntries(
              Object.entries(bySceneId).filter(([sceneId]) => !changed.has(sceneId)),
            );
          const recordings = s.recordings.filter((r) => r.id !== id);
          // Errors are known by file name only: they go when no open recording has the name.
          const nameOpen = recordings.some((r) => r.name === removed.name);
          return {
            recordings,
            fileErrors: nameOpen
              ? s.fileErrors
              : s.fileErrors.filter((e) => e.file !== removed.name),
            runs: others(s.runs),
            predictions: others(s.predictions),
            selectedSceneId:
              s.selectedSceneId !== null && changed.has(s.selectedSceneId)
                ? null
                : s.selectedSceneId,
          };
        }),
      overrideReceiver: (recordingId, receiverId) =>
        set((s) => ({
          recordings: s.recordings.map((r) =>
            r.id === recordingId ? { ...r, overrideReceiverId: receiverId } : r,
          ),
        })),
      setRun: (sceneId, run) => set((s) => ({ runs: { ...s.runs, [sceneId]: run } })),
      patchRun: (sceneId, patch) =>
        set((s) => {
          const old = s.runs[sceneId] ?? { status: 'queued', progress: 0 };
          return { runs: { ...s.runs, [sceneId]: { ...old, ...patch } } };
        }),
      setPrediction: (p) =>
        set((s) => ({
          predictions: { ...s.predictions, [p.sceneId]: p },
          selectedSceneId: s.selectedSceneId ?? p.sceneId,
        })),
      selectScene: (sceneId) => set({ selectedSceneId: sceneId }),
      requestFit: () => set((s) => ({ fitRequest: s.fitRequest + 1 })),
    }),
    {
      name: 'heimdall.settings',
      version: 1,
      storage: createJSONStorage(() => localStorage),
      // Only the operator's choices persist; recordings and results live in the engine's cache.
      partialize: (s) => ({ settings: s.settings, pinnedVersion: s.pinnedVersion }),
      merge: (persisted, current) => {
        const p = (persisted ?? {}) as Partial<Pick<AppState, 'settings' | 'pinnedVersion'>>;
        return {
          ...current,
          settings: { ...DEFAULT_SETTINGS, ...(p.settings ?? {}) },
          pinnedVersion: p.pinnedVersion ?? null,
        };
      },
    },
  ),
);

/** Non-React access for actions and tests. */
export const getState = (): Store => useStore.getState();

/**
 * The live view's state (src/live): a store of its own, so the live stream's frequent updates
 * never re-render the file view and the file view's persistence never sees live data.
 */
export const useLiveStore = create<LiveStore>()((set) => createLiveSlice(set));
export const getLiveState = (): LiveStore => useLiveStore.getState();

/** TDoA (issue 12): stations, TDoA scenes and results; its own store, like the live view's. */
export const useTdoaStore = create<TdoaStore>()((set) => createTdoaSlice(set));
export const getTdoaState = (): TdoaStore => useTdoaStore.getState();
