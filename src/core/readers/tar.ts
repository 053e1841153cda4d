import { HeimdallError } from '../errors';
import { readExact, type ByteSource } from './byteSource';
import { MAX_TAR_EXTENDED_HEADER_BYTES, MAX_TAR_MEMBERS } from './limits';

/** A regular file inside a tar archive: where its bytes lie in the archive. */
export interface TarMember {
  path: string;
  offset: number;
  size: number;
}

/*
 * Why a hand-written index rather than a tar library: the npm tar readers consume a stream from
 * the first byte and pass every member's contents through, which for a multi-gigabyte .sigmf
 * archive means reading the whole file. A tar is a chain of 512-byte headers, each followed by
 * its member's data padded to 512 bytes, so we read only the headers (one small slice each) and
 * jump over the data. Covered: POSIX ustar (name + prefix), pax extended headers ('x': path,
 * size), GNU long names ('L') and GNU base-256 sizes, which is what Python's tarfile (used by
 * sigmf-python), GNU tar and bsdtar write for regular files.
 */
const BLOCK = 512;

function cString(bytes: Uint8Array, from: number, length: number): string {
  const field = bytes.subarray(from, from + length);
  const end = field.indexOf(0);
  return new TextDecoder().decode(end < 0 ? field : field.subarray(0, end));
}

/** A numeric header field: octal text, or GNU base-256 when the top bit of the first byte is set. */
function numberField(bytes: Uint8Array, from: number, length: number): number {
  if (bytes[from] & 0x80) {
    let value = bytes[from] & 0x7f;
    for (let i = 1; i < length; i++) value = value * 256 + bytes[from + i];
    return value;
  }
  const text = cString(bytes, from, length).trim();
  return text === '' ? 0 : parseInt(text, 8);
}

function checksumOk(header: Uint8Array): boolean {
  let sum = 0;
  // The checksum is computed with its own 8-byte field taken as spaces.
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : header[i];
  const stored = numberField(header, 148, 8);
  return stored === sum;
}

/** pax records: "<length> <key>=<value>\n", length counting the whole record. */
function parsePax(bytes: Uint8Array): Map<string, string> {
  const text = new TextDecoder().decode(bytes);
  const records = new Map<string, string>();
  let at = 0;
  while (at < text.length) {
    const space = text.indexOf(' ', at);
    const digits = space < 0 ? '' : text.slice(at, space);
    // Every record moves `at` forward by at least its own "<length> " prefix, so this ends.
    const length = /^\d{1,9}$/.test(digits) ? Number(digits) : 0;
    if (length <= digits.length + 1) break;
    const record = text.slice(space + 1, at + length - 1);
    const eq = record.indexOf('=');
    if (eq > 0) records.set(record.slice(0, eq), record.slice(eq + 1));
    at += length;
  }
  return records;
}

/**
 * A pax `size` record: decimal digits only (a sign, a fraction, an exponent or a size beyond
 * 2^53 is refused, never acted on: "size=-1536" once walked the archive backwards forever).
 */
function paxSize(value: string, at: number, archive: string): number {
  const size = /^\d{1,16}$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(size)) {
    throw new HeimdallError(
      'CorruptFileError',
      `the pax header at byte ${at} gives size "${value.slice(0, 40)}", not a byte count`,
      archive,
    );
  }
  return size;
}

/** The regular files of a tar archive, read header by header (never the members' contents). */
export async function indexTar(source: ByteSource): Promise<TarMember[]> {
  const members: TarMember[] = [];
  let nextPath: string | undefined;
  let nextSize: number | undefined;
  for (let pos = 0; pos < source.size;) {
    const header = await readExact(source, pos, BLOCK, `the tar header at byte ${pos}`);
    // End of archive: a zero block (two are written; one is enough to stop).
    if (header.every((b) => b === 0)) break;
    if (!checksumOk(header)) {
      throw new HeimdallError(
        'CorruptFileError',
        pos === 0
          ? 'not a tar archive (bad header checksum)'
          : `the tar header at byte ${pos} is corrupt`,
        source.name,
      );
    }
    const isUstar = cString(header, 257, 6).startsWith('ustar');
    const prefix = isUstar ? cString(header, 345, 155) : '';
    const name = cString(header, 0, 100);
    const path = nextPath ?? (prefix ? `${prefix}/${name}` : name);
    const size = nextSize ?? numberField(header, 124, 12);
    const type = String.fromCharCode(header[156]);
    const dataOffset = pos + BLOCK;
    if (!Number.isSafeInteger(size) || size < 0) {
      throw new HeimdallError(
        'CorruptFileError',
        `the tar header at byte ${pos} gives no valid size`,
        source.name,
      );
    }
    if (dataOffset + size > source.size) {
      throw new HeimdallError(
        'TruncatedFileError',
        `tar member "${path}" needs ${size} bytes from byte ${dataOffset} but the archive has ${source.size}`,
        source.name,
      );
    }
    if (type === 'x' || type === 'L') {
      if (size > MAX_TAR_EXTENDED_HEADER_BYTES) {
        throw new HeimdallError(
          'CorruptFileError',
          `the tar extended header at byte ${pos} claims ${size} bytes (at most ${MAX_TAR_EXTENDED_HEADER_BYTES} are read)`,
          source.name,
        );
      }
      const body = await readExact(
        source,
        dataOffset,
        size,
        `the tar extended header at byte ${pos}`,
      );
      if (type === 'L') {
        nextPath = cString(body, 0, body.length);
      } else {
        const pax = parsePax(body);
        const paxPath = pax.get('path');
        const size = pax.get('size');
        if (paxPath !== undefined) nextPath = paxPath;
        if (size !== undefined) nextSize = paxSize(size, pos, source.name);
      }
    } else {
      // '0' and NUL are regular files ('7' is contiguous, also regular); the rest are skipped.
      if (type === '0' || type === '\0' || type === '7') {
        if (members.length >= MAX_TAR_MEMBERS) {
          throw new HeimdallError(
            'UnsupportedFormatError',
            `the archive holds more than ${MAX_TAR_MEMBERS} files; at most that many are read`,
            source.name,
          );
        }
        members.push({ path, offset: dataOffset, size });
      }
      nextPath = undefined;
      nextSize = undefined;
    }
    pos = dataOffset + Math.ceil(size / BLOCK) * BLOCK;
  }
  return members;
}
