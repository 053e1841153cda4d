/**
 * Every GPS stamp of a KiwiSDR IQ WAV (kiwirecorder `--kiwi-wav`): the 10-byte `kiwi` chunk before
 * each data chunk holds u8 last_gps_solution, u8 0, u32 GPS seconds of week, u32 nanoseconds, the
 * GPS time of the first sample of the data chunk that follows (kiwiclient kiwi/wavreader.py).
 * Kept as typed arrays so the table crosses a worker boundary by structured clone.
 */
import type { ByteSource } from '../readers/byteSource';
import type { RiffChunk } from '../readers/riff';

export interface KiwiStampTable {
  /** Index (in samples of the recording) of the first sample the stamp times. */
  sampleIndex: Float64Array;
  /** Seconds since the receiver's last GPS fix; 254 = stale, 255 = never. */
  lastSolution: Uint8Array;
  /** GPS time of week, whole seconds. */
  gpsSec: Uint32Array;
  /** Nanoseconds within gpsSec. */
  gpsNsec: Uint32Array;
}

export const KIWI_CHUNK_BYTES = 10;
// Stamps lie every ~2 kB, so a large window reads them with few calls (a Blob slice each).
const WINDOW_BYTES = 1 << 20;

/**
 * Reads the stamp of every `kiwi` chunk, in file order, with the index of the sample it times.
 * `bytesPerSample` is the size of one IQ pair in the data chunks. A kiwi chunk shorter than ten
 * bytes is skipped (it cannot hold a stamp).
 */
export async function readKiwiStamps(
  source: ByteSource,
  chunks: readonly RiffChunk[],
  bytesPerSample: number,
): Promise<KiwiStampTable> {
  const kiwi: { at: number; sample: number }[] = [];
  let samples = 0;
  for (const c of chunks) {
    if (c.id === 'data') samples += Math.floor(c.size / bytesPerSample);
    else if (c.id === 'kiwi' && c.size >= KIWI_CHUNK_BYTES)
      kiwi.push({ at: c.bodyOffset, sample: samples });
  }
  const table: KiwiStampTable = {
    sampleIndex: new Float64Array(kiwi.length),
    lastSolution: new Uint8Array(kiwi.length),
    gpsSec: new Uint32Array(kiwi.length),
    gpsNsec: new Uint32Array(kiwi.length),
  };
  let window: Uint8Array = new Uint8Array(0);
  let windowStart = 0;
  for (let i = 0; i < kiwi.length; i++) {
    const { at, sample } = kiwi[i];
    if (at < windowStart || at + KIWI_CHUNK_BYTES > windowStart + window.length) {
      windowStart = at;
      window = await source.read(at, Math.max(WINDOW_BYTES, KIWI_CHUNK_BYTES));
    }
    const view = new DataView(
      window.buffer,
      window.byteOffset + at - windowStart,
      KIWI_CHUNK_BYTES,
    );
    table.sampleIndex[i] = sample;
    table.lastSolution[i] = view.getUint8(0);
    table.gpsSec[i] = view.getUint32(2, true);
    table.gpsNsec[i] = view.getUint32(6, true);
  }
  return table;
}

/** The table a reader left in `info.extra.kiwiStamps`, checked, or undefined. */
export function kiwiStampsOf(extra: Record<string, unknown>): KiwiStampTable | undefined {
  const t = extra.kiwiStamps as Partial<KiwiStampTable> | undefined;
  if (
    t &&
    t.sampleIndex instanceof Float64Array &&
    t.lastSolution instanceof Uint8Array &&
    t.gpsSec instanceof Uint32Array &&
    t.gpsNsec instanceof Uint32Array
  ) {
    return t as KiwiStampTable;
  }
  return undefined;
}
