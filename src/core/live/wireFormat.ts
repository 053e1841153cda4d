/**
 * The live relay's wire format, shared by the companion server (encoder) and the browser
 * (decoder). IQ travels as binary WebSocket messages with a fixed 48-byte little-endian header
 * followed by the samples as float32 (cf32_le, the SigMF datatype we record to), so the browser
 * can view the samples in place without parsing. Everything else (hello, receiver state, scenario
 * truth, relay stats) travels as JSON text messages, validated with zod on arrival (liveMessages.ts).
 *
 * Binary frame layout (byte offset: field):
 *    0: magic "HQF1" (ASCII; the digit is the format version)
 *    4: receiver index, u16 (index into the hello message's receivers)
 *    6: flags, u16 (FRAME_FLAG_*)
 *    8: sequence, u32 (per connection, from 1; a gap means lost frames)
 *   12: connection index, u32 (changes when the receiver's stream restarts)
 *   16: capture time of the first sample, f64, ms since the Unix epoch (UTC)
 *   24: sample rate, f64, Hz (complex samples per second)
 *   32: tuned centre frequency, f64, Hz
 *   40: RSSI, f32, dBm (NaN when the receiver reports none)
 *   44: complex sample count n, u32
 *   48: with FRAME_FLAG_GPS_STAMP only, the receiver's GPS stamp of the first sample (12 bytes:
 *       u8 last_gps_solution, 3 zero bytes, u32 GPS seconds of week, u32 nanoseconds), as a
 *       KiwiSDR sends it; live TDoA times every sample from these (src/core/tdoa/kiwiTiming.ts)
 *   48 (or 60): 2n float32 values, I then Q, full scale 1.0
 */
import { HeimdallError } from '../errors';
import type { KiwiGpsStamp } from '../kiwi/sndFrame';
import {
  MAX_FLOAT_SAMPLE_MAGNITUDE,
  MAX_SAMPLE_RATE_HZ,
  MIN_SAMPLE_RATE_HZ,
} from '../readers/limits';

export const FRAME_MAGIC = 'HQF1';
export const FRAME_HEADER_BYTES = 48;
/** The capture time comes from the receiver's GPS (or the simulator's exact clock). */
export const FRAME_FLAG_TIME_EXACT = 1;
/** The receiver's ADC clipped during this frame. */
export const FRAME_FLAG_ADC_OVERLOAD = 2;
/** A GPS stamp follows the header. */
export const FRAME_FLAG_GPS_STAMP = 4;
const GPS_STAMP_BYTES = 12;

const MAGIC_BYTES = new Uint8Array([...FRAME_MAGIC].map((c) => c.charCodeAt(0)));
const MAX_U16 = 0xffff;
const MAX_U32 = 0xffffffff;
/** Samples in one frame at most: 10 s at 100 kHz; the relay sends a fraction of a second. */
export const MAX_FRAME_SAMPLES = 1 << 20;
/** The platform's float32 byte order: every current browser and Node target is little-endian. */
const LITTLE_ENDIAN = new Uint8Array(new Float32Array([1]).buffer)[3] === 0x3f;

export interface WireFrame {
  receiverIndex: number;
  sequence: number;
  connectionIndex: number;
  captureTimeMs: number;
  sampleRateHz: number;
  centerFrequencyHz: number;
  /** Capture time from GPS or the simulator's clock rather than from arrival. */
  timeExact: boolean;
  adcOverload: boolean;
  rssiDbm?: number;
  /** The receiver's own GPS stamp of the first sample (KiwiSDR, or the simulator's model of one). */
  gps?: KiwiGpsStamp;
  /** Interleaved I/Q, full scale 1.0. */
  iq: Float32Array;
}

function checkUint(value: number, max: number, what: string): void {
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new HeimdallError(
      'ConfigError',
      `live frame ${what} ${value} is not an integer in 0..${max}`,
    );
  }
}

export function encodeFrame(f: WireFrame): Uint8Array {
  checkUint(f.receiverIndex, MAX_U16, 'receiver index');
  checkUint(f.sequence, MAX_U32, 'sequence');
  checkUint(f.connectionIndex, MAX_U32, 'connection index');
  if (f.iq.length % 2 !== 0) {
    throw new HeimdallError('ConfigError', 'live frame IQ must hold I/Q pairs (an even length)');
  }
  const dataAt = FRAME_HEADER_BYTES + (f.gps ? GPS_STAMP_BYTES : 0);
  const bytes = new Uint8Array(dataAt + f.iq.length * 4);
  const view = new DataView(bytes.buffer);
  bytes.set(MAGIC_BYTES, 0);
  view.setUint16(4, f.receiverIndex, true);
  view.setUint16(
    6,
    (f.timeExact ? FRAME_FLAG_TIME_EXACT : 0) |
      (f.adcOverload ? FRAME_FLAG_ADC_OVERLOAD : 0) |
      (f.gps ? FRAME_FLAG_GPS_STAMP : 0),
    true,
  );
  view.setUint32(8, f.sequence, true);
  view.setUint32(12, f.connectionIndex, true);
  view.setFloat64(16, f.captureTimeMs, true);
  view.setFloat64(24, f.sampleRateHz, true);
  view.setFloat64(32, f.centerFrequencyHz, true);
  view.setFloat32(40, f.rssiDbm ?? Number.NaN, true);
  view.setUint32(44, f.iq.length / 2, true);
  if (f.gps) {
    checkUint(f.gps.lastSolution, 0xff, 'GPS last solution');
    checkUint(f.gps.gpsSec, MAX_U32, 'GPS seconds');
    checkUint(f.gps.gpsNsec, MAX_U32, 'GPS nanoseconds');
    view.setUint8(FRAME_HEADER_BYTES, f.gps.lastSolution);
    view.setUint32(FRAME_HEADER_BYTES + 4, f.gps.gpsSec, true);
    view.setUint32(FRAME_HEADER_BYTES + 8, f.gps.gpsNsec, true);
  }
  if (LITTLE_ENDIAN) {
    bytes.set(new Uint8Array(f.iq.buffer, f.iq.byteOffset, f.iq.byteLength), dataAt);
  } else {
    for (let i = 0; i < f.iq.length; i++) view.setFloat32(dataAt + 4 * i, f.iq[i], true);
  }
  return bytes;
}

function bad(why: string): never {
  throw new HeimdallError('CorruptFileError', why, 'live relay frame');
}

/**
 * Parses one binary message. The samples are a view into `bytes` when the platform is
 * little-endian and the samples are 4-byte aligned (always so for a WebSocket ArrayBuffer), else a
 * copy. Throws CorruptFileError on a wrong magic or a length that disagrees with the header.
 */
export function decodeFrame(bytes: Uint8Array): WireFrame {
  if (bytes.byteLength < FRAME_HEADER_BYTES)
    bad(`${bytes.byteLength} bytes is shorter than the header`);
  for (let i = 0; i < MAGIC_BYTES.length; i++) {
    if (bytes[i] !== MAGIC_BYTES[i]) bad(`does not start with ${FRAME_MAGIC}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const flags = view.getUint16(6, true);
  const samples = view.getUint32(44, true);
  if (samples > MAX_FRAME_SAMPLES)
    bad(`header announces ${samples} samples (at most ${MAX_FRAME_SAMPLES})`);
  const hasGps = (flags & FRAME_FLAG_GPS_STAMP) !== 0;
  const dataAt = FRAME_HEADER_BYTES + (hasGps ? GPS_STAMP_BYTES : 0);
  if (bytes.byteLength !== dataAt + samples * 8) {
    bad(`header announces ${samples} samples but ${bytes.byteLength - dataAt} bytes follow`);
  }
  const sampleRateHz = view.getFloat64(24, true);
  if (!(sampleRateHz >= MIN_SAMPLE_RATE_HZ && sampleRateHz <= MAX_SAMPLE_RATE_HZ)) {
    bad(
      `sample rate ${sampleRateHz} Hz is outside ${MIN_SAMPLE_RATE_HZ}..${MAX_SAMPLE_RATE_HZ} Hz`,
    );
  }
  const captureTimeMs = view.getFloat64(16, true);
  if (!Number.isFinite(captureTimeMs)) bad(`capture time ${captureTimeMs} is not a time`);
  const centerFrequencyHz = view.getFloat64(32, true);
  if (!Number.isFinite(centerFrequencyHz))
    bad(`centre frequency ${centerFrequencyHz} is not a frequency`);
  const rssi = view.getFloat32(40, true);
  const dataOffset = bytes.byteOffset + dataAt;
  const iq =
    LITTLE_ENDIAN && dataOffset % 4 === 0
      ? new Float32Array(bytes.buffer, dataOffset, 2 * samples)
      : Float32Array.from({ length: 2 * samples }, (_, i) => view.getFloat32(dataAt + 4 * i, true));
  const gps: KiwiGpsStamp | undefined = hasGps
    ? {
        lastSolution: view.getUint8(FRAME_HEADER_BYTES),
        gpsSec: view.getUint32(FRAME_HEADER_BYTES + 4, true),
        gpsNsec: view.getUint32(FRAME_HEADER_BYTES + 8, true),
      }
    : undefined;
  // A NaN or absurd sample would reach the model as a non-finite output naming no receiver.
  for (let i = 0; i < iq.length; i++) {
    if (!(Math.abs(iq[i]) <= MAX_FLOAT_SAMPLE_MAGNITUDE)) bad(`sample ${i >> 1} is ${iq[i]}`);
  }
  return {
    receiverIndex: view.getUint16(4, true),
    sequence: view.getUint32(8, true),
    connectionIndex: view.getUint32(12, true),
    captureTimeMs,
    sampleRateHz,
    centerFrequencyHz,
    timeExact: (flags & FRAME_FLAG_TIME_EXACT) !== 0,
    adcOverload: (flags & FRAME_FLAG_ADC_OVERLOAD) !== 0,
    ...(Number.isNaN(rssi) ? {} : { rssiDbm: rssi }),
    ...(gps ? { gps } : {}),
    iq,
  };
}
