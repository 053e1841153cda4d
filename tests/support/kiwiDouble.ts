import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import { encodeSndFrame, SND_FLAG_MODE_IQ } from '../../src/core/kiwi/sndFrame';
import { utcMsToGpsTimeOfWeek } from '../../src/core/kiwi/gpsTime';

/**
 * A local stand-in for a KiwiSDR's `/<timestamp>/SND` WebSocket in IQ mode, for tests.
 *
 * It behaves the way the real server does (jks-prv/Beagle_SDR_GPS rx/rx_sound.cpp,
 * rx/rx_sound_cmd.cpp, rx/rx_cmd.cpp): MSG and SND frames go out as binary WebSocket frames;
 * `SET auth` must come first (other commands before it are ignored and recorded as violations);
 * a wrong password gets `MSG badp=1`; after a good login it announces `badp=0`, versions,
 * `audio_init/audio_rate` and `sample_rate`; it streams nothing until it has seen a tune (`SET
 * mod=... low_cut=... high_cut=... freq=...`), `SET agc=...` and `SET AR OK` with a non-zero
 * output rate (`cmd_recv == CMD_ALL`). Frames then come at real-time pace, sequence numbers from
 * 1, GPS time stamps exactly one frame apart, the first frame's GPS stamp blank (as the real
 * server's first packet). The command parsing here is written from the server's sscanf formats,
 * independently of the client's command builders, so it can catch their mistakes.
 * Listens on a loopback address only.
 */

export interface KiwiDoubleOptions {
  host?: '127.0.0.1' | '::1';
  /** When set, `SET auth` must carry it (percent-encoded, as the server URL-decodes it). */
  password?: string;
  /** The exact rate announced in `MSG sample_rate` and used to pace and synthesise frames. */
  sampleRateHz?: number;
  /** The nominal rate announced in `MSG audio_rate`. */
  audioRateHz?: number;
  /** IQ pairs per SND frame (the real server sends 512). */
  frameSamples?: number;
  toneHz?: number;
  /** Tone amplitude, full scale 1.0. */
  toneAmplitude?: number;
  rssiDbm?: number;
  /** last_gps_solution to send (255 = no GPS). */
  gpsLastSolution?: number;
  /** Answer every connection with `MSG too_busy=4` and close. */
  tooBusy?: boolean;
  /** UTC clock for GPS stamps. */
  nowUtcMs?: () => number;
}

export interface DoubleConnection {
  path: string;
  /** Every text command received, in order. */
  commands: string[];
  /** Protocol mistakes the client made on this connection. */
  violations: string[];
  framesSent: number;
  authenticated: boolean;
  open: boolean;
}

type Resolved = Required<Omit<KiwiDoubleOptions, 'password'>> & { password?: string };

const CMD_FREQ = 0x01;
const CMD_MODE = 0x02;
const CMD_PASSBAND = 0x04;
const CMD_AGC = 0x08;
const CMD_AR_OK = 0x10;
const CMD_ALL = CMD_FREQ | CMD_MODE | CMD_PASSBAND | CMD_AGC | CMD_AR_OK;
const SND_PATH = /^\/\d+\/SND$/;
const TICK_MS = 5;
const BADP_CLOSE_DELAY_MS = 50;

interface Live {
  ws: WebSocket;
  rec: DoubleConnection;
  cmdRecv: number;
  mode?: string;
  nextDueMs?: number;
  nextFrameUtcMs?: number;
  sampleIndex: number;
}

/** The test tone's sample n (interleaved I, Q), before int16 quantisation. */
export function toneSample(
  n: number,
  o: Pick<Resolved, 'toneHz' | 'toneAmplitude' | 'sampleRateHz'>,
): [number, number] {
  const phase = (2 * Math.PI * o.toneHz * n) / o.sampleRateHz;
  return [o.toneAmplitude * Math.cos(phase), o.toneAmplitude * Math.sin(phase)];
}

export class KiwiDouble {
  readonly options: Resolved;
  readonly connections: DoubleConnection[] = [];
  /** Paths of refused upgrade requests. */
  readonly rejected: string[] = [];
  /** TCP connections accepted, including refused upgrades. */
  tcpConnections = 0;
  /** While true, upgrade requests get HTTP 503 (the receiver is unreachable for the client). */
  refuse = false;
  private stalled = false;
  private readonly live = new Set<Live>();
  private readonly sockets = new Set<Socket>();
  private readonly timer: NodeJS.Timeout;

  private constructor(
    private readonly http: Server,
    private readonly wss: WebSocketServer,
    options: KiwiDoubleOptions,
  ) {
    this.options = {
      host: options.host ?? '127.0.0.1',
      password: options.password,
      sampleRateHz: options.sampleRateHz ?? 12000,
      audioRateHz: options.audioRateHz ?? 12000,
      frameSamples: options.frameSamples ?? 512,
      toneHz: options.toneHz ?? 1000,
      toneAmplitude: options.toneAmplitude ?? 0.5,
      rssiDbm: options.rssiDbm ?? -73,
      gpsLastSolution: options.gpsLastSolution ?? 2,
      tooBusy: options.tooBusy ?? false,
      nowUtcMs: options.nowUtcMs ?? Date.now,
    };
    http.on('connection', (s: Socket) => {
      this.tcpConnections++;
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    http.on('upgrade', (req, socket, head) => {
      const path = req.url ?? '';
      if (this.refuse || !SND_PATH.test(path)) {
        this.rejected.push(path);
        const status = this.refuse ? '503 Service Unavailable' : '404 Not Found';
        socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, path));
    });
    this.timer = setInterval(() => this.tick(), TICK_MS);
  }

  static async start(options: KiwiDoubleOptions = {}): Promise<KiwiDouble> {
    const host = options.host ?? '127.0.0.1';
    if (host !== '127.0.0.1' && host !== '::1')
      throw new Error('the Kiwi double only listens on loopback');
    const http = createServer((_req, res) => res.writeHead(404).end());
    const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen(0, host, () => resolve());
    });
    return new KiwiDouble(http, wss, options);
  }

  get host(): string {
    return this.options.host;
  }

  get port(): number {
    return (this.http.address() as AddressInfo).port;
  }

  /** Stop sending frames (connections stay open). */
  stall(): void {
    this.stalled = true;
  }

  /** Send frames again, at real-time pace from now. */
  resume(): void {
    this.stalled = false;
    for (const c of this.live) {
      if (c.nextDueMs !== undefined) {
        c.nextDueMs = performance.now();
        c.nextFrameUtcMs = this.options.nowUtcMs();
      }
    }
  }

  /** Cut every open connection without a close handshake (the client sees 1006). */
  dropConnections(): void {
    for (const c of this.live) c.ws.terminate();
  }

  /** Resolves when `pred` holds; rejects after timeoutMs naming `what`. */
  async waitFor(pred: () => boolean, what: string, timeoutMs = 3000): Promise<void> {
    const t0 = performance.now();
    while (!pred()) {
      if (performance.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    for (const c of this.live) c.ws.terminate();
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }

  private accept(ws: WebSocket, path: string): void {
    const rec: DoubleConnection = {
      path,
      commands: [],
      violations: [],
      framesSent: 0,
      authenticated: false,
      open: true,
    };
    this.connections.push(rec);
    const c: Live = { ws, rec, cmdRecv: 0, sampleIndex: 0 };
    this.live.add(c);
    ws.on('close', () => {
      rec.open = false;
      this.live.delete(c);
    });
    if (this.options.tooBusy) {
      this.msg(c, 'too_busy=4');
      ws.close();
      return;
    }
    ws.on('message', (data, isBinary) => {
      if (isBinary) rec.violations.push('binary frame from client');
      this.onCommand(c, data.toString());
    });
  }

  private msg(c: Live, body: string): void {
    c.ws.send(Buffer.from(`MSG ${body}`, 'latin1'), { binary: true });
  }

  private onCommand(c: Live, cmd: string): void {
    c.rec.commands.push(cmd);
    if (!c.rec.authenticated) {
      this.onAuth(c, cmd);
      return;
    }
    let m: RegExpMatchArray | null;
    if ((m = cmd.match(/^SET AR OK in=(\d+) out=(\d+)$/))) {
      if (Number(m[2]) !== 0) c.cmdRecv |= CMD_AR_OK;
    } else if (
      (m = cmd.match(/^SET mod=(\S+) low_cut=(-?[\d.]+) high_cut=(-?[\d.]+) freq=([\d.]+)$/))
    ) {
      c.mode = m[1];
      if (c.mode !== 'iq') c.rec.violations.push(`mode ${c.mode} is not iq`);
      if (!(Number(m[2]) < Number(m[3]))) c.rec.violations.push(`passband ${m[2]}..${m[3]}`);
      c.cmdRecv |= CMD_FREQ | CMD_MODE | CMD_PASSBAND;
    } else if (/^SET agc=\d+ hang=\d+ thresh=-?\d+ slope=\d+ decay=\d+ manGain=\d+$/.test(cmd)) {
      c.cmdRecv |= CMD_AGC;
    } else if (!/^SET (keepalive|compression=[01]|squelch=\d+ max=\d+|ident_user=\S*)$/.test(cmd)) {
      c.rec.violations.push(`unknown command ${JSON.stringify(cmd)}`);
    }
    if (c.cmdRecv === CMD_ALL && c.nextDueMs === undefined) {
      c.nextDueMs = performance.now();
      c.nextFrameUtcMs = this.options.nowUtcMs();
    }
  }

  private onAuth(c: Live, cmd: string): void {
    const m = cmd.match(/^SET auth t=(\w+) p=(\S*)$/);
    if (!m) {
      c.rec.violations.push(`command before auth: ${JSON.stringify(cmd)}`);
      return;
    }
    let password = '';
    try {
      password = decodeURIComponent(m[2]);
    } catch {
      c.rec.violations.push('password is not valid percent-encoding');
    }
    if (
      m[1] !== 'kiwi' ||
      (this.options.password !== undefined && password !== this.options.password)
    ) {
      this.msg(c, 'badp=1');
      setTimeout(() => c.ws.close(), BADP_CLOSE_DELAY_MS);
      return;
    }
    c.rec.authenticated = true;
    this.msg(c, 'badp=0');
    this.msg(c, 'version_maj=1 version_min=826');
    this.msg(c, 'center_freq=15000000 bandwidth=30000000 adc_clk_nom=66666600');
    this.msg(c, `audio_init=0 audio_rate=${this.options.audioRateHz}`);
    this.msg(c, `sample_rate=${this.options.sampleRateHz.toFixed(6)}`);
  }

  private tick(): void {
    if (this.stalled) return;
    const o = this.options;
    const frameMs = (o.frameSamples / o.sampleRateHz) * 1000;
    const now = performance.now();
    for (const c of this.live) {
      while (
        c.nextDueMs !== undefined &&
        now >= c.nextDueMs &&
        c.ws.readyState === WebSocket.OPEN
      ) {
        this.sendFrame(c);
        c.nextDueMs += frameMs;
        c.nextFrameUtcMs = (c.nextFrameUtcMs ?? o.nowUtcMs()) + frameMs;
      }
    }
  }

  private sendFrame(c: Live): void {
    const o = this.options;
    const iq = new Float32Array(2 * o.frameSamples);
    for (let k = 0; k < o.frameSamples; k++) {
      const [i, q] = toneSample(c.sampleIndex + k, o);
      iq[2 * k] = i;
      iq[2 * k + 1] = q;
    }
    const first = c.rec.framesSent === 0;
    const tow = utcMsToGpsTimeOfWeek(c.nextFrameUtcMs ?? o.nowUtcMs());
    const gps = first
      ? { lastSolution: 0, gpsSec: 0, gpsNsec: 0 }
      : { lastSolution: o.gpsLastSolution, ...tow };
    const frame = encodeSndFrame({
      flags: SND_FLAG_MODE_IQ,
      sequence: c.rec.framesSent + 1,
      rssiDbm: o.rssiDbm,
      gps,
      iq,
    });
    c.ws.send(frame, { binary: true });
    c.rec.framesSent++;
    c.sampleIndex += o.frameSamples;
  }
}
