import { constants, type Stats } from 'node:fs';
import { open } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { HeimdallError } from '../core/errors';
import { checkRange, type ByteSource } from '../core/readers/byteSource';

/** What a non-regular file is, for the refusal message. */
export function fileKind(stats: Stats): string {
  if (stats.isDirectory()) return 'a directory';
  if (stats.isFIFO()) return 'a named pipe';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  return 'not a regular file';
}

/**
 * A file on disk read through one FileHandle (Node only: the browser bundle must never import
 * this module). Close it when done.
 *
 * Only regular files are read: a named pipe, a device or a socket could block forever or never
 * end. The open is non-blocking (O_NONBLOCK), because opening a FIFO for reading otherwise waits
 * for a writer before we could even look at what it is; the kind is then checked on the open
 * handle (fstat), so a file swapped between a check and the open cannot slip through.
 */
export async function nodeFileSource(
  path: string,
): Promise<ByteSource & { close(): Promise<void> }> {
  const name = basename(path);
  let handle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EACCES' || code === 'EPERM'
          ? 'permission denied'
          : code === 'EISDIR'
            ? 'is a directory'
            : (code ?? (err as Error).message);
    throw new HeimdallError('CorruptFileError', `cannot be opened (${why})`, name);
  }
  const stats = await handle.stat();
  if (!stats.isFile()) {
    await handle.close();
    throw new HeimdallError(
      'UnsupportedFormatError',
      `is ${fileKind(stats)}, not a regular file; only regular files are read`,
      name,
    );
  }
  const { size } = stats;
  return {
    name,
    path: resolve(path),
    size,
    async read(offset, length) {
      checkRange(offset, length, name);
      const want = Math.max(0, Math.min(length, size - offset));
      const bytes = new Uint8Array(want);
      let filled = 0;
      // A single read may return fewer bytes than asked (the OS is allowed to); loop until done.
      while (filled < want) {
        const { bytesRead } = await handle.read(bytes, filled, want - filled, offset + filled);
        if (bytesRead === 0) break;
        filled += bytesRead;
      }
      return filled === want ? bytes : bytes.subarray(0, filled);
    },
    close: () => handle.close(),
  };
}
