/**
 * KiwiSDR IQ WAV files exactly as kiwirecorder.py `--kiwi-wav` writes them (jks-prv/kiwiclient,
 * read back by kiwi/wavreader.py and by our readers/wav.ts):
 *
 *   36-byte header: "RIFF", u32 file size - 8, "WAVE", then a 16-byte "fmt " chunk (PCM,
 *   2 channels, 16 bit, the sample rate rounded to an integer). No "data" chunk in the header.
 *   Then, per block of IQ pairs (512 at 12 kHz):
 *     "kiwi", u32 10, u8 last_gps_solution, u8 0, u32 GPS seconds of week, u32 nanoseconds;
 *     "data", u32 bytes, int16 I, int16 Q, ...
 *   All little-endian. The stamp is the GPS time of the block's first sample.
 */
import { HeimdallError } from '../errors';
import type { KiwiGpsStamp } from '../kiwi/sndFrame';

/** IQ pairs per block in kiwirecorder's files at 12 kHz (one SND frame). */
export const KIWI_BLOCK_PAIRS = 512;
const HEADER_BYTES = 36;
const KIWI_CHUNK_BODY_BYTES = 10;
const CHUNK_HEADER_BYTES = 8;
const BYTES_PER_PAIR = 4;
const PCM_FORMAT = 1;

export interface KiwiWavBlock {
  gps: KiwiGpsStamp;
  /** Interleaved int16 I, Q. */
  iq: Int16Array;
}

function ascii(view: DataView, offset: number, text: string): void {
  for (let i = 0; i < text.length; i++) view.setUint8(offset + i, text.charCodeAt(i));
}

function checkStamp(gps: KiwiGpsStamp, block: number): void {
  const ok =
    Number.isInteger(gps.lastSolution) &&
    gps.lastSolution >= 0 &&
    gps.lastSolution <= 255 &&
    Number.isInteger(gps.gpsSec) &&
    gps.gpsSec >= 0 &&
    gps.gpsSec <= 0xffffffff &&
    Number.isInteger(gps.gpsNsec) &&
    gps.gpsNsec >= 0 &&
    gps.gpsNsec <= 999_999_999;
  if (!ok) {
    throw new HeimdallError(
      'ConfigError',
      `kiwi block ${block}: GPS stamp out of range (${JSON.stringify(gps)})`,
    );
  }
}

/** The whole file. `sampleRateHz` is the receiver's nominal rate; the header keeps it rounded. */
export function kiwiWavBytes(sampleRateHz: number, blocks: readonly KiwiWavBlock[]): Uint8Array {
  const rate = Math.round(sampleRateHz);
  if (!(rate > 0)) throw new HeimdallError('ConfigError', `bad sample rate ${sampleRateHz}`);
  let size = HEADER_BYTES;
  blocks.forEach((b, i) => {
    checkStamp(b.gps, i);
    if (b.iq.length % 2 !== 0)
      throw new HeimdallError('ConfigError', `kiwi block ${i}: odd number of int16 values`);
    size += 2 * CHUNK_HEADER_BYTES + KIWI_CHUNK_BODY_BYTES + 2 * b.iq.length;
  });
  const bytes = new Uint8Array(size);
  const view = new DataView(bytes.buffer);
  ascii(view, 0, 'RIFF');
  view.setUint32(4, size - 8, true);
  ascii(view, 8, 'WAVE');
  ascii(view, 12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, PCM_FORMAT, true);
  view.setUint16(22, 2, true);
  view.setUint32(24, rate, true);
  view.setUint32(28, rate * BYTES_PER_PAIR, true);
  view.setUint16(32, BYTES_PER_PAIR, true);
  view.setUint16(34, 16, true);
  let at = HEADER_BYTES;
  for (const b of blocks) {
    ascii(view, at, 'kiwi');
    view.setUint32(at + 4, KIWI_CHUNK_BODY_BYTES, true);
    view.setUint8(at + 8, b.gps.lastSolution);
    view.setUint8(at + 9, 0);
    view.setUint32(at + 10, b.gps.gpsSec, true);
    view.setUint32(at + 14, b.gps.gpsNsec, true);
    at += CHUNK_HEADER_BYTES + KIWI_CHUNK_BODY_BYTES;
    ascii(view, at, 'data');
    view.setUint32(at + 4, 2 * b.iq.length, true);
    at += CHUNK_HEADER_BYTES;
    for (let i = 0; i < b.iq.length; i++) view.setInt16(at + 2 * i, b.iq[i], true);
    at += 2 * b.iq.length;
  }
  return bytes;
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/**
 * kiwirecorder's name: `YYYYMMDDThhmmssZ_<frequency Hz>_<station id>_iq.wav`, the time being the
 * recording PC's clock (UTC) at the first write, truncated to the second.
 */
export function kiwiWavFileName(pcClockUtcMs: number, frequencyHz: number, stationId: string) {
  if (!/^[^/\\\s]+$/.test(stationId))
    throw new HeimdallError('ConfigError', `station id "${stationId}" cannot go in a file name`);
  const t = new Date(Math.floor(pcClockUtcMs / 1000) * 1000);
  const stamp =
    `${t.getUTCFullYear()}${pad2(t.getUTCMonth() + 1)}${pad2(t.getUTCDate())}` +
    `T${pad2(t.getUTCHours())}${pad2(t.getUTCMinutes())}${pad2(t.getUTCSeconds())}Z`;
  return `${stamp}_${Math.round(frequencyHz)}_${stationId}_iq.wav`;
}

/**
 * Float IQ (full scale 1.0) to int16 as the Kiwi delivers it: rounded, clipped at full scale.
 * Returns how many values clipped so a caller can refuse a badly scaled recording.
 */
export function toInt16(iq: ArrayLike<number>): { values: Int16Array; clipped: number } {
  const values = new Int16Array(iq.length);
  let clipped = 0;
  for (let i = 0; i < iq.length; i++) {
    const v = Math.round(iq[i] * 32768);
    if (v > 32767 || v < -32768) clipped++;
    values[i] = Math.max(-32768, Math.min(32767, v));
  }
  return { values, clipped };
}
