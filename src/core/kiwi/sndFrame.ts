import { HeimdallError } from '../errors';

/**
 * KiwiSDR binary `SND` frames in IQ mode: parse and encode.
 *
 * Layout, as sent by the KiwiSDR server (jks-prv/Beagle_SDR_GPS rx/rx_sound.h `snd_pkt_iq_t`,
 * packed) and read by kiwiclient (jks-prv/kiwiclient kiwi/client.py `_process_aud`):
 *
 *   offset  size  field
 *   0       3     tag, ASCII "SND"
 *   3       1     flags (SND_FLAG_* below)
 *   4       4     sequence number, uint32 little-endian (client.py: struct '<BI' over flags+seq)
 *   8       2     S-meter, uint16 big-endian (client.py: '>H'); RSSI dBm = 0.1 * smeter - 127
 *   10      1     last_gps_solution: seconds since the last GPS fix, 254 = stale, 255 = no GPS
 *   11      1     dummy (always 0)
 *   12      4     gpssec: GPS seconds of the week, uint32 little-endian (client.py '<BBII')
 *   16      4     gpsnsec: nanoseconds within that second, uint32 little-endian
 *   20      ...   samples: int16 interleaved I,Q
 *
 * The server writes the samples in network order (big-endian, client.py reads dtype '>h') unless
 * the client sent `SET little-endian`, in which case it sets SND_FLAG_LITTLE_ENDIAN and writes
 * native ARM order (rx/rx_sound.cpp, rx/rx_sound_cmd.cpp CMD_LITTLE_ENDIAN). IQ frames are never
 * IMA-ADPCM compressed (rx_sound.cpp sets SND_FLAG_COMPRESSED only for non-stereo modes).
 * The server clamps the S-meter to [-127, +3.4] dBm before encoding (SMETER_BIAS in rx_sound.cpp).
 * When the operator hides GPS time stamps (admin "allow_gps_tstamp" off) the three GPS fields
 * are all zero.
 */

/** Flag bits, from the `#define SND_FLAG_*` list in Beagle_SDR_GPS rx/rx_sound.cpp. */
export const SND_FLAG_LPF = 0x01;
export const SND_FLAG_ADC_OVFL = 0x02;
export const SND_FLAG_NEW_FREQ = 0x04;
export const SND_FLAG_MODE_IQ = 0x08;
export const SND_FLAG_COMPRESSED = 0x10;
export const SND_FLAG_RESTART = 0x20;
export const SND_FLAG_SQUELCH_UI = 0x40;
export const SND_FLAG_LITTLE_ENDIAN = 0x80;

export const SND_TAG = 'SND';
/** Bytes before the first sample in an IQ-mode frame. */
export const SND_IQ_HEADER_BYTES = 20;
/** int16 full scale: samples are divided by this so that full scale is 1.0. */
export const IQ_INT16_FULL_SCALE = 32768;
/** RSSI dBm = SMETER_DBM_PER_COUNT * smeter + SMETER_OFFSET_DBM (client.py `0.1*smeter - 127`). */
const SMETER_DBM_PER_COUNT = 0.1;
const SMETER_OFFSET_DBM = -127;
const NS_PER_S = 1_000_000_000;
/** Bytes per complex sample: int16 I + int16 Q. */
const BYTES_PER_IQ = 4;

export interface KiwiGpsStamp {
  /** Seconds since the Kiwi's last GPS position solution; 254 = stale, 255 = no GPS. */
  lastSolution: number;
  /** GPS time of week of the first sample, whole seconds. */
  gpsSec: number;
  /** Nanoseconds within gpsSec. */
  gpsNsec: number;
}

export interface SndFrame {
  flags: number;
  sequence: number;
  rssiDbm: number;
  gps: KiwiGpsStamp;
  /** Interleaved I,Q; full scale 1.0. */
  iq: Float32Array;
}

function tagOf(buf: Uint8Array): string {
  return String.fromCharCode(buf[0], buf[1], buf[2]);
}

/** The 3-character ASCII tag a Kiwi binary frame starts with ('SND', 'MSG', 'W/F', ...). */
export function kiwiFrameTag(buf: Uint8Array): string {
  return buf.length < 3 ? '' : tagOf(buf);
}

/**
 * Parse one IQ-mode SND frame. `context` names the stream in error messages.
 * Throws TruncatedFileError when shorter than the header, CorruptFileError when the bytes
 * disagree with the format, UnsupportedFormatError for a compressed frame.
 */
export function parseSndFrame(
  buf: Uint8Array,
  mode: 'iq',
  context = 'KiwiSDR SND frame',
): SndFrame {
  if (mode !== 'iq') {
    throw new HeimdallError('UnsupportedFormatError', `SND mode ${String(mode)}`, context);
  }
  if (buf.length < SND_IQ_HEADER_BYTES) {
    throw new HeimdallError(
      'TruncatedFileError',
      `${buf.length} bytes, shorter than the ${SND_IQ_HEADER_BYTES}-byte IQ header`,
      context,
    );
  }
  const tag = tagOf(buf);
  if (tag !== SND_TAG) {
    throw new HeimdallError('CorruptFileError', `tag ${JSON.stringify(tag)} is not "SND"`, context);
  }
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const flags = view.getUint8(3);
  if (flags & SND_FLAG_COMPRESSED) {
    throw new HeimdallError(
      'UnsupportedFormatError',
      'frame is IMA-ADPCM compressed; IQ mode needs SET compression=0',
      context,
    );
  }
  const gpsNsec = view.getUint32(16, true);
  if (gpsNsec >= NS_PER_S) {
    throw new HeimdallError('CorruptFileError', `GPS nanoseconds ${gpsNsec} >= 1e9`, context);
  }
  const sampleBytes = buf.length - SND_IQ_HEADER_BYTES;
  if (sampleBytes === 0 || sampleBytes % BYTES_PER_IQ !== 0) {
    throw new HeimdallError(
      'CorruptFileError',
      `${sampleBytes} sample bytes is not a positive whole number of int16 I/Q pairs`,
      context,
    );
  }
  const littleEndian = (flags & SND_FLAG_LITTLE_ENDIAN) !== 0;
  const iq = new Float32Array(sampleBytes / 2);
  for (let i = 0; i < iq.length; i++) {
    iq[i] = view.getInt16(SND_IQ_HEADER_BYTES + 2 * i, littleEndian) / IQ_INT16_FULL_SCALE;
  }
  return {
    flags,
    sequence: view.getUint32(4, true),
    rssiDbm: SMETER_DBM_PER_COUNT * view.getUint16(8, false) + SMETER_OFFSET_DBM,
    gps: { lastSolution: view.getUint8(10), gpsSec: view.getUint32(12, true), gpsNsec },
    iq,
  };
}

export interface SndFrameInput {
  /** Defaults to SND_FLAG_MODE_IQ; SND_FLAG_LITTLE_ENDIAN is added when littleEndian is set. */
  flags?: number;
  sequence: number;
  rssiDbm: number;
  gps: KiwiGpsStamp;
  /** Interleaved I,Q, full scale 1.0 (clipped to int16). */
  iq: Float32Array;
  littleEndian?: boolean;
}

function clampInt(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, Math.round(x)));
}

/** Encode an IQ-mode SND frame the way the KiwiSDR server does (used by the test double). */
export function encodeSndFrame(input: SndFrameInput): Uint8Array {
  if (input.iq.length === 0 || input.iq.length % 2 !== 0) {
    throw new HeimdallError(
      'ConfigError',
      `IQ length ${input.iq.length} is not a positive even number`,
    );
  }
  const littleEndian = input.littleEndian ?? false;
  const flags = (input.flags ?? SND_FLAG_MODE_IQ) | (littleEndian ? SND_FLAG_LITTLE_ENDIAN : 0);
  const buf = new Uint8Array(SND_IQ_HEADER_BYTES + 2 * input.iq.length);
  const view = new DataView(buf.buffer);
  for (let i = 0; i < 3; i++) buf[i] = SND_TAG.charCodeAt(i);
  view.setUint8(3, flags & 0xff);
  view.setUint32(4, input.sequence >>> 0, true);
  const smeter = clampInt((input.rssiDbm - SMETER_OFFSET_DBM) / SMETER_DBM_PER_COUNT, 0, 0xffff);
  view.setUint16(8, smeter, false);
  view.setUint8(10, clampInt(input.gps.lastSolution, 0, 255));
  view.setUint8(11, 0);
  view.setUint32(12, input.gps.gpsSec >>> 0, true);
  view.setUint32(16, clampInt(input.gps.gpsNsec, 0, NS_PER_S - 1), true);
  for (let i = 0; i < input.iq.length; i++) {
    const s = clampInt(input.iq[i] * IQ_INT16_FULL_SCALE, -32768, 32767);
    view.setInt16(SND_IQ_HEADER_BYTES + 2 * i, s, littleEndian);
  }
  return buf;
}

export { parseKiwiMessage, decodeKiwiValue, type KiwiMessage } from './kiwiMessage';
