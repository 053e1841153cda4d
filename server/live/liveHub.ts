import type { FastifyBaseLogger } from 'fastify';
import { WebSocket } from 'ws';
import { isHeimdallError } from '../../src/core/errors';
import { withoutPaths } from '../publicText';
import {
  LIVE_PROTOCOL,
  type HelloMessage,
  type LiveMessage,
  type StateMessage,
} from '../../src/core/live/liveMessages';
import { encodeFrame } from '../../src/core/live/wireFormat';
import type { LiveConfig } from './liveConfig';
import { recordSourceState, type LiveMetrics } from './liveMetrics';
import { resolveLiveNetwork, type LiveModels } from './liveNetwork';
import { buildLiveSources, type LiveSourceSet } from './liveSources';
import type { IqFrame, SourceState } from './types';

/**
 * Fans the sources' frames and states out to the browsers connected to the relay. Sources start
 * with the first client and stop a while after the last one leaves.
 *
 * Memory stays bounded whatever the clients do: every message to a client (binary IQ and JSON
 * state, truth and stats alike) is sent only if it fits under maxBufferedBytes of unsent bytes on
 * that client's socket, else dropped and counted (the browser sees IQ gaps in the sequence
 * numbers). A client that has had to drop for longer than slowClientCloseMs (a tab that stopped
 * reading, a dead link) is closed, and at most maxClients are served at once.
 */
export interface LiveHubOptions {
  config: LiveConfig;
  /** The registry's models for the live view, read when the sources are first needed. */
  models: () => Promise<LiveModels>;
  log: FastifyBaseLogger;
  metrics?: LiveMetrics;
  /** A message that would take a client's unsent bytes above this is dropped. */
  maxBufferedBytes?: number;
  /** A client that has been dropping messages for this long is closed. */
  slowClientCloseMs?: number;
  /** Connections beyond this many are refused. */
  maxClients?: number;
  /** Sources stop this long after the last client disconnects. */
  idleStopMs?: number;
  statsIntervalMs?: number;
  nowMs?: () => number;
}

interface Client {
  ws: WebSocket;
  framesSent: number;
  framesDropped: number;
  /** When the current run of dropped messages began (undefined while messages fit). */
  droppingSinceMs?: number;
}

/** What the relay sends; JSON message types plus 'frame' for binary IQ. */
type OutgoingKind = LiveMessage['type'] | 'frame';

export interface LiveStatus {
  clients: number;
  running: boolean;
  scenario?: string;
  receivers: (LiveSourceSet['receivers'][number] & {
    state: SourceState['state'];
    detail?: string;
  })[];
}

/** Seconds of the network's IQ a client may have queued by default. */
const DEFAULT_BUFFERED_SECONDS = 2;
/** float32 I and Q. */
const BYTES_PER_COMPLEX_SAMPLE = 8;
/** The least default bound: about 2 s of three receivers' float32 IQ at 12 kS/s. */
export const DEFAULT_MAX_BUFFERED_BYTES =
  DEFAULT_BUFFERED_SECONDS * 3 * 12_000 * BYTES_PER_COMPLEX_SAMPLE;

/** The default bound for a network: 2 s of all its receivers' IQ, at least the three-receiver one. */
export function defaultMaxBufferedBytes(receivers: number, sampleRateHz: number): number {
  return Math.max(
    DEFAULT_MAX_BUFFERED_BYTES,
    DEFAULT_BUFFERED_SECONDS * receivers * sampleRateHz * BYTES_PER_COMPLEX_SAMPLE,
  );
}
/** Long enough for a tab that was busy or briefly offline to catch up; a stalled one goes. */
export const DEFAULT_SLOW_CLIENT_CLOSE_MS = 15_000;
/**
 * Each client costs about 300 kB/s of IQ plus up to DEFAULT_MAX_BUFFERED_BYTES of buffer: a few
 * operators' tabs, not a public broadcast.
 */
export const DEFAULT_MAX_CLIENTS = 16;
/** WebSocket close code 1013, "Try Again Later" (RFC 6455 registry): the relay is full. */
const CLOSE_TRY_AGAIN_LATER = 1013;
/** WebSocket close code 1008, "Policy Violation": the client stopped reading. */
const CLOSE_POLICY = 1008;

export class LiveHub {
  private set: LiveSourceSet | undefined;
  private building: Promise<LiveSourceSet> | undefined;
  private readonly clients = new Set<Client>();
  /** Accepted sockets, those still waiting for the sources included: what maxClients caps. */
  private readonly connections = new Set<WebSocket>();
  private running = false;
  private idleTimer: NodeJS.Timeout | undefined;
  private readonly statsTimer: NodeJS.Timeout;
  private readonly nowMs: () => number;
  /** Set from the network once its sources are built, unless the options fix it. */
  private maxBufferedBytes: number;
  private readonly slowClientCloseMs: number;
  private readonly maxClients: number;

  constructor(private readonly o: LiveHubOptions) {
    this.nowMs = o.nowMs ?? Date.now;
    this.maxBufferedBytes = o.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES;
    this.slowClientCloseMs = o.slowClientCloseMs ?? DEFAULT_SLOW_CLIENT_CLOSE_MS;
    this.maxClients = o.maxClients ?? DEFAULT_MAX_CLIENTS;
    this.statsTimer = setInterval(() => this.tick(), o.statsIntervalMs ?? 1_000);
  }

  /** Serves one browser connection until it closes; refuses it when maxClients are connected. */
  async addClient(ws: WebSocket): Promise<void> {
    if (this.connections.size >= this.maxClients) {
      this.o.metrics?.connectionsRefused.inc({ reason: 'too_many_clients' });
      this.o.log.warn(
        { maxClients: this.maxClients },
        'refused a live client: the relay is serving its maximum',
      );
      const message = `the live relay serves at most ${this.maxClients} clients at once; try again later`;
      ws.send(JSON.stringify({ type: 'error', message } satisfies LiveMessage));
      ws.close(CLOSE_TRY_AGAIN_LATER, 'too many live clients');
      return;
    }
    this.connections.add(ws);
    ws.on('close', () => this.connections.delete(ws));
    const client: Client = { ws, framesSent: 0, framesDropped: 0 };
    let set: LiveSourceSet;
    try {
      set = await this.sources();
    } catch (err) {
      // The browser gets the reason without the server's file paths; the log keeps them.
      const message = withoutPaths(err instanceof Error ? err.message : String(err));
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
    // The first message on an empty buffer: it fits unless the bound is below one hello.
    this.send(client, 'hello', JSON.stringify(this.hello(set)));
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
      const network = resolveLiveNetwork(this.o.config, await this.o.models());
      const set = buildLiveSources(this.o.config, network);
      // A network of twelve receivers sends four times the IQ of three: the same 2 s of it.
      this.maxBufferedBytes =
        this.o.maxBufferedBytes ??
        defaultMaxBufferedBytes(network.constellation.receivers.length, network.sampleRateHz);
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
        this.broadcast('truth', JSON.stringify(message));
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
      ...(f.gps ? { gps: f.gps } : {}),
      iq: f.iq,
    });
    for (const c of this.clients) {
      if (!this.send(c, 'frame', bytes)) {
        c.framesDropped++;
        this.o.metrics?.framesDropped.inc({ receiver, reason: 'client_backpressure' });
        continue;
      }
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
    this.broadcast('state', JSON.stringify(message));
  }

  private broadcast(kind: OutgoingKind, text: string): void {
    for (const c of this.clients) this.send(c, kind, text);
  }

  /**
   * Sends `data` to one client if it fits under the buffer bound; else drops it, counts it, and
   * notes since when this client has been dropping. False when not sent.
   */
  private send(c: Client, kind: OutgoingKind, data: string | Uint8Array): boolean {
    if (c.ws.readyState !== WebSocket.OPEN) return false;
    const bytes = typeof data === 'string' ? Buffer.byteLength(data) : data.byteLength;
    if (c.ws.bufferedAmount + bytes > this.maxBufferedBytes) {
      c.droppingSinceMs ??= this.nowMs();
      if (kind !== 'frame') this.o.metrics?.messagesDropped.inc({ type: kind });
      return false;
    }
    c.droppingSinceMs = undefined;
    c.ws.send(data);
    return true;
  }

  /** Once a second: stats to each client, closes the clients that stopped reading, gauges. */
  private tick(): void {
    let bufferedBytes = 0;
    for (const c of this.clients) {
      const since = c.droppingSinceMs;
      if (since !== undefined && this.nowMs() - since > this.slowClientCloseMs) {
        this.closeSlowClient(c);
        continue;
      }
      const message: LiveMessage = {
        type: 'stats',
        atMs: this.nowMs(),
        framesSent: c.framesSent,
        framesDropped: c.framesDropped,
        bufferedBytes: c.ws.bufferedAmount,
      };
      this.send(c, 'stats', JSON.stringify(message));
      bufferedBytes += c.ws.bufferedAmount;
    }
    this.o.metrics?.bufferedBytes.set(bufferedBytes);
  }

  private closeSlowClient(c: Client): void {
    this.o.metrics?.clientsClosed.inc({ reason: 'too_slow' });
    this.o.log.warn(
      { bufferedBytes: c.ws.bufferedAmount, framesDropped: c.framesDropped },
      'closing a live client that stopped reading',
    );
    // Its buffer is full, so the close frame may never reach it; ws destroys the socket when the
    // closing handshake does not finish. Nothing more is queued meanwhile (it is not OPEN).
    c.ws.close(CLOSE_POLICY, `too slow: messages dropped for over ${this.slowClientCloseMs} ms`);
    this.removeClient(c);
  }

  private removeClient(client: Client): void {
    if (!this.clients.delete(client)) return;
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
