/**
 * The live view's adapter between the relay socket, the pure pipeline
 * (src/core/live/livePipeline.ts: frames -> windows -> gate), the worker (which squelches and
 * locates each window: workers/liveWindow.ts) and the store. It also feeds the waterfalls and the
 * recorder as frames arrive, and, when the receivers send GPS stamps, runs TDoA on their last
 * seconds every few seconds (workers/locateTdoa.ts). Owned by LivePage (one per visit).
 *
 * The receivers are the relay's (its hello): the fixed model's network in model order, or any
 * configured network (issue 13) in the relay's order, whose windows go to the worker with the
 * stations' positions so that the any-network model locates them (liveNetwork.ts).
 */
import { windowSamples } from '../core/dsp/logMel';
import { ClockOffset } from '../core/live/clockOffset';
import { LivePipeline, type LiveWindow } from '../core/live/livePipeline';
import { LiveTdoaBuffer, type LiveTdoaRecording } from '../core/live/liveTdoaBuffer';
import { parseLiveMessage, type LiveMessage } from '../core/live/liveMessages';
import { SigmfRecorder } from '../core/live/sigmfRecorder';
import { decodeFrame, type WireFrame } from '../core/live/wireFormat';
import type { HelloMessage } from '../core/live/liveMessages';
import type { Constellation, Preprocessing, Receiver } from '../core/modelMetadata';
import type { Station } from '../core/scene/types';
import type { LiveWindowResult } from '../../workers/liveWindow';
import type { LocateTdoaReply } from '../../workers/locateTdoa';
import { getLiveState } from '../state/store';
import { LatencyWindow } from './latency';
import { TDOA_WINDOW_CHOICES_S } from '../state/liveSlice';
import type { LiveReceiverView } from '../state/liveTypes';
import { LiveSocket } from './liveSocket';
import { rowMedianDb, WaterfallRows } from './waterfallRows';

export interface LiveSessionOptions {
  url: string;
  preprocessing: Preprocessing;
  /** The fixed-network model's receivers, in model order (shown until the relay's hello). */
  constellation: Constellation;
  /**
   * Squelches and, when it opens, locates one window in the worker. `stations` (one per window
   * array, same order) when the network is not the fixed model's: the worker's any-network model.
   */
  locateWindow: (
    iq: Float32Array[],
    windowStartMs: number,
    stations?: Station[],
  ) => Promise<LiveWindowResult>;
  modelReady: () => boolean;
  /** TDoA on GPS-stamped live windows, in the worker. */
  locateTdoa: (scene: string, recordings: LiveTdoaRecording[]) => Promise<LocateTdoaReply>;
  /** A window older than this when the model is free is dropped rather than located. */
  maxAgeMs?: number;
}

const POLL_MS = 100;
const FLUSH_MS = 250;
const TRUTH_EVERY_MS = 1_000;
/** Live TDoA runs this often at most (a solve takes seconds of the worker's time). */
const TDOA_EVERY_MS = 2_000;
/** The waterfall's colour range spans this many dB above the quietest receiver's noise. */
const WATERFALL_RANGE_DB = 60;

export type RowSink = (rowDb: Float32Array) => void;

/** The relay's receivers as stations: what the any-network model takes, in the relay's order. */
function relayStations(m: HelloMessage): Receiver[] {
  return m.receivers.map((r) => ({
    id: r.receiverId,
    name: r.name,
    lat: r.lat,
    lon: r.lon,
    ...(r.altM === undefined ? {} : { altM: r.altM }),
  }));
}

const sameStations = (a: readonly Receiver[], b: readonly Receiver[]) =>
  a.length === b.length &&
  a.every((r, i) => r.id === b[i].id && r.lat === b[i].lat && r.lon === b[i].lon);

export class LiveSession {
  private readonly socket: LiveSocket;
  private pipeline!: LivePipeline;
  private readonly clock = new ClockOffset();
  private waterfalls: WaterfallRows[] = [];
  private noiseDb: (number | undefined)[] = [];
  /** The receivers windows are cut for, in the order the model takes them. */
  private receivers: Receiver[] = [];
  /** Set when the any-network model locates the windows: the receivers with their positions. */
  private stations: Station[] | undefined;
  private readonly sinks = new Map<number, Set<RowSink>>();
  private readonly latency = new LatencyWindow();
  private lastTruthMs = -Infinity;
  private recorder: SigmfRecorder | undefined;
  private readonly timers: ReturnType<typeof setInterval>[];
  private tdoaBuffer!: LiveTdoaBuffer;
  private tdoaBusy = false;
  private dirty = false;

  constructor(private readonly o: LiveSessionOptions) {
    getLiveState().resetLive();
    getLiveState().patchLive({ connection: { state: 'connecting' } });
    this.useNetwork(o.constellation.receivers, false);
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
      setInterval(() => this.pump(), POLL_MS),
      setInterval(() => this.flush(), FLUSH_MS),
      setInterval(() => void this.tdoa(), TDOA_EVERY_MS),
    ];
  }

  /**
   * Cuts windows for these receivers from now on (the relay's hello named another network):
   * fresh streams, waterfalls and TDoA buffer, and the store's receiver list. A recording of the
   * old network ends, since its receivers are not the new ones.
   */
  private useNetwork(receivers: readonly Receiver[], anyNetwork: boolean): void {
    const n = receivers.length;
    this.receivers = [...receivers];
    this.stations = anyNetwork ? receivers.map((r) => ({ ...r })) : undefined;
    this.pipeline = new LivePipeline({
      receiverIds: receivers.map((r) => r.id),
      windowSamples: windowSamples(this.o.preprocessing),
      modelRateHz: this.o.preprocessing.sampleRateHz,
      ...(this.o.maxAgeMs !== undefined ? { maxAgeMs: this.o.maxAgeMs } : {}),
    });
    this.tdoaBuffer = new LiveTdoaBuffer(
      receivers.map((r) => ({ id: r.id, lat: r.lat, lon: r.lon })),
      Math.max(...TDOA_WINDOW_CHOICES_S) + 1,
    );
    this.waterfalls = Array.from({ length: n }, () => new WaterfallRows());
    this.noiseDb = new Array<number | undefined>(n).fill(undefined);
    if (this.recorder) this.stopRecording();
    getLiveState().patchLive({
      receivers: receivers.map((r, index) => ({
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
  }

  stop(): void {
    this.timers.forEach((t) => clearInterval(t));
    this.socket.close();
    this.sinks.clear();
  }

  /** The relay's clock now (frames are stamped on it). */
  serverNowMs(): number {
    return Date.now() + this.clock.offsetMs;
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
    this.recorder = new SigmfRecorder(this.receivers, this.serverNowMs(), maxBytes);
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
        this.clock.note(m.serverTimeMs, Date.now());
        // The fixed model's network keeps its model order; any other is taken as the relay lists it.
        const anyNetwork = m.constellationId !== this.o.constellation.id;
        const receivers = anyNetwork ? relayStations(m) : this.o.constellation.receivers;
        if (
          anyNetwork !== (this.stations !== undefined) ||
          !sameStations(receivers, this.receivers)
        ) {
          this.useNetwork(receivers, anyNetwork);
        }
        this.pipeline.mapRelay(m.receivers.map((r) => r.receiverId));
        const served = new Map(m.receivers.map((r) => [r.receiverId, r]));
        live.patchLive({
          connection: {
            state: 'open',
            clockOffsetMs: this.clock.offsetMs,
            ...(m.scenario ? { scenario: m.scenario } : {}),
          },
          receivers: getLiveState().receivers.map((view): LiveReceiverView => {
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
        const i = this.pipeline.modelIndex(m.receiverIndex);
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
        this.clock.note(m.atMs, Date.now());
        this.pipeline.ledger.relayDropped(m.framesDropped);
        this.dirty = true;
        return;
      case 'error':
        live.patchLive({ connection: { state: 'error', message: m.message } });
    }
  }

  private onBinary(bytes: Uint8Array): void {
    let f: WireFrame;
    try {
      f = decodeFrame(bytes);
    } catch (err) {
      getLiveState().patchLive({ lastError: (err as Error).message });
      return;
    }
    const taken = this.pipeline.pushFrame(f);
    if (!taken) return;
    const i = taken.index;
    if (taken.restarted) this.waterfalls[i].reset();
    this.recorder?.push(i, f);
    this.tdoaBuffer.push(i, f);
    this.waterfalls[i].push(f.iq, (row) => {
      const median = rowMedianDb(row);
      const prev = this.noiseDb[i];
      // Slow tracking, so a signal filling the band for a moment barely moves the scale.
      this.noiseDb[i] = prev === undefined ? median : prev + 0.02 * (median - prev);
      this.sinks.get(i)?.forEach((sink) => sink(row));
    });
    this.dirty = true;
  }

  /** Cuts due windows and sends the gate's next one to the worker. */
  private pump(): void {
    const run = this.pipeline.step(this.serverNowMs(), this.o.modelReady());
    if (run) void this.locate(run);
  }

  private async locate(run: LiveWindow): Promise<void> {
    const t0 = performance.now();
    const live = getLiveState();
    // The window belongs to the network it was cut for, even if a hello changes it meanwhile.
    const pipeline = this.pipeline;
    try {
      const { squelch, result } = await this.o.locateWindow(run.iq, run.startMs, this.stations);
      if (pipeline === this.pipeline) {
        squelch.peakOverNoiseDb.forEach((db, i) =>
          live.patchReceiver(i, { peakOverNoiseDb: db, hears: squelch.hears[i] }),
        );
      }
      if (result) {
        live.addEstimate({
          windowStartMs: run.startMs,
          windowEndMs: run.endMs,
          lat: result.lat,
          lon: result.lon,
          cov: result.cov,
          ellipses: result.ellipses,
          modelVersion: result.modelVersion,
          inferenceMs: performance.now() - t0,
        });
      }
      pipeline.settle(run, result ? 'located' : 'squelched');
    } catch (err) {
      live.patchLive({ lastError: err instanceof Error ? err.message : String(err) });
      pipeline.settle(run, 'failed');
    }
    this.dirty = true;
    this.pump();
  }

  /** TDoA on the last tdoaWindowS seconds of every GPS-stamped receiver that holds them. */
  private async tdoa(): Promise<void> {
    if (this.tdoaBusy) return;
    const windowS = getLiveState().tdoaWindowS;
    const recordings = this.tdoaBuffer.window(windowS);
    if (recordings.length < 2) return;
    this.tdoaBusy = true;
    const windowEndMs = Math.max(
      ...recordings.map(
        (r) => Date.parse(r.info.captureTime!) + (r.info.totalSamples / r.info.sampleRateHz) * 1000,
      ),
    );
    try {
      const reply = await this.o.locateTdoa(`live-tdoa-${Math.round(windowEndMs)}`, recordings);
      getLiveState().patchLive({
        tdoa: {
          result: reply.result,
          windowEndMs,
          windowS,
          stations: this.tdoaBuffer.receivers.map((r) => ({ ...r })),
          solveMs: reply.solveMs,
        },
        tdoaError: null,
      });
    } catch (err) {
      getLiveState().patchLive({ tdoaError: err instanceof Error ? err.message : String(err) });
    } finally {
      this.tdoaBusy = false;
    }
  }

  /** Pushes counters, marks, frame counts and the recording's size to the store, a few times a second. */
  private flush(): void {
    if (!this.dirty) return;
    this.dirty = false;
    const live = getLiveState();
    const { marks, counters } = this.pipeline.ledger.take();
    live.addWindowMarks(marks, counters);
    live.patchLive({
      receivers: live.receivers.map((r, i) => ({
        ...r,
        framesReceived: this.pipeline.framesReceived[i],
        restarts: this.pipeline.restarts(i),
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
