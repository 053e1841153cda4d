/**
 * indexRiff on files of many small chunks (a KiwiSDR WAV has one every 2 kB), whose headers
 * straddle the 64 kB windows it reads them through: the same chunks as a walk over the whole
 * file written here, and few reads.
 */
import { describe, expect, it } from 'vitest';
import { indexRiff } from '../../src/core/readers/riff';
import { chunk, counting, fmtChunk, riff, source } from './builders';

/** Every chunk of a RIFF file in memory, walked header by header (no windows). */
function walk(bytes: Uint8Array): { id: string; bodyOffset: number; size: number }[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = [];
  for (let pos = 12; pos + 8 <= bytes.length;) {
    const id = String.fromCharCode(...bytes.subarray(pos, pos + 4));
    const size = view.getUint32(pos + 4, true);
    out.push({ id, bodyOffset: pos + 8, size });
    pos += 8 + size + (size & 1);
  }
  return out;
}

describe('indexRiff', () => {
  it('indexes thousands of small chunks across its read windows, odd sizes padded', async () => {
    const chunks = [fmtChunk({ rateHz: 12000, bits: 16 })];
    for (let k = 0; k < 1500; k++) {
      chunks.push(chunk('kiwi', new Uint8Array(10).fill(k & 0xff)));
      // Sizes that put headers at every offset within a window, some odd (a pad byte follows).
      chunks.push(chunk('data', new Uint8Array(2048 + (k % 7))));
    }
    const bytes = riff(...chunks);
    const src = counting(source('many.wav', bytes));
    const got = await indexRiff(src);
    expect(got).toEqual(walk(bytes));
    expect(got).toHaveLength(3001);
    // One read per 64 kB window (and the header), not one per chunk.
    expect(src.reads).toBeLessThan(bytes.length / 60_000 + 3);
  });

  it('stops at bytes that are not a chunk header, and rejects a chunk longer than the file', async () => {
    const good = riff(fmtChunk({ rateHz: 8000, bits: 16 }), chunk('data', new Uint8Array(8)));
    const junk = new Uint8Array([...good, 0x01, 0x02, 0x03, 0x04, 0, 0, 0, 0]);
    expect((await indexRiff(source('junk.wav', junk))).map((c) => c.id)).toEqual(['fmt ', 'data']);
    const long = riff(fmtChunk({ rateHz: 8000, bits: 16 }), chunk('LIST', new Uint8Array(4)));
    long[long.length - 8] = 0xff; // the LIST chunk now claims 255 bytes
    await expect(indexRiff(source('long.wav', long))).rejects.toMatchObject({
      name: 'TruncatedFileError',
    });
  });
});
