import type { FastifyBaseLogger } from 'fastify';
import { WebSocket } from 'ws';
import { isHeimdallError } from '../../src/core/errors';
import {
  LIVE_PROTOCOL,
  type HelloMessage,
  type LiveMessage,
  type StateMessage,
} from '../../src/core/live/liveMessages';
import { encodeFrame } from '../../src/core/live/wireFormat';
import type { Constellation } from '../../src/core/modelMetadata';
import type { LiveConfig } from './liveConfig';
import { recordSourceState, type LiveMetrics } from './liveMetrics';
import { buildLiveSources, type LiveSourceSet } from './liveSources';
import type { IqFrame, SourceState } from './types';

/**
 * Fans the sources' frames and states out to the browsers connected to the relay. Sources start
 * with the first client and stop a while after the last one leaves. A client whose socket buffer
 * is full (slow network, a stalled tab) has frames dropped rather than queued: the relay's memory
 * stays bounded and the browser sees the gap in the sequence numbers.
 */
export interface LiveHubOptions {
  config: LiveConfig;
  /** The model's constellation and sample rate, read when the sources are first needed. */
  model: () => Promise<{ constellation: Constellation; sampleRateHz: number } | undefined>;
  log: FastifyBaseLogger;
  metrics?: LiveMetrics;
  /** Above this many unsent bytes on a client's socket, frames to it are dropped. */
  maxBufferedBytes?: number;
  /** Sources stop this long after the last client disconnects. */
  idleStopMs?: number;
  statsIntervalMs?: number;
  nowMs?: () => number;
}

interface Client {
  ws: WebSocket;
  framesSent: number;
  framesDropped: number;
}

export interface LiveStatus {
  clients: number;
  running: boolean;
  scenario?: string;
  receivers: (LiveSourceSet['receivers'][number] & {
    state: SourceState['state'];
    detail?: string;
  })[];
}

/** About 2 s of three receivers' float32 IQ at 12 kS/s. */
const DEFAULT_MAX_BUFFERED_BYTES = 2 * 3 * 12_000 * 8;

export class LiveHub {
  private set: LiveSourceSet | undefined;
  private building: Promise<LiveSourceSet> | undefined;
  private readonly clients = new Set<Client>();
  private running = false;
  private idleTimer: NodeJS.Timeout | undefined;
  private readonly statsTimer: NodeJS.Timeout;
  private readonly nowMs: () => number;
  private readonly maxBufferedBytes: number;

  constructor(private readonly o: LiveHubOptions) {
    this.nowMs = o.nowMs ?? Date.now;
    this.maxBufferedBytes = o.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES;
    this.statsTimer = setInterval(() => this.sendStats(), o.statsIntervalMs ?? 1_000);
  }

  /** Serves one browser connection until it closes. */
  async addClient(ws: WebSocket): Promise<void> {
    const client: Client = { ws, framesSent: 0, framesDropped: 0 };
    let set: LiveSourceSet;
    try {
      set = await this.sources();
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      this.o.log.error({ err }, 'live relay cannot start its sources');
      ws.send(JSON.stringify({ type: 'error', message } satisfies LiveMessage));
      ws.close(1011, isHeimdallError(err) ? err.name : 'error');
      return;
    }
    if (ws.readyState !== WebSocket.OPEN) return;
    clearTimeout(this.idleTimer);
    // Sources start before this client joins: the hello then shows them connecting, and the
    // state events of the start (already in the hello) are not sent to it a second time.
    if (!this.running) {
      this.running = true;
      set.sources.forEach((s) => s.start());
    }
    ws.send(JSON.stringify(this.hello(set)));
    this.clients.add(client);
    this.o.metrics?.clients.set(this.clients.size);
    ws.on('close', () => this.removeClient(client));
  }

  status(): LiveStatus {
    const set = this.set;
    return {
      clients: this.clients.size,
      running: this.running,
      ...(set?.scenario ? { scenario: set.scenario } : {}),
      receivers: (set?.receivers ?? []).map((r, i) => {
        const s = set!.sources[i].state;
        return { ...r, state: s.state, ...(s.detail ? { detail: s.detail } : {}) };
      }),
    };
  }

  /** Takes a simulated receiver's link down (test control). False when it is not simulated. */
  interrupt(receiverId: string, durationMs: number): boolean {
    const source = this.set?.network?.source(receiverId);
    if (!source) return false;
    source.interrupt(durationMs);
    return true;
  }

  async close(): Promise<void> {
    clearInterval(this.statsTimer);
    clearTimeout(this.idleTimer);
    for (const c of this.clients) c.ws.close(1001, 'server shutting down');
    this.clients.clear();
    await this.stopSources();
  }

  private async sources(): Promise<LiveSourceSet> {
    if (this.set) return this.set;
    this.building ??= (async () => {
      const model = await this.o.model();
      if (!model) {
        throw new Error(
          'no production model in the registry: the live view takes its receivers from the model',
        );
      }
      const set = buildLiveSources(this.o.config, model.constellation, model.sampleRateHz);
      set.sources.forEach((source, index) => {
        source.on('frame', (f) => this.relayFrame(index, f));
        source.on('state', (s) => this.relayState(index, s));
      });
      set.network?.onTruth((t) => {
        const kind = this.o.config.scenario.kind;
        const message: LiveMessage = {
          type: 'truth',
          timeMs: t.timeMs,
          ...t.position,
          keyed: t.keyed,
          kind,
        };
        this.broadcast(JSON.stringify(message));
      });
      this.set = set;
      this.o.log.info(
        {
          receivers: set.receivers.map((r) => `${r.receiverId}=${r.label}`),
          scenario: set.scenario,
        },
        'live relay sources ready',
      );
      return set;
    })().finally(() => {
      this.building = undefined;
    });
    return this.building;
  }

  private hello(set: LiveSourceSet): HelloMessage {
    return {
      type: 'hello',
      protocol: LIVE_PROTOCOL,
      serverTimeMs: this.nowMs(),
      constellationId: set.constellationId,
      receivers: set.receivers.map((r, i) => {
        const s = set.sources[i].state;
        return { ...r, state: s.state, ...(s.detail ? { detail: s.detail } : {}) };
      }),
      ...(set.scenario ? { scenario: set.scenario } : {}),
    };
  }

  private relayFrame(index: number, f: IqFrame): void {
    const receiver = f.receiverId;
    this.o.metrics?.framesReceived.inc({ receiver });
    if (this.clients.size === 0) return;
    const bytes = encodeFrame({
      receiverIndex: index,
      sequence: f.sequence,
      connectionIndex: f.connectionIndex,
      captureTimeMs: f.captureTimeMs,
      sampleRateHz: f.sampleRateHz,
      centerFrequencyHz: f.centerFrequencyHz,
      timeExact: f.timeSource !== 'arrival',
      adcOverload: f.adcOverload ?? false,
      ...(f.rssiDbm === undefined ? {} : { rssiDbm: f.rssiDbm }),
      iq: f.iq,
    });
    for (const c of this.clients) {
      if (c.ws.bufferedAmount > this.maxBufferedBytes) {
        c.framesDropped++;
        this.o.metrics?.framesDropped.inc({ receiver, reason: 'client_backpressure' });
        continue;
      }
      c.ws.send(bytes);
      c.framesSent++;
      this.o.metrics?.framesSent.inc({ receiver });
    }
  }

  private relayState(index: number, s: SourceState): void {
    if (this.o.metrics) recordSourceState(this.o.metrics, s.receiverId, s.state);
    if (s.state === 'stalled' || s.state === 'reconnecting' || s.state === 'error') {
      this.o.log.warn(
        { receiver: s.receiverId, state: s.state, detail: s.detail },
        'live source state',
      );
    }
    const message: StateMessage = {
      type: 'state',
      receiverIndex: index,
      receiverId: s.receiverId,
      state: s.state,
      ...(s.detail ? { detail: s.detail } : {}),
      ...(s.reconnectInMs === undefined ? {} : { reconnectInMs: s.reconnectInMs }),
      atMs: this.nowMs(),
    };
    this.broadcast(JSON.stringify(message));
  }

  private broadcast(text: string): void {
    for (const c of this.clients) c.ws.send(text);
  }

  private sendStats(): void {
    for (const c of this.clients) {
      const message: LiveMessage = {
        type: 'stats',
        atMs: this.nowMs(),
        framesSent: c.framesSent,
        framesDropped: c.framesDropped,
        bufferedBytes: c.ws.bufferedAmount,
      };
      c.ws.send(JSON.stringify(message));
    }
  }

  private removeClient(client: Client): void {
    this.clients.delete(client);
    this.o.metrics?.clients.set(this.clients.size);
    if (this.clients.size > 0) return;
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      if (this.clients.size === 0) void this.stopSources();
    }, this.o.idleStopMs ?? 10_000);
  }

  private async stopSources(): Promise<void> {
    if (!this.running || !this.set) return;
    this.running = false;
    await Promise.all(this.set.sources.map((s) => s.stop()));
  }
}
