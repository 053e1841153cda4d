/**
 * Work and memory a reader spends are bounded whatever a header claims: the bounds of
 * src/core/readers/limits.ts, each with the input that once broke it.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { resamplerHalfWidth } from '../../src/core/dsp/resample';
import type { ByteSource } from '../../src/core/readers/byteSource';
import { MAX_META_BYTES, MAX_SIGMF_CAPTURES } from '../../src/core/readers/limits';
import { nodeFileSource } from '../../src/node/nodeFileSource';
import { openSigmfPair } from '../../src/core/readers/sigmf';
import { parseSigmfMeta } from '../../src/core/readers/sigmfMeta';
import * as b from './builders';

describe('bounded work', () => {
  it('a resampler for a rate with many exact phases stays small (12000/9999996 once took 670 MB)', () => {
    const before = process.memoryUsage().arrayBuffers;
    // gcd(9999996, 12000) = 12: 1000 exact phases of ~84k taps each, had they been tabulated.
    expect(resamplerHalfWidth(9_999_996, 12_000)).toBeGreaterThan(40_000);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(64 * 2 ** 20);
  });

  it('metadata larger than the bound is refused before a byte of it is read', async () => {
    let bytesRead = 0;
    const huge: ByteSource = {
      name: 'huge.sigmf-meta',
      size: MAX_META_BYTES + 1,
      async read(_offset, length) {
        bytesRead += length;
        return new Uint8Array(0);
      },
    };
    await b.expectError(
      openSigmfPair(huge, b.source('huge.sigmf-data', b.i16le([1, 2]))),
      'CorruptFileError',
      'huge.sigmf-meta',
      /too large/,
    );
    expect(bytesRead).toBe(0);
  });

  it('more capture segments than the bound are refused', () => {
    const captures = Array.from({ length: MAX_SIGMF_CAPTURES + 1 }, (_, i) => ({
      'core:sample_start': i,
    }));
    const text = b.sigmfMeta({ 'core:datatype': 'ci16_le', 'core:sample_rate': 12000 }, captures);
    expect(() => parseSigmfMeta(text, 'many.sigmf-meta')).toThrow(/capture segments/);
  });

  it('a named pipe is refused at once, not waited on (opening it blocked)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'heimdall-fifo-'));
    try {
      const fifo = join(dir, 'x.wav');
      await promisify(execFile)('mkfifo', [fifo]);
      await b.expectError(nodeFileSource(fifo), 'UnsupportedFormatError', 'x.wav', /named pipe/);
      await b.expectError(
        nodeFileSource(dir),
        'UnsupportedFormatError',
        'heimdall-fifo-',
        /directory/,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
