/**
 * Writes a POSIX ustar archive as a list of byte parts (header, the file's own parts, padding, ...)
 * that the browser turns into a Blob without copying the data. Why not a tar library: the npm
 * writers either assemble the whole archive in one array (a second copy of a recording that may be
 * hundreds of MB) or need Node streams. A ustar member is a 512-byte header with octal fields and a
 * checksum, then the data padded to 512 bytes; two zero blocks end the archive (POSIX.1-2008,
 * pax "ustar Interchange Format"). Read back by src/core/readers/tar.ts.
 */
import { HeimdallError } from '../errors';

const BLOCK = 512;

/** Bytes over a plain ArrayBuffer: what Blob accepts. */
export type Bytes = Uint8Array<ArrayBuffer>;
/** ustar's 12-byte octal size field holds at most 8 GiB - 1. */
const MAX_SIZE = 8 ** 11 - 1;

export interface TarEntry {
  /** Path inside the archive, '/'-separated, at most 100 bytes (name field; no prefix needed here). */
  path: string;
  parts: readonly Bytes[];
  /** Modification time, seconds since the epoch. */
  mtimeS: number;
}

function octal(bytes: Uint8Array, offset: number, length: number, value: number): void {
  const text = Math.floor(value)
    .toString(8)
    .padStart(length - 1, '0');
  for (let i = 0; i < length - 1; i++) bytes[offset + i] = text.charCodeAt(i);
  bytes[offset + length - 1] = 0;
}

function ascii(bytes: Uint8Array, offset: number, text: string): void {
  for (let i = 0; i < text.length; i++) bytes[offset + i] = text.charCodeAt(i);
}

function header(path: string, size: number, mtimeS: number): Bytes {
  const name = new TextEncoder().encode(path);
  if (name.length > 100 || name.length === 0) {
    throw new HeimdallError('ConfigError', `tar member name must be 1-100 bytes: ${path}`);
  }
  if (size > MAX_SIZE) throw new HeimdallError('ConfigError', `tar member too large: ${path}`);
  const h = new Uint8Array(BLOCK);
  h.set(name, 0);
  octal(h, 100, 8, 0o644); // mode
  octal(h, 108, 8, 0); // uid
  octal(h, 116, 8, 0); // gid
  octal(h, 124, 12, size);
  octal(h, 136, 12, mtimeS);
  h.fill(0x20, 148, 156); // checksum field counts as spaces while summing
  h[156] = 0x30; // typeflag '0': regular file
  ascii(h, 257, 'ustar\u0000');
  ascii(h, 263, '00');
  let sum = 0;
  for (const b of h) sum += b;
  octal(h, 148, 7, sum); // six digits and a NUL, then the space already there
  return h;
}

/** The archive's parts, in order; new Blob(parts) is the .tar file. */
export function ustarParts(entries: readonly TarEntry[]): Bytes[] {
  const out: Bytes[] = [];
  for (const e of entries) {
    const size = e.parts.reduce((n, p) => n + p.byteLength, 0);
    out.push(header(e.path, size, e.mtimeS), ...e.parts);
    const pad = (BLOCK - (size % BLOCK)) % BLOCK;
    if (pad) out.push(new Uint8Array(pad));
  }
  out.push(new Uint8Array(2 * BLOCK));
  return out;
}
