import { HeimdallError } from '../errors';

/**
 * Random access to the bytes of one file. Readers only ever read headers and the sample windows
 * asked for, so a multi-gigabyte recording costs no more memory than the window.
 */
export interface ByteSource {
  /** The file name the user gave; used in every error about this file. */
  name: string;
  /**
   * Where the file lies (an absolute path), where the platform says (the command line; a dropped
   * File has only its name). Files of one name in different folders are different files: a SigMF
   * pair is matched on this, so each folder's `x.sigmf-meta` goes with its own `x.sigmf-data`.
   */
  path?: string;
  size: number;
  /**
   * Bytes [offset, offset + length), clipped at the end of the file: near the end the result is
   * shorter than `length` (use `readExact` where a short read is an error). The result may be a
   * view of memory the source keeps (blobSource): read it, never write to or transfer it.
   */
  read(offset: number, length: number): Promise<Uint8Array>;
}

/** Rejects a negative or fractional byte range: a bug in the caller, not a bad file. */
export function checkRange(offset: number, length: number, name: string): void {
  if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0) {
    throw new HeimdallError('ConfigError', `invalid byte range ${offset}+${length}`, name);
  }
}

/**
 * Files up to this size are read whole on their first read and served from memory after that.
 * Each `slice().arrayBuffer()` of a dropped File is a round trip to the browser process: a
 * KiwiSDR WAV (a small chunk every 2 kB) takes a few dozen reads to open and locate, which cost
 * about half a second in a trace of a warm TDoA drop on the loaded 2-core machine
 * (scripts/trace-tdoa.ts); one read of a 0.7 MB file costs a few milliseconds.
 */
const WHOLE_FILE_BYTES = 8 * 1024 * 1024;
/** Whole files kept at most (the least recently read go first), whatever the number open. */
const WHOLE_FILES_KEPT_BYTES = 64 * 1024 * 1024;
/** The whole files in memory, least recently read first. */
const wholeFiles = new Map<Blob, Promise<Uint8Array>>();
let wholeFileBytes = 0;

function wholeFile(blob: Blob): Promise<Uint8Array> {
  let bytes = wholeFiles.get(blob);
  if (bytes) {
    wholeFiles.delete(blob);
  } else {
    bytes = blob.arrayBuffer().then((b) => new Uint8Array(b));
    wholeFileBytes += blob.size;
    // A failed read is not kept: the next read tries again and reports its own error.
    bytes.catch(() => {
      if (wholeFiles.get(blob) === bytes) forget(blob);
    });
  }
  wholeFiles.set(blob, bytes);
  for (const [old] of wholeFiles) {
    if (wholeFileBytes <= WHOLE_FILES_KEPT_BYTES || old === blob) break;
    forget(old);
  }
  return bytes;
}

function forget(blob: Blob): void {
  if (wholeFiles.delete(blob)) wholeFileBytes -= blob.size;
}

/**
 * A Blob or File (browser, or Node 20's global Blob) read through `slice().arrayBuffer()`. With
 * `prefetch`, a small file's read starts now instead of at its first use: files opened together
 * are then read at the same time, not one after the other (issue 12, item 10: a trace of a warm
 * three-file drop showed the worker waiting on each file's read in turn). A failed prefetch is
 * not kept: the first real read tries again and reports its own error.
 */
export function blobSource(blob: Blob, name?: string, prefetch = false): ByteSource {
  const fileName = name ?? ('name' in blob && typeof blob.name === 'string' ? blob.name : 'blob');
  if (prefetch && blob.size > 0 && blob.size <= WHOLE_FILE_BYTES) void wholeFile(blob);
  return {
    name: fileName,
    size: blob.size,
    async read(offset, length) {
      checkRange(offset, length, fileName);
      const end = Math.min(offset + length, blob.size);
      if (blob.size <= WHOLE_FILE_BYTES) {
        // A view, not a copy: a fresh buffer per read cost about a millisecond each here (the
        // 64 kB windows a KiwiSDR file is indexed through; issue 12, item 10), and readers only
        // read what they get.
        return end > offset ? (await wholeFile(blob)).subarray(offset, end) : new Uint8Array(0);
      }
      const buffer = await blob.slice(offset, end).arrayBuffer();
      return new Uint8Array(buffer);
    },
  };
}

/** A byte range of another source seen as a file of its own (a member of a tar archive). */
export function sliceSource(
  parent: ByteSource,
  offset: number,
  size: number,
  name: string,
): ByteSource {
  checkRange(offset, size, parent.name);
  return {
    name,
    size,
    async read(start, length) {
      checkRange(start, length, name);
      const end = Math.min(start + length, size);
      if (end <= start) return new Uint8Array(0);
      return parent.read(offset + start, end - start);
    },
  };
}

/**
 * Exactly `length` bytes at `offset`, or a TruncatedFileError saying what was being read: the
 * headers promised bytes the file does not have.
 */
export async function readExact(
  source: ByteSource,
  offset: number,
  length: number,
  what: string,
): Promise<Uint8Array> {
  const bytes =
    offset + length <= source.size ? await source.read(offset, length) : new Uint8Array(0);
  if (bytes.length !== length) {
    throw new HeimdallError(
      'TruncatedFileError',
      `${what} needs bytes ${offset}..${offset + length} but the file has ${source.size} bytes`,
      source.name,
    );
  }
  return bytes;
}
