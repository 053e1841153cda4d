/**
 * The live view's pipeline without a socket, a timer or a store: relay frames -> per-receiver
 * streams (model order) -> windows cut on one clock -> the inference gate (backpressure) -> the
 * window to send to the worker now, which squelches it and, if some receiver hears a signal,
 * locates it (workers/liveWindow.ts). Every window's outcome is counted in the ledger. The
 * caller (src/live/liveSession.ts) owns the socket and the timers and writes the store.
 */
import { InferenceGate } from './inferenceGate';
import { ReceiverStream } from './receiverStream';
import { WindowAssembler } from './windowAssembler';
import { WindowLedger } from './windowLedger';
import type { WireFrame } from './wireFormat';

export interface LivePipelineOptions {
  /** The model's receivers, in model order. */
  receiverIds: readonly string[];
  /** Samples per model window at the model's rate (windowSamples(preprocessing)). */
  windowSamples: number;
  modelRateHz: number;
  /** A window older than this when the model is free is dropped (default: two windows). */
  maxAgeMs?: number;
  /** A receiver later than this behind its window's end is given up on for that window. */
  maxWaitMs?: number;
  /** Samples kept per receiver, seconds: room for a window, a late receiver and a recording. */
  streamSeconds?: number;
}

export interface LiveWindow {
  /** Capture time span on the relay's clock, ms. */
  startMs: number;
  endMs: number;
  /** One array per receiver, model order, at the model's rate. */
  iq: Float32Array[];
}

export type SettledOutcome = 'located' | 'squelched' | 'failed';

const DEFAULT_MAX_WAIT_MS = 1_500;
const DEFAULT_STREAM_SECONDS = 6;

export class LivePipeline {
  readonly ledger = new WindowLedger();
  readonly streams: (ReceiverStream | undefined)[];
  readonly framesReceived: number[];
  private relayToModel: (number | undefined)[] = [];
  private readonly assembler: WindowAssembler;
  private readonly gate: InferenceGate<LiveWindow>;
  private readonly streamSeconds: number;

  constructor(private readonly o: LivePipelineOptions) {
    const n = o.receiverIds.length;
    this.streams = new Array<ReceiverStream | undefined>(n).fill(undefined);
    this.framesReceived = new Array<number>(n).fill(0);
    this.streamSeconds = o.streamSeconds ?? DEFAULT_STREAM_SECONDS;
    this.assembler = new WindowAssembler({
      windowSamples: o.windowSamples,
      modelRateHz: o.modelRateHz,
      maxWaitMs: o.maxWaitMs ?? DEFAULT_MAX_WAIT_MS,
    });
    this.gate = new InferenceGate(o.maxAgeMs ?? 2 * this.assembler.windowMs);
  }

  get windowMs(): number {
    return this.assembler.windowMs;
  }

  /** The relay's receivers in its index order (hello): which model receiver each one feeds. */
  mapRelay(relayReceiverIds: readonly string[]): void {
    this.relayToModel = relayReceiverIds.map((id) => {
      const i = this.o.receiverIds.indexOf(id);
      return i < 0 ? undefined : i;
    });
  }

  /** The model index of relay receiver `relayIndex`; undefined for one the model does not know. */
  modelIndex(relayIndex: number): number | undefined {
    return this.relayToModel[relayIndex];
  }

  /**
   * Takes one frame into its receiver's stream. Returns the model index and whether the stream
   * restarted (a gap, a reconnect), or undefined for a receiver the model does not know.
   */
  pushFrame(f: WireFrame): { index: number; restarted: boolean } | undefined {
    const index = this.relayToModel[f.receiverIndex];
    if (index === undefined) return undefined;
    const stream = (this.streams[index] ??= new ReceiverStream(this.streamSeconds));
    const restarted = stream.push(f) === 'restarted';
    this.framesReceived[index]++;
    return { index, restarted };
  }

  /**
   * Cuts the windows due at `nowMs` (relay clock): incomplete ones are counted; complete ones go
   * to the gate once the model is ready (before that they are neither located nor counted).
   * Returns the window to send to the worker now, if the gate has a free slot and one waits.
   */
  step(nowMs: number, modelReady: boolean): LiveWindow | undefined {
    for (const e of this.assembler.poll(this.streams, nowMs)) {
      if (e.kind === 'incomplete') {
        this.ledger.mark(e.startMs, 'incomplete', e.windows);
      } else if (modelReady) {
        const replaced = this.gate.offer({ startMs: e.startMs, endMs: e.endMs, iq: e.iq }, e.endMs);
        if (replaced) this.ledger.mark(replaced.startMs, 'dropped');
      }
    }
    const { run, expired } = this.gate.take(nowMs);
    if (expired) this.ledger.mark(expired.startMs, 'dropped');
    return run;
  }

  /** The worker answered for a window step() returned: its slot is free again. */
  settle(w: LiveWindow, outcome: SettledOutcome): void {
    this.gate.done();
    this.ledger.mark(w.startMs, outcome);
  }

  /** Discontinuities of receiver `index`'s stream (model order). */
  restarts(index: number): number {
    return this.streams[index]?.restarts ?? 0;
  }
}
