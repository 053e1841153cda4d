import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import { checkRange, type ByteSource } from './byteSource';

/**
 * A file on disk read through one FileHandle (Node only: the browser bundle must never import
 * this module). Close it when done.
 */
export async function nodeFileSource(
  path: string,
): Promise<ByteSource & { close(): Promise<void> }> {
  const handle = await open(path, 'r');
  const { size } = await handle.stat();
  const name = basename(path);
  return {
    name,
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
