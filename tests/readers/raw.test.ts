import { describe, expect, it } from 'vitest';
import { openRecording, openRecordings } from '../../src/core/readers/open';
import * as b from './builders';

const PARAMS = { datatype: 'cu8', sampleRateHz: 2_400_000 } as const;

describe('headerless raw IQ', () => {
  it('.cu8 (rtl_sdr), .cs16 and .cf32 round-trip; the extension names the datatype', async () => {
    const cu8 = await openRecording(b.source('a.cu8', b.u8([0, 255, 127, 128])), {
      ...PARAMS,
      datatype: 'cf32',
    });
    expect(cu8.info).toMatchObject({
      format: 'raw',
      datatype: 'cu8',
      sampleRateHz: 2_400_000,
      totalSamples: 2,
    });
    b.expectClose(await cu8.readSamples(0, 2), [-1, 1, -0.5 / 127.5, 0.5 / 127.5], 1e-7);

    const cs16 = await openRecording(b.source('a.cs16', b.i16le([-32768, 16384])), PARAMS);
    expect(cs16.info.datatype).toBe('ci16_le');
    b.expectClose(await cs16.readSamples(0, 1), [-1, 0.5]);

    const cf32 = await openRecording(b.source('a.cf32', b.f32le([0.1, -0.2, 0.3, -0.4])), PARAMS);
    expect(cf32.info.datatype).toBe('cf32_le');
    b.expectClose(await cf32.readSamples(1, 1), [0.3, -0.4], 1e-7);
  });

  it('.raw and .iq take the datatype, rate, frequency and time from the parameters', async () => {
    const rec = await openRecording(b.source('capture.iq', b.i16le([1, 2, 3, 4])), {
      datatype: 'cs16',
      sampleRateHz: 250_000,
      centerFrequencyHz: 433.92e6,
      captureTime: '2024-05-01T08:00:00+02:00',
    });
    expect(rec.info).toMatchObject({
      datatype: 'ci16_le',
      sampleRateHz: 250_000,
      centerFrequencyHz: 433.92e6,
      captureTime: '2024-05-01T06:00:00.000Z',
      totalSamples: 2,
    });
  });

  it('without parameters: MissingParameterError naming what is missing', async () => {
    await b.expectError(
      openRecording(b.source('a.cu8', b.u8([1, 2]))),
      'MissingParameterError',
      'a.cu8',
      /sampleRateHz/,
    );
    await b.expectError(
      openRecording(b.source('a.raw', b.u8([1, 2]))),
      'MissingParameterError',
      'a.raw',
      /datatype.*sampleRateHz/,
    );
    await b.expectError(
      openRecording(b.source('a.cf32', b.f32le([1, 2])), {
        datatype: 'cf32',
        sampleRateHz: Number.NaN,
      }),
      'MissingParameterError',
      'a.cf32',
      /sampleRateHz/,
    );
  });

  it('a size that is not a whole number of samples, an empty file, a time without a zone', async () => {
    await b.expectError(
      openRecording(b.source('odd.cs16', b.u8([1, 2, 3])), PARAMS),
      'TruncatedFileError',
      'odd.cs16',
    );
    await b.expectError(
      openRecording(b.source('empty.cf32'), PARAMS),
      'CorruptFileError',
      'empty.cf32',
    );
    await b.expectError(
      openRecording(b.source('t.cu8', b.u8([1, 2])), {
        ...PARAMS,
        captureTime: '2024-05-01T08:00:00',
      }),
      'ConfigError',
      't.cu8',
      /zone/,
    );
  });

  it('unknown and compressed files are refused by name', async () => {
    await b.expectError(
      openRecording(b.source('notes.txt', 'hello')),
      'UnsupportedFormatError',
      'notes.txt',
    );
    await b.expectError(
      openRecording(b.source('x.sigmf.gz', b.u8([0x1f, 0x8b, 8, 0]))),
      'UnsupportedFormatError',
      'x.sigmf.gz',
      /gzip/,
    );
  });

  it('one bad file never prevents the others', async () => {
    const { recordings, errors } = await openRecordings(
      [
        b.source('good.cu8', b.u8([1, 2, 3, 4])),
        b.source('bad.cs16', b.u8([1])),
        b.source('notes.txt', 'x'),
        b.source('good2.cf32', b.f32le([0, 0])),
      ],
      PARAMS,
    );
    expect(recordings.map((r) => r.info.name)).toEqual(['good.cu8', 'good2.cf32']);
    expect(errors.map((e) => [e.file, e.error.name])).toEqual([
      ['bad.cs16', 'TruncatedFileError'],
      ['notes.txt', 'UnsupportedFormatError'],
    ]);
  });
});
