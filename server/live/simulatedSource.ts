import { EventEmitter } from 'node:events';
import { backoffDelayMs, type BackoffPolicy } from './backoff';
import type { IqFrame, IqSource, SourceState } from './types';

/**
 * One receiver of the simulated network, behaving like a remote receiver: it streams what the
 * shared clock (SimulatedNetwork) generates for it, and when its simulated link goes down
 * (interrupt(), the test control) it stalls, drops the connection, and reconnects with backoff
 * exactly as KiwiIqSource does, so the relay and the live view exercise the same paths.
 */
export interface SimulatedSourceTiming {
  /** No frame for this long while streaming -> 'stalled'. */
  stallTimeoutMs: number;
  /** No frame for this long -> drop the connection and reconnect. */
  stallReconnectMs: number;
  backoff: BackoffPolicy;
  random: () => number;
  /** Monotonic-enough wall clock, ms (Date.now in service; tests may pass their own). */
  nowMs: () => number;
}

export interface ChunkForReceiver {
  startSample: number;
  chunkSamples: number;
  captureTimeMs: number;
  sampleRateHz: number;
  centerFrequencyHz: number;
  iq: Float32Array;
}

const WATCHDOG_MS = 100;

export class SimulatedIqSource implements IqSource {
  private readonly events = new EventEmitter();
  private current: SourceState;
  private running = false;
  private connectionIndex = 0;
  private connectionStartSample: number | undefined;
  private lastFrameAtMs = 0;
  private connectedAtMs = 0;
  private outageUntilMs = 0;
  private attempt = 0;
  private watchdog: NodeJS.Timeout | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly receiverId: string,
    private readonly timing: SimulatedSourceTiming,
    /** Called when the source starts or stops, so the network runs its clock only when needed. */
    private readonly onRunningChange: () => void,
  ) {
    this.current = { receiverId, state: 'stopped' };
  }

  get state(): SourceState {
    return this.current;
  }

  get isRunning(): boolean {
    return this.running;
  }

  on(event: 'frame', fn: (f: IqFrame) => void): this;
  on(event: 'state', fn: (s: SourceState) => void): this;
  on(event: 'frame' | 'state', fn: ((f: IqFrame) => void) | ((s: SourceState) => void)): this {
    this.events.on(event, fn as (arg: IqFrame | SourceState) => void);
    return this;
  }

  off(event: 'frame', fn: (f: IqFrame) => void): this;
  off(event: 'state', fn: (s: SourceState) => void): this;
  off(event: 'frame' | 'state', fn: ((f: IqFrame) => void) | ((s: SourceState) => void)): this {
    this.events.off(event, fn as (arg: IqFrame | SourceState) => void);
    return this;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.attempt = 0;
    this.connect();
    this.watchdog = setInterval(() => this.checkSilence(), WATCHDOG_MS);
    this.onRunningChange();
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    clearInterval(this.watchdog);
    clearTimeout(this.reconnectTimer);
    this.setState({ state: 'stopped' });
    this.onRunningChange();
  }

  /** Takes the simulated link down for `durationMs` (from now); frames stop until it is back. */
  interrupt(durationMs: number): void {
    this.outageUntilMs = Math.max(this.outageUntilMs, this.timing.nowMs() + durationMs);
  }

  private linkDown(): boolean {
    return this.timing.nowMs() < this.outageUntilMs;
  }

  /** The network's clock produced a chunk for this receiver. */
  deliver(chunk: ChunkForReceiver): void {
    const { state } = this.current;
    if (
      !this.running ||
      this.linkDown() ||
      (state !== 'connecting' && state !== 'streaming' && state !== 'stalled')
    ) {
      return;
    }
    this.connectionStartSample ??= chunk.startSample;
    this.lastFrameAtMs = this.timing.nowMs();
    this.attempt = 0;
    if (state !== 'streaming') this.setState({ state: 'streaming' });
    // Counted from the connection's first chunk, so a chunk the clock skipped shows as a gap.
    const sequence = (chunk.startSample - this.connectionStartSample) / chunk.chunkSamples + 1;
    this.events.emit('frame', {
      receiverId: this.receiverId,
      sequence,
      connectionIndex: this.connectionIndex,
      captureTimeMs: chunk.captureTimeMs,
      timeSource: 'simulated',
      sampleRateHz: chunk.sampleRateHz,
      centerFrequencyHz: chunk.centerFrequencyHz,
      iq: chunk.iq,
    } satisfies IqFrame);
  }

  private connect(): void {
    this.connectionIndex++;
    this.connectionStartSample = undefined;
    this.connectedAtMs = this.timing.nowMs();
    this.setState({ state: 'connecting' });
  }

  private checkSilence(): void {
    const now = this.timing.nowMs();
    const { state } = this.current;
    if (state === 'reconnecting') return;
    const silentMs = now - (state === 'connecting' ? this.connectedAtMs : this.lastFrameAtMs);
    if (silentMs > this.timing.stallReconnectMs) {
      this.fail(`no IQ frame for ${Math.round(silentMs)} ms (simulated link down)`);
    } else if (state === 'streaming' && silentMs > this.timing.stallTimeoutMs) {
      this.setState({ state: 'stalled', detail: `no IQ frame for ${Math.round(silentMs)} ms` });
    }
  }

  private fail(detail: string): void {
    const delay = backoffDelayMs(this.attempt++, this.timing.backoff, this.timing.random);
    this.setState({ state: 'reconnecting', detail, reconnectInMs: delay });
    this.reconnectTimer = setTimeout(() => {
      if (!this.running) return;
      if (this.linkDown()) this.fail('connection refused (simulated link down)');
      else this.connect();
    }, delay);
  }

  private setState(s: Omit<SourceState, 'receiverId'>): void {
    this.current = { receiverId: this.receiverId, ...s };
    this.events.emit('state', this.current);
  }
}
