import { EventEmitter } from 'node:events';
import { WebSocket, type RawData } from 'ws';
import { HeimdallError } from '../../src/core/errors';
import {
  KEEPALIVE_COMMAND,
  KiwiIqHandshake,
  type KiwiIqTuning,
} from '../../src/core/kiwi/handshake';
import { parseKiwiMessage } from '../../src/core/kiwi/kiwiMessage';
import { kiwiFrameTag, parseSndFrame, SND_FLAG_ADC_OVFL } from '../../src/core/kiwi/sndFrame';
import {
  GPS_UTC_LEAP_SECONDS,
  gpsTimeOfWeekToUtcMs,
  isGpsStampUsable,
} from '../../src/core/kiwi/gpsTime';
import { isAllowed, normalizeHost, type AllowList } from './allowList';
import { DEFAULT_BACKOFF, validateBackoff, type BackoffPolicy } from '../../src/core/live/backoff';
import { SourceLifecycle, type LifecycleTiming } from './sourceLifecycle';
import type { IqFrame, IqSource, SourceState } from './types';

/**
 * IQ frames from one KiwiSDR over its `/<timestamp>/SND` WebSocket (protocol: see
 * src/core/kiwi/handshake.ts and sndFrame.ts), with keepalives, a stall watchdog and reconnects
 * with jittered exponential backoff (the lifecycle every source shares, sourceLifecycle.ts). Only hosts on the allow-list are ever contacted: the constructor
 * refuses any other before a socket exists.
 */
export interface KiwiSourceOptions {
  receiverId: string;
  host: string;
  port: number;
  allowList: AllowList;
  centerFrequencyHz: number;
  /** Passband; defaults +-10 kHz, which the server clamps to its Nyquist band (+-5999 at 12 kS/s). */
  lowCutHz?: number;
  highCutHz?: number;
  /** Fixed gain with AGC off (default 50, kiwiclient's default). */
  manualGainDb?: number;
  password?: string;
  identUser?: string;
  /** The server drops clients silent for 60 s (KEEPALIVE_SEC); kiwiclient sends one per frame. */
  keepaliveIntervalMs?: number;
  /** No frame for this long while streaming -> 'stalled'. */
  stallTimeoutMs?: number;
  /** No frame for this long -> drop the connection and reconnect. */
  stallReconnectMs?: number;
  /** No first frame this long after connecting -> give up on this attempt and reconnect. */
  connectTimeoutMs?: number;
  backoff?: BackoffPolicy;
  /** For the backoff jitter. */
  random?: () => number;
  /** UTC clock (ms) for arrival times and GPS week resolution. */
  nowUtcMs?: () => number;
  /** Monotonic clock (ms) for the stall watchdog; performance.now by default. */
  nowMs?: () => number;
  gpsLeapSeconds?: number;
  /** A GPS stamp further than this from the arrival-based estimate is ignored as implausible. */
  maxGpsSkewMs?: number;
}

export interface KiwiSourceStats {
  connections: number;
  framesReceived: number;
  /** Frames that failed to parse (skipped; they do not count as signs of life). */
  badFrames: number;
  lastBadFrame?: string;
}

const TUNING_DEFAULTS = {
  lowCutHz: -10_000,
  highCutHz: 10_000,
  manualGainDb: 50,
  identUser: 'heimdall',
};

/** The lifecycle's timeouts (sourceLifecycle.ts) and the Kiwi's own. */
interface Timing extends Omit<LifecycleTiming, 'backoff' | 'nowMs'> {
  keepaliveIntervalMs: number;
  maxGpsSkewMs: number;
  nowUtcMs: () => number;
}

function timingOf(o: KiwiSourceOptions): Timing {
  const t: Timing = {
    keepaliveIntervalMs: o.keepaliveIntervalMs ?? 5_000,
    stallTimeoutMs: o.stallTimeoutMs ?? 3_000,
    stallReconnectMs: o.stallReconnectMs ?? 15_000,
    connectTimeoutMs: o.connectTimeoutMs ?? 10_000,
    maxGpsSkewMs: o.maxGpsSkewMs ?? 30_000,
    random: o.random ?? Math.random,
    nowUtcMs: o.nowUtcMs ?? Date.now,
  };
  const positive = [t.keepaliveIntervalMs, t.stallTimeoutMs, t.connectTimeoutMs, t.maxGpsSkewMs];
  if (!positive.every((x) => x > 0) || !(t.stallReconnectMs > t.stallTimeoutMs)) {
    throw new HeimdallError(
      'ConfigError',
      `receiver ${o.receiverId}: timeouts must be positive and stallReconnectMs > stallTimeoutMs`,
    );
  }
  return t;
}

const CLOSE_GRACE_MS = 1_000;
const MS_PER_S = 1000;

type Listener = ((f: IqFrame) => void) | ((s: SourceState) => void);

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data);
  return data instanceof ArrayBuffer ? new Uint8Array(data) : data;
}

export class KiwiIqSource implements IqSource {
  readonly receiverId: string;
  private readonly url: string;
  private readonly tuning: KiwiIqTuning;
  private readonly cfg: Timing;
  private readonly leapSeconds: number;
  private readonly events = new EventEmitter();
  private readonly life: SourceLifecycle;
  private ws: WebSocket | undefined;
  private handshake: KiwiIqHandshake | undefined;
  private keepalive: NodeJS.Timeout | undefined;
  private readonly counters: KiwiSourceStats = { connections: 0, framesReceived: 0, badFrames: 0 };

  constructor(o: KiwiSourceOptions) {
    this.receiverId = o.receiverId;
    const host = normalizeHost(o.host);
    if (host === undefined || !isAllowed(o.allowList, host, o.port)) {
      throw new HeimdallError(
        'ConfigError',
        `receiver ${o.receiverId}: ${o.host}:${o.port} is not on the live allow-list`,
      );
    }
    this.url = `ws://${host}:${o.port}`;
    this.tuning = {
      centerFrequencyHz: o.centerFrequencyHz,
      lowCutHz: o.lowCutHz ?? TUNING_DEFAULTS.lowCutHz,
      highCutHz: o.highCutHz ?? TUNING_DEFAULTS.highCutHz,
      manualGainDb: o.manualGainDb ?? TUNING_DEFAULTS.manualGainDb,
      password: o.password,
      identUser: o.identUser ?? TUNING_DEFAULTS.identUser,
    };
    new KiwiIqHandshake(this.tuning); // validates the tuning now rather than on first connect
    this.cfg = timingOf(o);
    const backoff: BackoffPolicy = validateBackoff(o.backoff ?? DEFAULT_BACKOFF);
    this.leapSeconds = o.gpsLeapSeconds ?? GPS_UTC_LEAP_SECONDS;
    this.life = new SourceLifecycle(
      this.receiverId,
      { ...this.cfg, backoff, nowMs: o.nowMs ?? (() => performance.now()) },
      {
        connect: () => this.connect(),
        drop: () => this.detach()?.terminate(),
        emit: (s) => this.events.emit('state', s),
      },
    );
  }

  get state(): SourceState {
    return this.life.state;
  }

  get stats(): Readonly<KiwiSourceStats> {
    return { ...this.counters };
  }

  on(event: 'frame', fn: (f: IqFrame) => void): this;
  on(event: 'state', fn: (s: SourceState) => void): this;
  on(event: 'frame' | 'state', fn: Listener): this {
    this.events.on(event, fn as (arg: IqFrame | SourceState) => void);
    return this;
  }

  off(event: 'frame', fn: (f: IqFrame) => void): this;
  off(event: 'state', fn: (s: SourceState) => void): this;
  off(event: 'frame' | 'state', fn: Listener): this {
    this.events.off(event, fn as (arg: IqFrame | SourceState) => void);
    return this;
  }

  start(): void {
    this.life.start();
  }

  async stop(): Promise<void> {
    const ws = this.detach();
    this.life.stop();
    if (ws && ws.readyState !== WebSocket.CLOSED) {
      await new Promise<void>((resolve) => {
        const force = setTimeout(() => ws.terminate(), CLOSE_GRACE_MS);
        ws.once('close', () => {
          clearTimeout(force);
          resolve();
        });
        ws.close(1000);
      });
    }
  }

  private connect(): void {
    this.counters.connections++;
    const handshake = new KiwiIqHandshake(this.tuning);
    // The path's number only pairs a client's SND and W/F sockets on the server; any value works.
    const ws = new WebSocket(`${this.url}/${Date.now()}/SND`, {
      perMessageDeflate: false,
      handshakeTimeout: this.cfg.connectTimeoutMs,
    });
    this.ws = ws;
    this.handshake = handshake;
    let lastError = '';
    ws.on('open', () => handshake.open().forEach((cmd) => ws.send(cmd)));
    ws.on('message', (data) => {
      if (ws === this.ws) this.onMessage(toBytes(data));
    });
    ws.on('error', (err) => {
      lastError = err.message;
    });
    ws.on('close', (code, reason) => {
      if (ws !== this.ws) return;
      const why = lastError || reason.toString() || 'no reason given';
      this.life.fail(`connection closed (${code}: ${why})`);
    });
    this.keepalive = setInterval(() => {
      if (ws.readyState === WebSocket.OPEN) ws.send(KEEPALIVE_COMMAND);
    }, this.cfg.keepaliveIntervalMs);
  }

  private onMessage(bytes: Uint8Array): void {
    const tag = kiwiFrameTag(bytes);
    if (tag === 'MSG') {
      const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
      let step;
      try {
        step = this.handshake?.onMessage(parseKiwiMessage(text, this.receiverId));
      } catch (err) {
        this.noteBadFrame(err);
        return;
      }
      step?.send.forEach((cmd) => this.ws?.send(cmd));
      if (step?.outcome?.kind === 'fatal') this.life.giveUp(step.outcome.reason);
      else if (step?.outcome) this.life.fail(step.outcome.reason);
    } else if (tag === 'SND') {
      this.onSnd(bytes);
    }
    // Other tags (EXT, W/F) are not ours to handle on an IQ-only SND socket.
  }

  private noteBadFrame(err: unknown): void {
    this.counters.badFrames++;
    this.counters.lastBadFrame = err instanceof Error ? err.message : String(err);
  }

  private onSnd(bytes: Uint8Array): void {
    const sampleRateHz = this.handshake?.sampleRateHz;
    if (sampleRateHz === undefined) {
      this.noteBadFrame(new Error('SND frame before MSG sample_rate'));
      return;
    }
    let f;
    try {
      f = parseSndFrame(bytes, 'iq', this.receiverId);
    } catch (err) {
      this.noteBadFrame(err);
      return;
    }
    const arrivalMs = this.cfg.nowUtcMs();
    const durationMs = (f.iq.length / 2 / sampleRateHz) * MS_PER_S;
    let captureTimeMs = arrivalMs - durationMs;
    let timeSource: IqFrame['timeSource'] = 'arrival';
    if (isGpsStampUsable(f.gps)) {
      const gpsMs = gpsTimeOfWeekToUtcMs(f.gps.gpsSec, f.gps.gpsNsec, arrivalMs, this.leapSeconds);
      if (Math.abs(gpsMs - captureTimeMs) <= this.cfg.maxGpsSkewMs) {
        captureTimeMs = gpsMs;
        timeSource = 'gps';
      }
    }
    if (!this.life.frame()) return;
    this.counters.framesReceived++;
    const frame: IqFrame = {
      receiverId: this.receiverId,
      sequence: f.sequence,
      connectionIndex: this.counters.connections,
      captureTimeMs,
      timeSource,
      sampleRateHz,
      centerFrequencyHz: this.tuning.centerFrequencyHz,
      iq: f.iq,
      rssiDbm: f.rssiDbm,
      adcOverload: (f.flags & SND_FLAG_ADC_OVFL) !== 0,
      ...(timeSource === 'gps' ? { gps: f.gps } : {}),
    };
    this.events.emit('frame', frame);
  }

  /** Stop using the current socket: timers off, listeners unhooked from our state. */
  private detach(): WebSocket | undefined {
    clearInterval(this.keepalive);
    this.keepalive = undefined;
    const ws = this.ws;
    this.ws = undefined;
    this.handshake = undefined;
    return ws;
  }
}
