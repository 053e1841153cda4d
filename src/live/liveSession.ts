/**
 * The live view's pipeline, outside React: relay socket -> per-receiver streams -> windows cut on
 * one clock -> squelch -> inference gate (backpressure) -> model -> estimates in the store. The
 * waterfalls and the recorder tap the frames as they arrive. Owned by LivePage (one per visit).
 */
import { LogMel, windowSamples } from '../core/dsp/logMel';
import { InferenceGate } from '../core/live/inferenceGate';
import { parseLiveMessage, type LiveMessage } from '../core/live/liveMessages';
import { ReceiverStream } from '../core/live/receiverStream';
import { SigmfRecorder } from '../core/live/sigmfRecorder';
import { Squelch } from '../core/live/squelch';
import { decodeFrame, type WireFrame } from '../core/live/wireFormat';
import { WindowAssembler, type WindowEvent } from '../core/live/windowAssembler';
import type { Constellation, Preprocessing } from '../core/modelMetadata';
import type { PredictionResult } from '../bridge/inferenceBridge';
import { getLiveState } from '../state/store';
import { LatencyWindow } from './latency';
import { EMPTY_COUNTERS } from '../state/liveSlice';
import type { LiveCounters, LiveReceiverView, WindowMark, WindowOutcome } from '../state/liveTypes';
import { LiveSocket } from './liveSocket';
import { rowMedianDb, WaterfallRows } from './waterfallRows';

export interface LiveSessionOptions {
  url: string;
  preprocessing: Preprocessing;
  /** The model's receivers, in model order. */
  constellation: Constellation;
  predict: (iq: Float32Array[], windowStartMs: number) => Promise<PredictionResult>;
  modelReady: () => boolean;
  squelchDb?: number;
  /** A window older than this when the model is free is dropped rather than located. */
  maxAgeMs?: number;
}

interface PendingWindow {
  startMs: number;
  endMs: number;
  iq: Float32Array[];
}

/** Samples kept per receiver: room for a window, a late receiver and a recording's frame. */
const STREAM_SECONDS = 6;
const POLL_MS = 100;
const FLUSH_MS = 250;
/** A receiver later than this behind its window's end is given up on for that window. */
const MAX_WAIT_MS = 1_500;
const TRUTH_EVERY_MS = 1_000;
/** Clock-offset samples kept (the relay sends one a second). */
const OFFSET_SAMPLES = 30;
/** The waterfall's colour range spans this many dB above the quietest receiver's noise. */
const WATERFALL_RANGE_DB = 60;

export type RowSink = (rowDb: Float32Array) => void;

export class LiveSession {
  private readonly socket: LiveSocket;
  private readonly streams: (ReceiverStream | undefined)[];
  private readonly waterfalls: WaterfallRows[];
  private readonly noiseDb: (number | undefined)[];
  private readonly sinks = new Map<number, Set<RowSink>>();
  /** Relay index -> model index (undefined: a receiver the model does not know). */
  private relayToModel: (number | undefined)[] = [];
  private readonly assembler: WindowAssembler;
  private readonly squelch: Squelch;
  private readonly logMel: LogMel;
  private readonly gate: InferenceGate<PendingWindow>;
  private readonly latency = new LatencyWindow();
  private counters: LiveCounters;
  private marks: WindowMark[] = [];
  private readonly frames: number[];
  private clockOffsetMs = 0;
  private readonly offsetSamples: number[] = [];
  private lastTruthMs = -Infinity;
  private recorder: SigmfRecorder | undefined;
  private readonly timers: ReturnType<typeof setInterval>[];
  private dirty = false;

  constructor(private readonly o: LiveSessionOptions) {
    const n = o.constellation.receivers.length;
    const p = o.preprocessing;
    this.streams = new Array(n).fill(undefined);
    this.waterfalls = Array.from({ length: n }, () => new WaterfallRows());
    this.noiseDb = new Array(n).fill(undefined);
    this.frames = new Array(n).fill(0);
    this.assembler = new WindowAssembler({
      windowSamples: windowSamples(p),
      modelRateHz: p.sampleRateHz,
      maxWaitMs: MAX_WAIT_MS,
    });
    this.squelch = new Squelch(p, o.squelchDb);
    this.logMel = new LogMel(p);
    this.gate = new InferenceGate(o.maxAgeMs ?? 2 * this.assembler.windowMs);
    this.counters = { ...EMPTY_COUNTERS };
    getLiveState().resetLive();
    getLiveState().patchLive({
      connection: { state: 'connecting' },
      receivers: o.constellation.receivers.map((r, index) => ({
        index,
        receiverId: r.id,
        name: r.name,
        lat: r.lat,
        lon: r.lon,
        source: 'simulated',
        label: '',
        state: 'connecting',
        stateSinceMs: Date.now(),
        framesReceived: 0,
        restarts: 0,
      })),
    });
    this.socket = new LiveSocket(o.url, {
      onOpen: () => getLiveState().patchLive({ connection: { state: 'open' } }),
      onText: (text) => this.onText(text),
      onBinary: (bytes) => this.onBinary(bytes),
      onClose: (reason, retryInMs) =>
        getLiveState().patchLive({
          connection: {
            state: 'closed',
            message: `${reason}; reconnecting in ${Math.round(retryInMs / 1000)} s`,
          },
        }),
    });
    this.timers = [
      setInterval(() => this.poll(), POLL_MS),
      setInterval(() => this.flush(), FLUSH_MS),
    ];
  }

  stop(): void {
    this.timers.forEach((t) => clearInterval(t));
    this.socket.close();
    this.sinks.clear();
  }

  /** The relay's clock now (frames are stamped on it). */
  serverNowMs(): number {
    return Date.now() + this.clockOffsetMs;
  }

  /** Subscribes a waterfall to receiver `index` (model order); returns the unsubscribe. */
  onRow(index: number, sink: RowSink): () => void {
    const set = this.sinks.get(index) ?? new Set<RowSink>();
    set.add(sink);
    this.sinks.set(index, set);
    return () => set.delete(sink);
  }

  /** The waterfalls' shared colour scale: the quietest receiver's noise at the bottom. */
  waterfallScale(): { minDb: number; maxDb: number } {
    const floors = this.noiseDb.filter((x): x is number => x !== undefined);
    const minDb = floors.length ? Math.min(...floors) - 3 : -130;
    return { minDb, maxDb: minDb + WATERFALL_RANGE_DB };
  }

  /** Records every receiver's stream from now on, up to maxBytes in all. */
  startRecording(maxBytes: number): void {
    this.recorder = new SigmfRecorder(this.o.constellation.receivers, this.serverNowMs(), maxBytes);
    getLiveState().patchLive({ recording: { seconds: 0, bytes: 0, full: false } });
  }

  /** Ends the recording; the SigMF archive as Blob parts, or undefined when nothing was recorded. */
  stopRecording(): { name: string; parts: Uint8Array<ArrayBuffer>[] } | undefined {
    const r = this.recorder;
    this.recorder = undefined;
    getLiveState().patchLive({ recording: null });
    return r && r.recordedBytes > 0 ? r.archive() : undefined;
  }

  /** The map has drawn the estimate of this window: its capture-to-screen latency is known. */
  reportShown(windowStartMs: number, windowEndMs: number): void {
    const latencyMs = this.serverNowMs() - windowEndMs;
    const summary = this.latency.add(latencyMs);
    getLiveState().markShown(windowStartMs, latencyMs);
    getLiveState().patchLive({ latency: summary });
  }

  private onText(text: string): void {
    let m: LiveMessage;
    try {
      m = parseLiveMessage(text);
    } catch (err) {
      getLiveState().patchLive({ lastError: (err as Error).message });
      return;
    }
    const live = getLiveState();
    switch (m.type) {
      case 'hello': {
        this.noteServerTime(m.serverTimeMs);
        const ids = this.o.constellation.receivers.map((r) => r.id);
        this.relayToModel = m.receivers.map((r) => {
          const i = ids.indexOf(r.receiverId);
          return i < 0 ? undefined : i;
        });
        const served = new Map(m.receivers.map((r) => [r.receiverId, r]));
        live.patchLive({
          connection: {
            state: 'open',
            clockOffsetMs: this.clockOffsetMs,
            ...(m.scenario ? { scenario: m.scenario } : {}),
          },
          receivers: live.receivers.map((view): LiveReceiverView => {
            const r = served.get(view.receiverId);
            if (!r) return { ...view, state: 'stopped', detail: 'not served by the relay' };
            return {
              ...view,
              source: r.source,
              label: r.label,
              state: r.state,
              stateSinceMs: Date.now(),
              ...(r.detail ? { detail: r.detail } : { detail: undefined }),
            };
          }),
        });
        return;
      }
      case 'state': {
        const i = this.relayToModel[m.receiverIndex];
        if (i === undefined) return;
        live.patchReceiver(i, {
          state: m.state,
          detail: m.detail,
          reconnectInMs: m.reconnectInMs,
          stateSinceMs: Date.now(),
        });
        return;
      }
      case 'truth':
        this.recorder?.pushTruth({ ...m });
        if (m.timeMs - this.lastTruthMs >= TRUTH_EVERY_MS) {
          this.lastTruthMs = m.timeMs;
          live.addTruth({ timeMs: m.timeMs, lat: m.lat, lon: m.lon, keyed: m.keyed });
        }
        return;
      case 'stats':
        this.noteServerTime(m.atMs);
        this.counters.relayDropped = m.framesDropped;
        this.dirty = true;
        return;
      case 'error':
        live.patchLive({ connection: { state: 'error', message: m.message } });
    }
  }

  /**
   * Server time stamps give the offset between the relay's clock and the page's, too small by
   * however long the message waited (network, a busy main thread): the largest of the recent
   * samples is the best estimate, and keeping only recent ones follows a drifting clock.
   */
  private noteServerTime(serverMs: number): void {
    this.offsetSamples.push(serverMs - Date.now());
    if (this.offsetSamples.length > OFFSET_SAMPLES) this.offsetSamples.shift();
    this.clockOffsetMs = Math.max(...this.offsetSamples);
  }

  private onBinary(bytes: Uint8Array): void {
    let f: WireFrame;
    try {
      f = decodeFrame(bytes);
    } catch (err) {
      getLiveState().patchLive({ lastError: (err as Error).message });
      return;
    }
    const i = this.relayToModel[f.receiverIndex];
    if (i === undefined) return;
    const stream = (this.streams[i] ??= new ReceiverStream(STREAM_SECONDS));
    if (stream.push(f) === 'restarted') this.waterfalls[i].reset();
    this.frames[i]++;
    this.recorder?.push(i, f);
    this.waterfalls[i].push(f.iq, (row) => {
      const median = rowMedianDb(row);
      const prev = this.noiseDb[i];
      // Slow tracking, so a signal filling the band for a moment barely moves the scale.
      this.noiseDb[i] = prev === undefined ? median : prev + 0.02 * (median - prev);
      this.sinks.get(i)?.forEach((sink) => sink(row));
    });
    this.dirty = true;
  }

  private poll(): void {
    for (const e of this.assembler.poll(this.streams, this.serverNowMs())) this.onWindow(e);
    this.pump();
  }

  private onWindow(e: WindowEvent): void {
    if (e.kind === 'incomplete') {
      this.mark(e.startMs, 'incomplete', e.windows);
      return;
    }
    const logMels = e.iq.map((iq) => this.logMel.compute(iq));
    const decision = this.squelch.decide(logMels);
    const live = getLiveState();
    decision.peakOverNoiseDb.forEach((db, i) =>
      live.patchReceiver(i, { peakOverNoiseDb: db, hears: decision.hears[i] }),
    );
    if (!decision.open) {
      this.mark(e.startMs, 'squelched');
      return;
    }
    // Before the model is loaded windows are neither located nor dropped: not counted at all.
    if (!this.o.modelReady()) return;
    const replaced = this.gate.offer(e, e.endMs);
    if (replaced) this.mark(replaced.startMs, 'dropped');
  }

  private pump(): void {
    const { run, expired } = this.gate.take(this.serverNowMs());
    if (expired) this.mark(expired.startMs, 'dropped');
    if (!run) return;
    const t0 = performance.now();
    this.o
      .predict(run.iq, run.startMs)
      .then(
        (r) => {
          getLiveState().addEstimate({
            windowStartMs: run.startMs,
            windowEndMs: run.endMs,
            lat: r.lat,
            lon: r.lon,
            cov: r.cov,
            ellipses: r.ellipses,
            modelVersion: r.modelVersion,
            inferenceMs: performance.now() - t0,
          });
          this.mark(run.startMs, 'located');
        },
        (err: unknown) => {
          getLiveState().patchLive({ lastError: err instanceof Error ? err.message : String(err) });
          this.mark(run.startMs, 'failed');
        },
      )
      .finally(() => {
        this.gate.done();
        this.pump();
      });
  }

  private mark(startMs: number, outcome: WindowOutcome, count = 1): void {
    this.counters = {
      ...this.counters,
      windows: this.counters.windows + count,
      [outcome]: this.counters[outcome] + count,
    };
    this.marks.push({ startMs, outcome, count });
    this.dirty = true;
  }

  /** Pushes counters, marks, frame counts and the recording's size to the store, a few times a second. */
  private flush(): void {
    if (!this.dirty) return;
    this.dirty = false;
    const live = getLiveState();
    live.addWindowMarks(this.marks, this.counters);
    this.marks = [];
    live.patchLive({
      receivers: live.receivers.map((r, i) => ({
        ...r,
        framesReceived: this.frames[i],
        restarts: this.streams[i]?.restarts ?? 0,
      })),
      ...(this.recorder
        ? {
            recording: {
              seconds: this.recorder.seconds,
              bytes: this.recorder.recordedBytes,
              full: this.recorder.full,
            },
          }
        : {}),
    });
  }
}
