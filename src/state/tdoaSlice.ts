/**
 * The TDoA section of the store: initial data and setters. store.ts creates the store from it
 * (the only module that imports zustand), like the live view's slice.
 */
import type { TdoaState, TdoaStore } from './tdoaTypes';

export const initialTdoaState: TdoaState = {
  stations: [],
  stationsLoaded: false,
  stationsError: null,
  runs: {},
  selectedTdoaSceneId: null,
  towns: null,
};

type SetState = (partial: Partial<TdoaStore> | ((s: TdoaStore) => Partial<TdoaStore>)) => void;

export function createTdoaSlice(set: SetState): TdoaStore {
  return {
    ...initialTdoaState,
    setTdoa: (patch) => set(patch),
    setTdoaRun: (sceneId, run) =>
      set((s) => ({
        runs: { ...s.runs, [sceneId]: run },
        selectedTdoaSceneId: s.selectedTdoaSceneId ?? sceneId,
      })),
  };
}
