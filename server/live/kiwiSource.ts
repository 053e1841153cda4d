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
import { backoffDelayMs, DEFAULT_BACKOFF, validateBackoff, type BackoffPolicy } from './backoff';
import type { IqFrame, IqSource, SourceState } from './types';

/**
 * IQ frames from one KiwiSDR over its `/<timestamp>/SND` WebSocket (protocol: see
 * src/core/kiwi/handshake.ts and sndFrame.ts), with keepalives, a stall watchdog and reconnects
 * with exponential backoff. Only hosts on the allow-list are ever contacted: the constructor
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

interface Timing {
  keepaliveIntervalMs: number;
  stallTimeoutMs: number;
  stallReconnectMs: number;
  connectTimeoutMs: number;
  maxGpsSkewMs: number;
  random: () => number;
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

/** Watchdog period as a fraction of the stall timeout, within [min, max] ms. */
const WATCHDOG_FRACTION = 0.2;
const WATCHDOG_MIN_MS = 10;
const WATCHDOG_MAX_MS = 500;
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
  private readonly backoff: BackoffPolicy;
  private readonly leapSeconds: number;
  private readonly events = new EventEmitter();
  private current: SourceState;
  private running = false;
  private ws: WebSocket | undefined;
  private handshake: KiwiIqHandshake | undefined;
  private attempt = 0;
  private connectedAtMs = 0;
  private lastFrameAtMs = 0;
  private timers: NodeJS.Timeout[] = [];
  private reconnectTimer: NodeJS.Timeout | undefined;
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
    this.backoff = validateBackoff(o.backoff ?? DEFAULT_BACKOFF);
    this.leapSeconds = o.gpsLeapSeconds ?? GPS_UTC_LEAP_SECONDS;
    this.current = { receiverId: this.receiverId, state: 'stopped' };
  }

  get state(): SourceState {
    return this.current;
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
    if (this.running) return;
    this.running = true;
    this.attempt = 0;
    this.connect();
  }

  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.reconnectTimer);
    const ws = this.detach();
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
    if (this.current.state !== 'stopped') this.setState({ state: 'stopped' });
  }

  private setState(s: Omit<SourceState, 'receiverId'>): void {
    this.current = { receiverId: this.receiverId, ...s };
    this.events.emit('state', this.current);
  }

  private connect(): void {
    this.counters.connections++;
    this.setState({ state: 'connecting' });
    const handshake = new KiwiIqHandshake(this.tuning);
    // The path's number only pairs a client's SND and W/F sockets on the server; any value works.
    const ws = new WebSocket(`${this.url}/${Date.now()}/SND`, {
      perMessageDeflate: false,
      handshakeTimeout: this.cfg.connectTimeoutMs,
    });
    this.ws = ws;
    this.handshake = handshake;
    this.connectedAtMs = performance.now();
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
      this.fail('retry', `connection closed (${code}: ${why})`);
    });
    const keepalive = setInterval(() => {
      if (ws.readyState === WebSocket.OPEN) ws.send(KEEPALIVE_COMMAND);
    }, this.cfg.keepaliveIntervalMs);
    const watchdogMs = Math.min(
      WATCHDOG_MAX_MS,
      Math.max(WATCHDOG_MIN_MS, this.cfg.stallTimeoutMs * WATCHDOG_FRACTION),
    );
    this.timers = [keepalive, setInterval(() => this.watchdog(), watchdogMs)];
  }

  private watchdog(): void {
    const now = performance.now();
    const { state } = this.current;
    if (state === 'connecting') {
      if (now - this.connectedAtMs > this.cfg.connectTimeoutMs) {
        this.fail('retry', `no IQ frame within ${this.cfg.connectTimeoutMs} ms of connecting`);
      }
      return;
    }
    const silentMs = now - this.lastFrameAtMs;
    if (silentMs > this.cfg.stallReconnectMs) {
      this.fail('retry', `no IQ frame for ${Math.round(silentMs)} ms`);
    } else if (state === 'streaming' && silentMs > this.cfg.stallTimeoutMs) {
      this.setState({ state: 'stalled', detail: `no IQ frame for ${Math.round(silentMs)} ms` });
    }
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
      if (step?.outcome) this.fail(step.outcome.kind, step.outcome.reason);
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
    this.lastFrameAtMs = performance.now();
    this.counters.framesReceived++;
    this.attempt = 0;
    if (this.current.state !== 'streaming') this.setState({ state: 'streaming' });
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
    };
    this.events.emit('frame', frame);
  }

  /** Stop using the current socket: timers off, listeners unhooked from our state. */
  private detach(): WebSocket | undefined {
    this.timers.forEach((t) => clearInterval(t));
    this.timers = [];
    const ws = this.ws;
    this.ws = undefined;
    this.handshake = undefined;
    return ws;
  }

  private fail(kind: 'retry' | 'fatal', detail: string): void {
    this.detach()?.terminate();
    if (!this.running) return;
    if (kind === 'fatal') {
      this.running = false;
      this.setState({ state: 'error', detail });
      return;
    }
    const delay = backoffDelayMs(this.attempt++, this.backoff, this.cfg.random);
    this.setState({ state: 'reconnecting', detail, reconnectInMs: delay });
    this.reconnectTimer = setTimeout(() => {
      if (this.running) this.connect();
    }, delay);
  }
}
