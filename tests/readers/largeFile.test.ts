import { describe, expect, it } from 'vitest';
import { blobSource } from '../../src/core/readers/byteSource';
import { openRecordings } from '../../src/core/readers/open';
import * as b from './builders';

const LARGE_BYTES = 50 * 1024 * 1024;
const WINDOW = 10_000;
// What may be read besides the window: headers, one 64 KiB RIFF chunk window, the SigMF metadata.
const OVERHEAD_BYTES = 70 * 1024;

/**
 * `header` then 50 MB in which byte k of the sample area holds k mod 256, so a window's content
 * proves where in the file it came from.
 */
function large(name: string, header: Uint8Array<ArrayBuffer> = new Uint8Array(0)) {
  const mb = new Uint8Array(1024 * 1024);
  for (let i = 0; i < mb.length; i++) mb[i] = i & 0xff;
  const blob = new Blob([
    header,
    ...new Array<Uint8Array<ArrayBuffer>>(LARGE_BYTES / mb.length).fill(mb),
  ]);
  return b.counting(blobSource(blob, name));
}

describe('reading a window of a large file reads only that window', () => {
  it('raw cu8, an 8-bit WAV and a cu8 SigMF pair, each 50 MB', async () => {
    const wavHeader = b.concat(
      b.riff(b.fmtChunk({ rateHz: 48000, bits: 8 })),
      'data',
      b.u32le([LARGE_BYTES]),
    );
    const sources = [
      large('big.cu8'),
      large('big.wav', wavHeader),
      large('big.sigmf-data'),
      b.counting(
        b.source(
          'big.sigmf-meta',
          b.sigmfMeta({ 'core:datatype': 'cu8', 'core:sample_rate': 1e6 }),
        ),
      ),
    ];
    const { recordings, errors } = await openRecordings(sources, {
      datatype: 'cu8',
      sampleRateHz: 2.4e6,
    });
    expect(errors).toEqual([]);
    expect(recordings.map((r) => [r.info.format, r.info.totalSamples])).toEqual([
      ['sigmf', LARGE_BYTES / 2],
      ['raw', LARGE_BYTES / 2],
      ['wav', LARGE_BYTES / 2],
    ]);
    const total = () => sources.reduce((n, s) => n + s.bytesRead, 0);
    for (const rec of recordings) {
      const start = LARGE_BYTES / 4 + 3;
      const before = total();
      const iq = await rec.readSamples(start, WINDOW);
      expect(total() - before).toBe(2 * WINDOW);
      const code = (x: number) => Math.round(x * 127.5 + 127.5);
      expect(code(iq[0])).toBe((2 * start) % 256);
      expect(code(iq[2 * WINDOW - 1])).toBe((2 * (start + WINDOW) - 1) % 256);
    }
    for (const s of sources) expect(s.bytesRead).toBeLessThan(2 * WINDOW + OVERHEAD_BYTES);
  });
});
