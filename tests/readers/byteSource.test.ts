import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { blobSource, readExact, sliceSource } from '../../src/core/readers/byteSource';
import { nodeFileSource } from '../../src/node/nodeFileSource';
import { openRecording } from '../../src/core/readers/open';
import * as b from './builders';

const BYTES = Uint8Array.from({ length: 100 }, (_, i) => i);

/** A Blob that counts its whole reads and its slices. */
function countedBlob(bytes: Uint8Array<ArrayBuffer>) {
  const blob = new Blob([bytes]);
  const calls = { whole: 0, slices: 0 };
  const spy = {
    size: blob.size,
    arrayBuffer: () => (calls.whole++, blob.arrayBuffer()),
    slice: (a: number, b: number) => (calls.slices++, blob.slice(a, b)),
  } as unknown as Blob;
  return { spy, calls };
}

describe('byte sources', () => {
  it('blobSource reads ranges, clipped at the end, and takes a File name', async () => {
    const src = blobSource(new File([BYTES], 'x.cu8'));
    expect(src.name).toBe('x.cu8');
    expect(src.size).toBe(100);
    expect([...(await src.read(10, 3))]).toEqual([10, 11, 12]);
    expect([...(await src.read(98, 10))]).toEqual([98, 99]);
    expect((await src.read(200, 10)).length).toBe(0);
    await expect(src.read(-1, 2)).rejects.toThrow(/invalid byte range/);
  });

  it('blobSource reads a small file once and a large one range by range', async () => {
    const counted = (bytes: Uint8Array<ArrayBuffer>) => {
      const { spy, calls } = countedBlob(bytes);
      return { src: blobSource(spy, 'f.wav'), calls };
    };
    const small = counted(BYTES);
    expect([...(await small.src.read(10, 3))]).toEqual([10, 11, 12]);
    expect([...(await small.src.read(98, 10))]).toEqual([98, 99]);
    // Views of the one read, not copies (readers only read what they get).
    const first = await small.src.read(0, 4);
    const later = await small.src.read(50, 2);
    expect(later.buffer).toBe(first.buffer);
    expect([...later]).toEqual([50, 51]);
    expect((await small.src.read(200, 10)).length).toBe(0);
    expect(small.calls).toEqual({ whole: 1, slices: 0 });

    const big = counted(new Uint8Array(9 * 1024 * 1024).fill(7));
    expect([...(await big.src.read(5, 2))]).toEqual([7, 7]);
    expect([...(await big.src.read(1000, 1))]).toEqual([7]);
    expect(big.calls).toEqual({ whole: 0, slices: 2 });
  });

  it("blobSource with prefetch starts a small file's read at once, and reads it only once", async () => {
    const { spy, calls } = countedBlob(BYTES);
    const src = blobSource(spy, 'p.wav', true);
    expect(calls).toEqual({ whole: 1, slices: 0 });
    expect([...(await src.read(3, 2))]).toEqual([3, 4]);
    expect(calls).toEqual({ whole: 1, slices: 0 });
    // A large file is still read range by range, nothing ahead.
    const big = countedBlob(new Uint8Array(9 * 1024 * 1024));
    blobSource(big.spy, 'big.wav', true);
    expect(big.calls.whole).toBe(0);
  });

  it('sliceSource is a window of its parent', async () => {
    const slice = sliceSource(blobSource(new Blob([BYTES]), 'a.sigmf'), 50, 20, 'a.sigmf/m');
    expect(slice.size).toBe(20);
    expect([...(await slice.read(0, 2))]).toEqual([50, 51]);
    expect([...(await slice.read(18, 5))]).toEqual([68, 69]);
  });

  it('readExact names the file and what was being read when bytes are missing', async () => {
    const src = blobSource(new Blob([BYTES]), 'short.bin');
    await b.expectError(
      readExact(src, 90, 20, 'the header'),
      'TruncatedFileError',
      'short.bin',
      /the header/,
    );
  });

  it('nodeFileSource reads a file on disk by ranges and opens recordings', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'heimdall-readers-'));
    try {
      const path = join(dir, 'disk.cs16');
      await writeFile(path, b.i16le([16384, -16384, 8192, -8192]));
      const src = await nodeFileSource(path);
      try {
        expect(src.name).toBe('disk.cs16');
        expect(src.size).toBe(8);
        expect([...(await src.read(6, 10))]).toEqual([0x00, 0xe0]);
        const rec = await openRecording(src, { datatype: 'cs16', sampleRateHz: 1000 });
        b.expectClose(await rec.readSamples(1, 1), [0.25, -0.25]);
      } finally {
        await src.close();
      }
    } finally {
      await rm(dir, { recursive: true });
    }
  });
});
