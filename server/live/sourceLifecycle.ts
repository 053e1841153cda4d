import { backoffDelayMs, type BackoffPolicy } from '../../src/core/live/backoff';
import type { SourceState } from './types';

/**
 * The connection life of one live source, shared by every kind (KiwiIqSource, SimulatedIqSource):
 * connecting -> streaming -> stalled (silent past stallTimeoutMs) -> reconnecting (silent past
 * stallReconnectMs, no first frame within connectTimeoutMs, or the link failed) -> connecting
 * again after a jittered exponential backoff, which a frame resets. One watchdog runs from
 * start() to stop(). The source only opens and drops its own link (the hooks) and reports frames;
 * every state decision is made here, so all sources behave alike.
 */
export interface LifecycleTiming {
  /** No frame for this long while streaming -> 'stalled'. */
  stallTimeoutMs: number;
  /** No frame for this long -> drop the connection and reconnect. */
  stallReconnectMs: number;
  /** No first frame this long after connecting -> give up on this attempt and reconnect. */
  connectTimeoutMs: number;
  backoff: BackoffPolicy;
  /** For the backoff jitter. */
  random: () => number;
  /** A monotonic-enough clock, ms. */
  nowMs: () => number;
}

export interface LifecycleHooks {
  /** Open a new connection (the state is already 'connecting'); may call fail() at once. */
  connect: () => void;
  /** Stop using the current connection (timers off, socket terminated); nothing if none. */
  drop: () => void;
  /** Every state change, in order. */
  emit: (s: SourceState) => void;
}

/** Watchdog period as a fraction of the stall timeout, within [min, max] ms. */
const WATCHDOG_FRACTION = 0.2;
const WATCHDOG_MIN_MS = 10;
const WATCHDOG_MAX_MS = 500;

export function watchdogPeriodMs(stallTimeoutMs: number): number {
  return Math.min(WATCHDOG_MAX_MS, Math.max(WATCHDOG_MIN_MS, stallTimeoutMs * WATCHDOG_FRACTION));
}

export class SourceLifecycle {
  private current: SourceState;
  private running = false;
  private attempt = 0;
  private connectedAtMs = 0;
  private lastFrameAtMs = 0;
  private watchdog: ReturnType<typeof setInterval> | undefined;
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    readonly receiverId: string,
    private readonly timing: LifecycleTiming,
    private readonly hooks: LifecycleHooks,
  ) {
    this.current = { receiverId, state: 'stopped' };
  }

  get state(): SourceState {
    return this.current;
  }

  get isRunning(): boolean {
    return this.running;
  }

  /** Connect, and keep reconnecting until stop(). Calling it while running does nothing. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.attempt = 0;
    this.watchdog = setInterval(() => this.check(), watchdogPeriodMs(this.timing.stallTimeoutMs));
    this.connect();
  }

  /** Ends the life: timers off, state 'stopped'. The source closes its link itself. */
  stop(): void {
    this.running = false;
    clearInterval(this.watchdog);
    clearTimeout(this.reconnectTimer);
    if (this.current.state !== 'stopped') this.setState({ state: 'stopped' });
  }

  /**
   * A frame arrived on the current connection. Returns false when the source is not taking
   * frames (stopped, reconnecting, given up): the frame is to be dropped.
   */
  frame(): boolean {
    const { state } = this.current;
    if (!this.running || (state !== 'connecting' && state !== 'streaming' && state !== 'stalled')) {
      return false;
    }
    this.lastFrameAtMs = this.timing.nowMs();
    this.attempt = 0;
    if (state !== 'streaming') this.setState({ state: 'streaming' });
    return true;
  }

  /** The link failed in a way retrying may fix: drop it and reconnect after the backoff. */
  fail(detail: string): void {
    this.hooks.drop();
    if (!this.running) return;
    clearTimeout(this.reconnectTimer);
    const delay = backoffDelayMs(this.attempt++, this.timing.backoff, this.timing.random);
    this.setState({ state: 'reconnecting', detail, reconnectInMs: delay });
    this.reconnectTimer = setTimeout(() => {
      if (this.running) this.connect();
    }, delay);
  }

  /** A failure retrying cannot fix (e.g. a wrong password): drop the link and give up. */
  giveUp(detail: string): void {
    this.hooks.drop();
    if (!this.running) return;
    this.running = false;
    clearInterval(this.watchdog);
    clearTimeout(this.reconnectTimer);
    this.setState({ state: 'error', detail });
  }

  private connect(): void {
    this.connectedAtMs = this.timing.nowMs();
    this.setState({ state: 'connecting' });
    this.hooks.connect();
  }

  private check(): void {
    const now = this.timing.nowMs();
    const { state } = this.current;
    if (state === 'connecting') {
      if (now - this.connectedAtMs > this.timing.connectTimeoutMs) {
        this.fail(`no IQ frame within ${this.timing.connectTimeoutMs} ms of connecting`);
      }
      return;
    }
    if (state !== 'streaming' && state !== 'stalled') return;
    const silentMs = now - this.lastFrameAtMs;
    if (silentMs > this.timing.stallReconnectMs) {
      this.fail(`no IQ frame for ${Math.round(silentMs)} ms`);
    } else if (state === 'streaming' && silentMs > this.timing.stallTimeoutMs) {
      this.setState({ state: 'stalled', detail: `no IQ frame for ${Math.round(silentMs)} ms` });
    }
  }

  private setState(s: Omit<SourceState, 'receiverId'>): void {
    this.current = { receiverId: this.receiverId, ...s };
    this.hooks.emit(this.current);
  }
}
