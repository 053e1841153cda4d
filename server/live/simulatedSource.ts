import { EventEmitter } from 'node:events';
import type { KiwiGpsStamp } from '../../src/core/kiwi/sndFrame';
import { SourceLifecycle, type LifecycleTiming } from './sourceLifecycle';
import type { IqFrame, IqSource, SourceState } from './types';

/**
 * One receiver of the simulated network, behaving like a remote receiver: it streams what the
 * shared clock (SimulatedNetwork) generates for it, and when its simulated link goes down
 * (interrupt(), the test control) it stalls, drops the connection, and reconnects with backoff
 * exactly as KiwiIqSource does, so the relay and the live view exercise the same paths.
 */
export type SimulatedSourceTiming = Omit<LifecycleTiming, 'connectTimeoutMs'>;

export interface ChunkForReceiver {
  startSample: number;
  chunkSamples: number;
  captureTimeMs: number;
  sampleRateHz: number;
  centerFrequencyHz: number;
  iq: Float32Array;
  /** GPS mode: the receiver's stamp of the first sample (captureTimeMs is the time it states). */
  gps?: KiwiGpsStamp;
}

export class SimulatedIqSource implements IqSource {
  private readonly events = new EventEmitter();
  private readonly life: SourceLifecycle;
  private connectionIndex = 0;
  private connectionStartSample: number | undefined;
  private outageUntilMs = 0;

  constructor(
    readonly receiverId: string,
    private readonly timing: SimulatedSourceTiming,
    /** Called when the source starts or stops, so the network runs its clock only when needed. */
    private readonly onRunningChange: () => void,
  ) {
    // A simulated link answers at once or not at all: waiting for a first frame is a stall.
    this.life = new SourceLifecycle(
      receiverId,
      { ...timing, connectTimeoutMs: timing.stallReconnectMs },
      {
        connect: () => this.connect(),
        drop: () => {},
        emit: (s) => this.events.emit('state', s),
      },
    );
  }

  get state(): SourceState {
    return this.life.state;
  }

  get isRunning(): boolean {
    return this.life.isRunning;
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
    if (this.life.isRunning) return;
    this.life.start();
    this.onRunningChange();
  }

  async stop(): Promise<void> {
    if (!this.life.isRunning) return;
    this.life.stop();
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
    if (this.linkDown() || !this.life.frame()) return;
    this.connectionStartSample ??= chunk.startSample;
    // Counted from the connection's first chunk, so a chunk the clock skipped shows as a gap.
    const sequence = (chunk.startSample - this.connectionStartSample) / chunk.chunkSamples + 1;
    this.events.emit('frame', {
      receiverId: this.receiverId,
      sequence,
      connectionIndex: this.connectionIndex,
      captureTimeMs: chunk.captureTimeMs,
      timeSource: chunk.gps ? 'gps' : 'simulated',
      sampleRateHz: chunk.sampleRateHz,
      centerFrequencyHz: chunk.centerFrequencyHz,
      iq: chunk.iq,
      ...(chunk.gps ? { gps: chunk.gps } : {}),
    } satisfies IqFrame);
  }

  private connect(): void {
    // A refused attempt opens no connection (a KiwiSDR counts only those that answer).
    if (this.linkDown()) {
      this.life.fail('connection refused (simulated link down)');
      return;
    }
    this.connectionIndex++;
    this.connectionStartSample = undefined;
  }
}
