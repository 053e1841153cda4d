/** What the live view keeps in the store: plain data, updated by the live session (src/live/liveSession.ts). */
import type { Cov2, EllipseSummary } from '../core/ellipse';
import type { LiveReceiver, LiveSourceStateName } from '../core/live/liveMessages';
import type { LiveCounters, WindowMark } from '../core/live/windowLedger';
import type { Station, TdoaResult } from '../core/tdoa/types';

export type { LiveCounters, WindowMark, WindowOutcome } from '../core/live/windowLedger';

export type LiveConnectionState = 'idle' | 'connecting' | 'open' | 'closed' | 'error';

export interface LiveConnection {
  state: LiveConnectionState;
  /** Why the relay closed or failed; what the relay says it streams. */
  message?: string;
  scenario?: string;
  /** Server clock minus page clock at hello, ms (latency is measured on the server's clock). */
  clockOffsetMs?: number;
}

export interface LiveReceiverView extends Omit<LiveReceiver, 'state' | 'detail'> {
  state: LiveSourceStateName;
  detail?: string;
  reconnectInMs?: number;
  /** Page time of the last state change, ms. */
  stateSinceMs: number;
  framesReceived: number;
  /** Stream discontinuities seen by the page (lost frames, reconnects). */
  restarts: number;
  /** Peak over noise of the last window, dB (squelch.ts). */
  peakOverNoiseDb?: number;
  hears?: boolean;
}

export interface LiveEstimate {
  /** Capture time span of the window, server UTC ms. */
  windowStartMs: number;
  windowEndMs: number;
  lat: number;
  lon: number;
  cov: Cov2;
  ellipses: EllipseSummary[];
  modelVersion: string;
  inferenceMs: number;
  /** Capture (window end) to estimate on screen, ms; set once the map has drawn it. */
  latencyMs?: number;
}

export interface LatencySummary {
  lastMs: number;
  p50Ms: number;
  p95Ms: number;
  count: number;
}

export interface TruthPoint {
  timeMs: number;
  lat: number;
  lon: number;
  keyed: boolean;
}

export interface RecordingView {
  seconds: number;
  bytes: number;
  /** The size limit was reached; recording stopped taking samples. */
  full: boolean;
}

/** The latest live TDoA (issue 12 item 7): the GPS-stamped streams' last windowS seconds. */
export interface LiveTdoa {
  result: TdoaResult;
  /** Relay-clock ms of the window's end (the newest sample any receiver gave). */
  windowEndMs: number;
  windowS: number;
  /** The receivers' positions, for the map. */
  stations: Station[];
  solveMs: number;
}

export interface LiveState {
  connection: LiveConnection;
  receivers: LiveReceiverView[];
  /** Oldest first; the last is the current estimate. */
  estimates: LiveEstimate[];
  /** Simulated transmitter positions, oldest first (about one a second). */
  truth: TruthPoint[];
  windows: WindowMark[];
  counters: LiveCounters;
  latency: LatencySummary | null;
  recording: RecordingView | null;
  /** The last error located windows ran into (shown, not fatal). */
  lastError: string | null;
  /** Live TDoA's sliding window, seconds (the operator picks it). */
  tdoaWindowS: number;
  tdoa: LiveTdoa | null;
  /** Why the last live TDoA gave no position (shown, not fatal). */
  tdoaError: string | null;
}
