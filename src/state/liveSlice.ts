/**
 * The live view's section of the store: initial data and setters. store.ts creates the store from
 * it (the only module that imports zustand); this file stays free of zustand.
 */
import { EMPTY_COUNTERS } from '../core/live/windowLedger';
import type {
  LiveCounters,
  LiveEstimate,
  LiveReceiverView,
  LiveState,
  TruthPoint,
  WindowMark,
} from './liveTypes';

/** Estimates drawn as the track (about 40 s at one per 0.7 s window). */
export const MAX_TRACK = 60;
/** Truth points kept (one a second). */
export const MAX_TRUTH = 120;
/** Live TDoA's window lengths the operator picks from, seconds, and the default. */
export const TDOA_WINDOW_CHOICES_S = [5, 10, 20, 30] as const;
export const DEFAULT_TDOA_WINDOW_S = 10;
/** Window outcomes shown in the timeline. */
export const MAX_WINDOW_MARKS = 80;

export const initialLiveState: LiveState = {
  connection: { state: 'idle' },
  receivers: [],
  estimates: [],
  truth: [],
  windows: [],
  counters: EMPTY_COUNTERS,
  latency: null,
  recording: null,
  lastError: null,
  tdoaWindowS: DEFAULT_TDOA_WINDOW_S,
  tdoa: null,
  tdoaError: null,
};

export interface LiveActions {
  patchLive: (patch: Partial<LiveState>) => void;
  resetLive: () => void;
  patchReceiver: (index: number, patch: Partial<LiveReceiverView>) => void;
  addEstimate: (e: LiveEstimate) => void;
  /** Sets the latency of the estimate of the window starting at windowStartMs. */
  markShown: (windowStartMs: number, latencyMs: number) => void;
  addTruth: (t: TruthPoint) => void;
  addWindowMarks: (marks: WindowMark[], counters: LiveCounters) => void;
}

export type LiveStore = LiveState & LiveActions;

type SetLive = (fn: (s: LiveStore) => Partial<LiveStore>) => void;

const keepLast = <T>(items: T[], n: number) => (items.length > n ? items.slice(-n) : items);

export function createLiveSlice(set: SetLive): LiveStore {
  return {
    ...initialLiveState,
    patchLive: (patch) => set(() => patch),
    // The operator's choice of TDoA window outlives a reconnect.
    resetLive: () => set((s) => ({ ...initialLiveState, tdoaWindowS: s.tdoaWindowS })),
    patchReceiver: (index, patch) =>
      set((s) => ({
        receivers: s.receivers.map((r, i) => (i === index ? { ...r, ...patch } : r)),
      })),
    addEstimate: (e) => set((s) => ({ estimates: keepLast([...s.estimates, e], MAX_TRACK) })),
    markShown: (windowStartMs, latencyMs) =>
      set((s) => ({
        estimates: s.estimates.map((e) =>
          e.windowStartMs === windowStartMs && e.latencyMs === undefined ? { ...e, latencyMs } : e,
        ),
      })),
    addTruth: (t) => set((s) => ({ truth: keepLast([...s.truth, t], MAX_TRUTH) })),
    addWindowMarks: (marks, counters) =>
      set((s) => ({ windows: keepLast([...s.windows, ...marks], MAX_WINDOW_MARKS), counters })),
  };
}
