import { HeimdallError } from '../errors';
import { readExact, type ByteSource } from './byteSource';
import { MAX_RIFF_CHUNKS } from './limits';

/** One chunk of a RIFF/RF64 WAVE file: its id and where its body lies. */
export interface RiffChunk {
  id: string;
  bodyOffset: number;
  size: number;
  /** Bytes the chunk claimed beyond the end of the file (a KiwiSDR block cut short; see indexRiff). */
  cutBytes?: number;
}

// Chunk headers are read through a window this large: a KiwiSDR file has a small chunk every
// 2 kB, so one read serves dozens of headers; a big data chunk costs one window at its start.
const WINDOW_BYTES = 64 * 1024;
const UNKNOWN_SIZE = 0xffffffff;
/**
 * A KiwiSDR block cut short claims about what the blocks before it did: kiwirecorder writes one
 * block per SND frame (all of one size, or a few samples apart when it resamples). A claim more
 * than this many times the largest before it is no block's, but a damaged size field.
 */
const MAX_CUT_BLOCK_GROWTH = 2;

function fourcc(bytes: Uint8Array, at: number): string {
  return String.fromCharCode(bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]);
}

/** Chunk ids are four printable ASCII characters; anything else is not a chunk header. */
function isFourcc(id: string): boolean {
  return /^[\x20-\x7e]{4}$/.test(id);
}

/** isFourcc of the four bytes at `at`, without making the string. */
function isFourccAt(bytes: Uint8Array, at: number): boolean {
  for (let k = at; k < at + 4; k++) if (!(bytes[k] >= 0x20 && bytes[k] <= 0x7e)) return false;
  return true;
}

/** The little-endian unsigned 32-bit integer at `at`. */
function uint32At(bytes: Uint8Array, at: number): number {
  return (bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16)) + bytes[at + 3] * 2 ** 24;
}

/**
 * The chunks of a WAVE file, read header by header up to the end of the file (the RIFF size
 * field is ignored: writers that stream leave it stale). Handles RF64 (sizes from the ds64
 * chunk) and a data chunk whose size was never written (0xFFFFFFFF, or 0 with no chunk header
 * after it, as streaming writers leave it): that one runs to the end of the file. Bytes that are
 * not a chunk header end the walk (junk after the last chunk). A chunk that claims more bytes
 * than the file has is a TruncatedFileError, except a KiwiSDR block's: kiwirecorder.py writes
 * each block in three writes (kiwi chunk, data header, samples), so a recording stopped mid-write,
 * or a copy taken while it still records, ends inside its last block. That block is kept as far
 * as it goes, marked with `cutBytes`, and the walk ends there. A KiwiSDR chunk that claims more
 * than the blocks before it is no cut block but a damaged one (a TruncatedFileError), and so are
 * bytes inside a KiwiSDR file that are not a chunk header (a CorruptFileError): either would
 * otherwise end the walk early, and the recording's later samples would go unread unannounced.
 */
export async function indexRiff(source: ByteSource): Promise<RiffChunk[]> {
  if (source.size < 12) {
    throw new HeimdallError(
      'TruncatedFileError',
      `${source.size} bytes is too short for a WAV header`,
      source.name,
    );
  }
  const head = await readExact(source, 0, 12, 'the RIFF header');
  const form = fourcc(head, 0);
  if ((form !== 'RIFF' && form !== 'RF64') || fourcc(head, 8) !== 'WAVE') {
    throw new HeimdallError(
      'CorruptFileError',
      'not a WAV file (no RIFF/WAVE header)',
      source.name,
    );
  }

  let window: Uint8Array = new Uint8Array(0);
  let windowStart = 0;

  const chunks: RiffChunk[] = [];
  /** The largest size of each chunk id so far. */
  const largest = new Map<string, number>();
  let ds64DataSize: number | undefined;
  // Fewer than 8 bytes left cannot hold a chunk header: pad bytes some writers leave at the end.
  for (let pos = 12; pos + 8 <= source.size;) {
    // Headers are read straight from the window, an await only when it moves: a KiwiSDR file has
    // about 1,400 chunks, and an await, a DataView and a string test for each were most of the
    // time its opening took in the worker (issue 12, item 10: drop to heat map).
    if (pos < windowStart || pos + 8 > windowStart + window.length) {
      windowStart = pos;
      window = await source.read(pos, WINDOW_BYTES);
      if (window.length < 8) window = await readExact(source, pos, 8, 'a chunk header');
    }
    const at = pos - windowStart;
    if (!isFourccAt(window, at)) {
      // A KiwiSDR file is kiwi and data chunks to its end: bytes that are no chunk header inside
      // it mean a chunk before claimed the wrong size, and the samples after would be lost unseen.
      const last = chunks[chunks.length - 1];
      if (largest.has('kiwi')) {
        throw new HeimdallError(
          'CorruptFileError',
          `the bytes at ${pos}, ${source.size - pos} before the end of the file, are not a chunk header ` +
            `(the "${last.id}" chunk before them, at byte ${last.bodyOffset - 8}, claims ${last.size} bytes): ` +
            'the KiwiSDR recording is damaged there',
          source.name,
        );
      }
      break;
    }
    const id = fourcc(window, at);
    let size = uint32At(window, at + 4);
    const bodyOffset = pos + 8;
    const rest = source.size - bodyOffset;
    if (id === 'ds64' && size >= 16) {
      const bytes = await readExact(source, bodyOffset, 16, 'the ds64 chunk');
      const body = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      // ds64: RIFF size, then data size, as little-endian 64-bit integers.
      ds64DataSize = Number(body.getBigUint64(8, true));
    }
    // kiwirecorder writes every block's size: a KiwiSDR data chunk claiming none is damaged.
    const streamed = id === 'data' && !largest.has('kiwi');
    if (streamed && size === UNKNOWN_SIZE && ds64DataSize !== undefined) size = ds64DataSize;
    else if (streamed && size === UNKNOWN_SIZE) size = rest;
    else if (
      streamed &&
      size === 0 &&
      rest >= 4 &&
      !isFourcc(fourcc(await source.read(bodyOffset, 4), 0))
    ) {
      size = rest;
    }
    const previous = chunks[chunks.length - 1];
    // A block cut short claims what the blocks before it did; a chunk that claims more is damaged.
    const blockClaim = size <= MAX_CUT_BLOCK_GROWTH * (largest.get(id) ?? size);
    if (
      size > rest &&
      blockClaim &&
      (id === 'kiwi' || (id === 'data' && previous?.id === 'kiwi'))
    ) {
      chunks.push({ id, bodyOffset, size: rest, cutBytes: size - rest });
      break;
    }
    if (size > rest) {
      throw new HeimdallError(
        'TruncatedFileError',
        `the "${id}" chunk at byte ${pos} claims ${size} bytes but only ${rest} remain`,
        source.name,
      );
    }
    if (chunks.length >= MAX_RIFF_CHUNKS) {
      throw new HeimdallError(
        'UnsupportedFormatError',
        `more than ${MAX_RIFF_CHUNKS} chunks; a WAV this fragmented is not read`,
        source.name,
      );
    }
    chunks.push({ id, bodyOffset, size });
    largest.set(id, Math.max(size, largest.get(id) ?? 0));
    pos = bodyOffset + size + (size & 1);
  }
  return chunks;
}
