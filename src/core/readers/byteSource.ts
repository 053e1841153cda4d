import { HeimdallError } from '../errors';

/**
 * Random access to the bytes of one file. Readers only ever read headers and the sample windows
 * asked for, so a multi-gigabyte recording costs no more memory than the window.
 */
export interface ByteSource {
  /** The file name the user gave; used in every error about this file. */
  name: string;
  size: number;
  /**
   * Bytes [offset, offset + length), clipped at the end of the file: near the end the result is
   * shorter than `length` (use `readExact` where a short read is an error).
   */
  read(offset: number, length: number): Promise<Uint8Array>;
}

/** Rejects a negative or fractional byte range: a bug in the caller, not a bad file. */
export function checkRange(offset: number, length: number, name: string): void {
  if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0) {
    throw new HeimdallError('ConfigError', `invalid byte range ${offset}+${length}`, name);
  }
}

/** A Blob or File (browser, or Node 20's global Blob) read through `slice().arrayBuffer()`. */
export function blobSource(blob: Blob, name?: string): ByteSource {
  const fileName = name ?? ('name' in blob && typeof blob.name === 'string' ? blob.name : 'blob');
  return {
    name: fileName,
    size: blob.size,
    async read(offset, length) {
      checkRange(offset, length, fileName);
      const buffer = await blob.slice(offset, Math.min(offset + length, blob.size)).arrayBuffer();
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
