import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { utcMsToGpsTimeOfWeek } from '../../src/core/kiwi/gpsTime';
import { blobSource } from '../../src/core/readers/byteSource';
import { openRecording } from '../../src/core/readers/open';
import * as b from './builders';

const KIWI_NAME = '20231104T120000Z_7040000_dl0abc_iq.wav';

/** kiwirecorder.py layout: per block a 10-byte kiwi chunk then a data chunk of int16 I,Q. */
function kiwiWav(
  blocks: number[][],
  gps: { lastSolution: number; gpsSec: number; gpsNsec: number },
) {
  const chunks = blocks.flatMap((codes, k) => [
    b.chunk('kiwi', b.concat(b.u8([gps.lastSolution, 0]), b.u32le([gps.gpsSec, gps.gpsNsec + k]))),
    b.chunk('data', b.i16le(codes)),
  ]);
  return b.riff(b.fmtChunk({ rateHz: 12001, bits: 16 }), ...chunks);
}

describe('KiwiSDR IQ WAV', () => {
  // Blocks of different lengths so that a window crossing them tests the index.
  const blocks = [
    [1, -1, 2, -2, 3, -3],
    [4, -4],
    [5, -5, 6, -6, 7, -7, 8, -8],
  ];
  const all = blocks.flat();
  const t0 = Date.parse('2023-11-04T12:00:00.7Z');

  it('indexes samples across data chunks and takes time, frequency and station from the name + GPS', async () => {
    const gps = { lastSolution: 2, ...utcMsToGpsTimeOfWeek(t0) };
    const rec = await openRecording(b.source(KIWI_NAME, kiwiWav(blocks, gps)));
    expect(rec.info).toMatchObject({
      format: 'kiwi-wav',
      datatype: 'ci16_le',
      sampleRateHz: 12001,
      centerFrequencyHz: 7040000,
      receiverHint: 'dl0abc',
      totalSamples: 8,
      captureTime: '2023-11-04T12:00:00.700Z',
      extra: { captureTimeSource: 'gps', kiwiChunks: 3, dataChunks: 3, mode: 'iq' },
    });
    b.expectClose(
      await rec.readSamples(0, 8),
      all.map((x) => x / 32768),
    );
    // Windows that start and end inside different chunks.
    b.expectClose(
      await rec.readSamples(2, 3),
      all.slice(4, 10).map((x) => x / 32768),
    );
    b.expectClose(await rec.readSamples(7, 1), [8 / 32768, -8 / 32768]);
  });

  it('keeps the name time when the GPS has no fix', async () => {
    const gps = { lastSolution: 255, ...utcMsToGpsTimeOfWeek(t0) };
    const rec = await openRecording(b.source(KIWI_NAME, kiwiWav(blocks, gps)));
    expect(rec.info.captureTime).toBe('2023-11-04T12:00:00.000Z');
    expect(rec.info.extra.captureTimeSource).toBe('file-name');
  });

  it('a name that kiwirecorder did not generate gives no time or frequency', async () => {
    const rec = await openRecording(
      b.source('my_capture.wav', kiwiWav(blocks, { lastSolution: 0, gpsSec: 1, gpsNsec: 0 })),
    );
    expect(rec.info.format).toBe('kiwi-wav');
    expect(rec.info.captureTime).toBeUndefined();
    expect(rec.info.centerFrequencyHz).toBeUndefined();
  });

  it('reads the file written with kiwirecorder.py struct layout (Python fixture)', async () => {
    const name = '20231104T120000Z_7040000_testkiwi_iq.wav';
    const bytes = readFileSync(new URL(`../fixtures/readers/${name}`, import.meta.url));
    const rec = await openRecording(blobSource(new Blob([bytes]), name));
    expect(rec.info).toMatchObject({
      format: 'kiwi-wav',
      sampleRateHz: 12001,
      totalSamples: 3 * 512,
      receiverHint: 'testkiwi',
      centerFrequencyHz: 7040000,
      captureTime: '2023-11-04T12:00:00.500Z',
      extra: { gps: { lastSolution: 3, gpsSec: 561618, gpsNsec: 500_000_000 } },
    });
    // Samples 510..514 straddle blocks 0 and 1: I = 1000*block + n, Q = -I.
    const expected = [510, 511, 1000, 1001, 1002].flatMap((v) => [v / 32768, -v / 32768]);
    b.expectClose(await rec.readSamples(510, 5), expected, 1e-9);
  });

  it('a file cut inside its last block (recording stopped mid-write) keeps the samples before the cut', async () => {
    const whole = kiwiWav(blocks, { lastSolution: 0, gpsSec: 1, gpsNsec: 0 });
    // Six bytes short: the last block's data chunk keeps 10 of its 16 bytes, two whole samples.
    const rec = await openRecording(b.source(KIWI_NAME, whole.subarray(0, whole.length - 6)));
    expect(rec.info).toMatchObject({ totalSamples: 6, extra: { cutBytes: 6, kiwiChunks: 3 } });
    b.expectClose(
      await rec.readSamples(0, 6),
      all.slice(0, 12).map((x) => x / 32768),
    );
    // Cut inside the last block's kiwi chunk: the blocks before it, all of them.
    const lastBlockBytes = 8 + 10 + 8 + 16;
    const early = await openRecording(
      b.source(KIWI_NAME, whole.subarray(0, whole.length - lastBlockBytes + 12)),
    );
    expect(early.info).toMatchObject({ totalSamples: 4, extra: { cutBytes: 6 } });
    // A plain WAV's data chunk that claims more than the file has stays an error (see below).
  });

  it('a block whose size field lies is named: neither taken for a cut nor for the end of the file', async () => {
    const equal = Array.from({ length: 6 }, (_, k) => [k, -k, k + 1, -k - 1]);
    const whole = kiwiWav(equal, { lastSolution: 0, gpsSec: 1, gpsNsec: 0 });
    // Block 2's kiwi chunk (8 + 10 + 8 + 8 bytes per block after the 36-byte header) and data chunk.
    const kiwiAt = 36 + 2 * 34;
    const dataAt = kiwiAt + 18;
    const lying = (at: number, size: number) => {
      const bytes = Uint8Array.from(whole);
      new DataView(bytes.buffer).setUint32(at + 4, size, true);
      return openRecording(b.source(KIWI_NAME, bytes));
    };
    // Claims beyond the end of the file, far more than a block: not a block cut short.
    await expect(lying(kiwiAt, 0x7fffffff)).rejects.toThrow(
      `${KIWI_NAME}: the "kiwi" chunk at byte ${kiwiAt} claims 2147483647 bytes but only`,
    );
    await expect(lying(dataAt, 0xffffffff)).rejects.toMatchObject({
      name: 'TruncatedFileError',
      message: expect.stringContaining(
        `the "data" chunk at byte ${dataAt} claims 4294967295 bytes`,
      ),
    });
    // Claims that put the next header inside a block: the blocks after it are not dropped unsaid.
    for (const [at, size] of [
      [kiwiAt, 11],
      [kiwiAt, 0],
      [dataAt, 0],
      [dataAt, 12],
    ]) {
      await expect(lying(at, size)).rejects.toMatchObject({
        name: 'CorruptFileError',
        message: expect.stringContaining(
          `at byte ${at}, claims ${size} bytes): the KiwiSDR recording is damaged there`,
        ),
      });
    }
  });
});

describe('auxi and plain IQ WAV', () => {
  const auxi = (centerHz: number) =>
    b.chunk(
      'auxi',
      b.concat(
        b.systemTime('2022-06-30T23:59:58.250Z'),
        b.systemTime('2022-07-01T00:10:00.000Z'),
        b.u32le([centerHz, 0, 0, 0, 0, 0, 0, 0, 0]),
      ),
    );

  it('int16 with auxi: start time and centre frequency', async () => {
    const codes = [100, -200, 32767, -32768];
    const wav = b.riff(
      b.fmtChunk({ rateHz: 48000, bits: 16 }),
      auxi(14_070_000),
      b.chunk('data', b.i16le(codes)),
    );
    const rec = await openRecording(b.source('SDRSharp_capture.wav', wav));
    expect(rec.info).toMatchObject({
      format: 'wav-auxi',
      datatype: 'ci16_le',
      sampleRateHz: 48000,
      centerFrequencyHz: 14_070_000,
      captureTime: '2022-06-30T23:59:58.250Z',
      totalSamples: 2,
      extra: { stopTime: '2022-07-01T00:10:00.000Z' },
    });
    b.expectClose(
      await rec.readSamples(0, 2),
      codes.map((x) => x / 32768),
    );
  });

  it('float32 (WAVE_FORMAT_IEEE_FLOAT) with auxi, plus an odd-sized chunk before the data', async () => {
    const values = [0.5, -0.5, 0.25, -1];
    const wav = b.riff(
      b.fmtChunk({ tag: 3, rateHz: 96000, bits: 32 }),
      b.chunk('LIST', 'odd'),
      auxi(7_100_000),
      b.chunk('data', b.f32le(values)),
    );
    const rec = await openRecording(b.source('HDSDR_capture.wav', wav));
    expect(rec.info).toMatchObject({
      format: 'wav-auxi',
      datatype: 'cf32_le',
      centerFrequencyHz: 7_100_000,
    });
    b.expectClose(await rec.readSamples(0, 2), values);
  });

  it('an auxi chunk that is not the SpectraVue layout is ignored; the SDR# name still gives time and frequency', async () => {
    const wav = b.riff(
      b.fmtChunk({ rateHz: 8000, bits: 16 }),
      b.chunk('auxi', '<xml>not dates</xml>'.padEnd(40)),
      b.chunk('data', b.i16le([1, 2])),
    );
    const rec = await openRecording(b.source('SDRSharp_20231104_120000Z_7100000Hz_IQ.wav', wav));
    expect(rec.info).toMatchObject({
      format: 'wav',
      captureTime: '2023-11-04T12:00:00.000Z',
      centerFrequencyHz: 7_100_000,
    });
  });

  it('24-bit PCM and a data size left unwritten by a streaming writer', async () => {
    // 0x7fffff, -0x800000 and 1 as 24-bit little-endian, then -1.
    const data = b.u8([0xff, 0xff, 0x7f, 0x00, 0x00, 0x80, 0x01, 0x00, 0x00, 0xff, 0xff, 0xff]);
    const wav = b.concat(
      'RIFF',
      b.u32le([0]),
      'WAVE',
      b.fmtChunk({ rateHz: 192000, bits: 24 }),
      'data',
      b.u32le([0xffffffff]),
      data,
    );
    const rec = await openRecording(b.source('stream.wav', wav));
    expect(rec.info).toMatchObject({ format: 'wav', datatype: 'ci24_le', totalSamples: 2 });
    b.expectClose(
      await rec.readSamples(0, 2),
      [0x7fffff / 0x800000, -1, 1 / 0x800000, -1 / 0x800000],
      1e-12,
    );
  });

  it('a .wav that is not RIFF is a CorruptFileError', async () => {
    await b.expectError(
      openRecording(b.source('fake.wav', 'ID3\u0004 an mp3 really'.padEnd(64))),
      'CorruptFileError',
      'fake.wav',
      /RIFF/,
    );
  });

  it('a mono WAV is refused: it holds no IQ', async () => {
    const wav = b.riff(
      b.fmtChunk({ channels: 1, rateHz: 8000, bits: 16 }),
      b.chunk('data', b.i16le([1, 2])),
    );
    await b.expectError(
      openRecording(b.source('mono.wav', wav)),
      'UnsupportedFormatError',
      'mono.wav',
      /2 channels/,
    );
  });

  it('a WAV without fmt, or without samples, is a CorruptFileError', async () => {
    await b.expectError(
      openRecording(b.source('nofmt.wav', b.riff(b.chunk('data', b.i16le([1, 2]))))),
      'CorruptFileError',
      'nofmt.wav',
      /fmt/,
    );
    await b.expectError(
      openRecording(b.source('empty.wav', b.riff(b.fmtChunk({ rateHz: 8000, bits: 16 })))),
      'CorruptFileError',
      'empty.wav',
      /no samples/,
    );
  });

  it('a chunk that claims more bytes than the file has is a TruncatedFileError', async () => {
    const wav = b.riff(
      b.fmtChunk({ rateHz: 8000, bits: 16 }),
      b.chunk('data', b.i16le([1, 2, 3, 4])),
    );
    await b.expectError(
      openRecording(b.source('cut.wav', wav.subarray(0, wav.length - 4))),
      'TruncatedFileError',
      'cut.wav',
    );
    await b.expectError(
      openRecording(b.source('tiny.wav', 'RIFF')),
      'TruncatedFileError',
      'tiny.wav',
    );
  });

  it('a WAV under another name is still recognised by its magic bytes', async () => {
    const wav = b.riff(b.fmtChunk({ rateHz: 8000, bits: 16 }), b.chunk('data', b.i16le([1, 2])));
    const rec = await openRecording(b.source('capture.iq', wav));
    expect(rec.info.format).toBe('wav');
  });
});
