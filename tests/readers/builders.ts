/** Byte-level builders for reader fixtures: every test file is made here, in memory. */
import { expect } from 'vitest';
import { blobSource, type ByteSource } from '../../src/core/readers/byteSource';

import { concat, u16le, u32le, type Part } from '../support/bytes';

export {
  concat,
  f32be,
  f32le,
  f64le,
  i16be,
  i16le,
  i32le,
  i8,
  u16le,
  u32le,
  u8,
  type Part,
} from '../support/bytes';

export function source(name: string, ...parts: Part[]): ByteSource {
  return blobSource(new Blob([concat(...parts)]), name);
}

/** Wraps a source and counts what is read through it. */
export function counting(inner: ByteSource): ByteSource & { bytesRead: number; reads: number } {
  const counted = {
    name: inner.name,
    size: inner.size,
    bytesRead: 0,
    reads: 0,
    async read(offset: number, length: number) {
      const bytes = await inner.read(offset, length);
      counted.bytesRead += bytes.length;
      counted.reads += 1;
      return bytes;
    },
  };
  return counted;
}

export function sigmfMeta(
  global: Record<string, unknown>,
  captures: Record<string, unknown>[] = [{ 'core:sample_start': 0 }],
  annotations: Record<string, unknown>[] = [],
): string {
  return JSON.stringify({ global: { 'core:version': '1.2.0', ...global }, captures, annotations });
}

// --- tar (POSIX ustar) -------------------------------------------------------------------

function octal(value: number, width: number): string {
  return value.toString(8).padStart(width - 1, '0') + '\0';
}

function tarHeader(path: string, size: number, type = '0'): Uint8Array {
  const h = new Uint8Array(512);
  const put = (at: number, text: string) => h.set(new TextEncoder().encode(text), at);
  put(0, path);
  put(100, octal(0o644, 8));
  put(108, octal(0, 8));
  put(116, octal(0, 8));
  put(124, octal(size, 12));
  put(136, octal(1700000000, 12));
  put(148, '        ');
  put(156, type);
  put(257, 'ustar\0');
  put(263, '00');
  const sum = h.reduce((a, b) => a + b, 0);
  put(148, sum.toString(8).padStart(6, '0') + '\0 ');
  return h;
}

export function tar(members: { path: string; data: Part }[]): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const m of members) {
    const data = concat(m.data);
    parts.push(
      tarHeader(m.path, data.length),
      data,
      new Uint8Array((512 - (data.length % 512)) % 512),
    );
  }
  parts.push(new Uint8Array(1024));
  return concat(...parts);
}

// --- WAV -------------------------------------------------------------------------------------

export function chunk(id: string, body: Part): Uint8Array<ArrayBuffer> {
  const b = concat(body);
  return concat(id, u32le([b.length]), b, b.length % 2 ? new Uint8Array(1) : new Uint8Array(0));
}

export function fmtChunk(opts: {
  tag?: number;
  channels?: number;
  rateHz: number;
  bits: number;
}): Uint8Array {
  const channels = opts.channels ?? 2;
  const align = (channels * opts.bits) / 8;
  return chunk(
    'fmt ',
    concat(
      u16le([opts.tag ?? 1, channels]),
      u32le([opts.rateHz, opts.rateHz * align]),
      u16le([align, opts.bits]),
    ),
  );
}

export function riff(...chunks: Uint8Array[]): Uint8Array {
  const body = concat('WAVE', ...chunks);
  return concat('RIFF', u32le([body.length]), body);
}

/** A SYSTEMTIME: year, month, day of week, day, hour, minute, second, millisecond. */
export function systemTime(iso: string): Uint8Array {
  const t = new Date(iso);
  return u16le([
    t.getUTCFullYear(),
    t.getUTCMonth() + 1,
    t.getUTCDay(),
    t.getUTCDate(),
    t.getUTCHours(),
    t.getUTCMinutes(),
    t.getUTCSeconds(),
    t.getUTCMilliseconds(),
  ]);
}

// --- assertions ------------------------------------------------------------------------------

/** Asserts a rejection with this error name whose message names the file. */
export async function expectError(
  promise: Promise<unknown>,
  name: string,
  file: string,
  message?: RegExp,
) {
  const err = await promise.then(
    () => expect.unreachable(`expected ${name} about ${file}`),
    (e: unknown) => e as Error,
  );
  expect(err.name).toBe(name);
  expect(err.message).toContain(file);
  if (message) expect(err.message).toMatch(message);
  return err;
}

export function expectClose(
  actual: Float32Array,
  expected: readonly number[],
  tolerance = 0,
): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    if (Math.abs(actual[i] - expected[i]) > tolerance) {
      expect.fail(`value ${i}: ${actual[i]} != ${expected[i]} (tolerance ${tolerance})`);
    }
  }
}
