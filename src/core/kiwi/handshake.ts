import { HeimdallError } from '../errors';
import type { KiwiMessage } from './kiwiMessage';

/**
 * The client side of a KiwiSDR `/<timestamp>/SND` session in IQ mode, as a pure state machine:
 * messages in, text commands out. The socket, timers and reconnects live in the caller.
 *
 * Order, as kiwiclient does it (jks-prv/kiwiclient kiwi/client.py `open`, `_process_msg_param`,
 * kiwirecorder.py `_setup_rx_params`):
 *   1. on open:                     SET auth t=kiwi p=<password>
 *   2. on `MSG audio_rate=<n>`:     SET AR OK in=<n> out=44100
 *   3. on `MSG sample_rate=<hz>`:   SET squelch=0 max=0, SET ident_user=..., SET mod=iq ...,
 *                                   SET agc=0 ... manGain=..., SET compression=0, SET keepalive
 * The server streams nothing until it has freq, mode, passband, AGC and AR OK (`cmd_recv ==
 * CMD_ALL` in Beagle_SDR_GPS rx/rx_sound.cpp) and drops clients silent for KEEPALIVE_SEC, so the
 * caller must also send `SET keepalive` periodically.
 * The server URL-decodes the password (rx_cmd.cpp `kiwi_str_decode_inplace(pwd_m)`), so it is
 * percent-encoded here. AGC is off with a fixed manual gain: receivers are compared by level.
 */

export interface KiwiIqTuning {
  /** Tuned (centre) frequency; sent in kHz with 1 Hz resolution. */
  centerFrequencyHz: number;
  /** Passband edges relative to the centre; the server clamps them to +-(sample rate / 2 - 1). */
  lowCutHz: number;
  highCutHz: number;
  /** Kiwi `manGain` with AGC off (0..120 dB, kiwiclient's default is 50). */
  manualGainDb: number;
  password?: string;
  /** Shown in the Kiwi's user list. */
  identUser?: string;
}

/** kiwiclient answers `SET AR OK ... out=44100`; the server only checks that out is non-zero. */
export const AR_OK_OUTPUT_RATE_HZ = 44100;
export const KEEPALIVE_COMMAND = 'SET keepalive';
/** badp=1: wrong password (rx_cmd.cpp); retrying with the same password cannot succeed. */
const BADP_WRONG_PASSWORD = '1';
const MAX_FREQUENCY_HZ = 100e6;
const MAX_MANUAL_GAIN_DB = 120;

export type HandshakeOutcome =
  | { kind: 'fatal'; reason: string } // do not retry (bad password)
  | { kind: 'retry'; reason: string }; // the receiver refused for now (busy, down, ...)

export interface HandshakeStep {
  send: string[];
  outcome?: HandshakeOutcome;
}

function validateTuning(t: KiwiIqTuning): void {
  const bad = (msg: string): never => {
    throw new HeimdallError('ConfigError', msg);
  };
  if (!Number.isFinite(t.centerFrequencyHz) || t.centerFrequencyHz <= 0) {
    bad(`centre frequency ${t.centerFrequencyHz} Hz must be positive`);
  }
  if (t.centerFrequencyHz > MAX_FREQUENCY_HZ)
    bad(`centre frequency ${t.centerFrequencyHz} Hz is above any KiwiSDR`);
  if (!Number.isFinite(t.lowCutHz) || !Number.isFinite(t.highCutHz) || t.lowCutHz >= t.highCutHz) {
    bad(`passband ${t.lowCutHz}..${t.highCutHz} Hz must be finite with low < high`);
  }
  if (!(t.manualGainDb >= 0 && t.manualGainDb <= MAX_MANUAL_GAIN_DB)) {
    bad(`manual gain ${t.manualGainDb} dB must be within 0..${MAX_MANUAL_GAIN_DB}`);
  }
}

export class KiwiIqHandshake {
  private sampleRate: number | undefined;
  private configured = false;

  constructor(private readonly tuning: KiwiIqTuning) {
    validateTuning(tuning);
  }

  /** Exact sample rate from `MSG sample_rate`, once received. */
  get sampleRateHz(): number | undefined {
    return this.sampleRate;
  }

  /** True once the tuning commands have been sent. */
  get isConfigured(): boolean {
    return this.configured;
  }

  /** Commands to send as soon as the socket opens. */
  open(): string[] {
    return [`SET auth t=kiwi p=${encodeURIComponent(this.tuning.password ?? '')}`];
  }

  onMessage(msg: KiwiMessage): HandshakeStep {
    const send: string[] = [];
    for (const [key, value] of msg.params) {
      const outcome = this.onParam(key, value, send);
      if (outcome) return { send, outcome };
    }
    return { send };
  }

  private onParam(key: string, value: string | null, send: string[]): HandshakeOutcome | undefined {
    switch (key) {
      case 'badp':
        if (value === '0') return undefined;
        return value === BADP_WRONG_PASSWORD
          ? { kind: 'fatal', reason: 'the receiver rejected the password (badp=1)' }
          : { kind: 'retry', reason: `the receiver refused the login (badp=${value ?? ''})` };
      case 'too_busy':
        return { kind: 'retry', reason: `all ${value ?? '?'} receiver channels are busy` };
      case 'down':
        return { kind: 'retry', reason: 'the receiver is down' };
      case 'redirect':
        return { kind: 'retry', reason: 'the receiver redirected elsewhere (not followed)' };
      case 'audio_rate': {
        const rate = Number(value);
        if (!(rate > 0)) return { kind: 'retry', reason: `bad audio_rate ${value ?? ''}` };
        send.push(`SET AR OK in=${Math.round(rate)} out=${AR_OK_OUTPUT_RATE_HZ}`);
        return undefined;
      }
      case 'sample_rate': {
        const rate = Number(value);
        if (!(rate > 0) || !Number.isFinite(rate)) {
          return { kind: 'retry', reason: `bad sample_rate ${value ?? ''}` };
        }
        this.sampleRate = rate;
        if (!this.configured) {
          send.push(...this.tuneCommands());
          this.configured = true;
        }
        return undefined;
      }
      default:
        return undefined;
    }
  }

  private tuneCommands(): string[] {
    const t = this.tuning;
    const cmds = ['SET squelch=0 max=0'];
    if (t.identUser) cmds.push(`SET ident_user=${encodeURIComponent(t.identUser)}`);
    cmds.push(
      `SET mod=iq low_cut=${Math.round(t.lowCutHz)} high_cut=${Math.round(t.highCutHz)} ` +
        `freq=${(t.centerFrequencyHz / 1000).toFixed(3)}`,
      `SET agc=0 hang=0 thresh=-100 slope=6 decay=1000 manGain=${Math.round(t.manualGainDb)}`,
      'SET compression=0',
      KEEPALIVE_COMMAND,
    );
    return cmds;
  }
}
