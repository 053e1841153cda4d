/**
 * What the live relay consumes: a source of timestamped IQ frames from one receiver, plus its
 * connection state. KiwiIqSource (kiwiSource.ts) is one implementation; a file replayer or
 * another receiver type can be another without the relay changing.
 */
import type { KiwiGpsStamp } from '../../src/core/kiwi/sndFrame';

export interface IqFrame {
  receiverId: string;
  /**
   * The receiver's packet number (a KiwiSDR counts from 1 on each connection); gaps mean lost
   * frames. Restarts after a reconnect: (connectionIndex, sequence) increases strictly.
   */
  sequence: number;
  /** Counts the source's connections, from 1; changes when the stream restarts. */
  connectionIndex: number;
  /**
   * UTC ms of the first sample: from the receiver's GPS time stamp when it has a usable one,
   * else the arrival time minus the frame duration (network delay and jitter included).
   */
  captureTimeMs: number;
  /** Where captureTimeMs came from ('simulated': the simulator's exact clock). */
  timeSource: 'gps' | 'arrival' | 'simulated';
  sampleRateHz: number;
  centerFrequencyHz: number;
  /** Interleaved I,Q, full scale 1.0. */
  iq: Float32Array;
  rssiDbm?: number;
  /** The receiver's ADC clipped during this frame. */
  adcOverload?: boolean;
  /** The receiver's GPS stamp of the first sample, as sent (live TDoA fits its clock to these). */
  gps?: KiwiGpsStamp;
}

export type SourceStateName =
  | 'connecting' // opening the socket or waiting for the first frame
  | 'streaming' // frames are arriving
  | 'stalled' // connected, but no frame for longer than the stall timeout
  | 'reconnecting' // the connection failed or was dropped; the next attempt is scheduled
  | 'stopped' // stop() was called
  | 'error'; // a failure retrying cannot fix (e.g. a wrong password); the source gave up

export interface SourceState {
  receiverId: string;
  state: SourceStateName;
  /** Human-readable cause, e.g. "connection closed (1006)". */
  detail?: string;
  /** With 'reconnecting': the delay before the next attempt. */
  reconnectInMs?: number;
}

export interface IqSource {
  readonly receiverId: string;
  /** The latest state (also emitted as a 'state' event on every change). */
  readonly state: SourceState;
  /** Connect, and keep reconnecting until stop(). Calling it while running does nothing. */
  start(): void;
  /** Close the connection and cancel timers; resolves once the socket is closed. Idempotent. */
  stop(): Promise<void>;
  /** Listeners run synchronously on the socket's callback and must not throw. */
  on(event: 'frame', fn: (f: IqFrame) => void): this;
  on(event: 'state', fn: (s: SourceState) => void): this;
  off(event: 'frame', fn: (f: IqFrame) => void): this;
  off(event: 'state', fn: (s: SourceState) => void): this;
}
