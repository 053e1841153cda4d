import { describe, expect, it } from 'vitest';
import { openRecordings } from '../../src/core/readers/open';
import { openSigmfPair } from '../../src/core/readers/sigmf';
import * as b from './builders';

// Codes chosen to hit the extremes of each integer type and a few ordinary values.
const CASES = [
  {
    datatype: 'cf32_le',
    codes: [0.5, -0.25, 1, -1, 0.125, 3e-5],
    encode: b.f32le,
    scale: (x: number) => x,
  },
  { datatype: 'cf32_be', codes: [0.5, -0.25, 1, -1], encode: b.f32be, scale: (x: number) => x },
  { datatype: 'cf64_le', codes: [0.1, -0.3, 1e-9, -1], encode: b.f64le, scale: (x: number) => x },
  {
    datatype: 'ci32_le',
    codes: [2147483647, -2147483648, 65536, -1],
    encode: b.i32le,
    scale: (x: number) => x / 2147483648,
  },
  {
    datatype: 'ci16_le',
    codes: [32767, -32768, 0, 1, -1, 1234],
    encode: b.i16le,
    scale: (x: number) => x / 32768,
  },
  {
    datatype: 'ci16_be',
    codes: [32767, -32768, 5, -7],
    encode: b.i16be,
    scale: (x: number) => x / 32768,
  },
  {
    datatype: 'ci8',
    codes: [127, -128, 0, 1, -1, 64],
    encode: b.i8,
    scale: (x: number) => x / 128,
  },
  {
    datatype: 'cu8',
    codes: [255, 0, 127, 128, 1, 200],
    encode: b.u8,
    scale: (x: number) => (x - 127.5) / 127.5,
  },
] as const;

describe('SigMF pair', () => {
  for (const c of CASES) {
    it(`${c.datatype}: samples round-trip with the documented scaling`, async () => {
      const meta = b.source(
        'x.sigmf-meta',
        b.sigmfMeta({ 'core:datatype': c.datatype, 'core:sample_rate': 12000 }),
      );
      const rec = await openSigmfPair(meta, b.source('x.sigmf-data', c.encode(c.codes)));
      expect(rec.info.datatype).toBe(c.datatype);
      expect(rec.info.totalSamples).toBe(c.codes.length / 2);
      b.expectClose(await rec.readSamples(0, c.codes.length / 2), c.codes.map(c.scale), 1e-7);
      // A window in the middle.
      b.expectClose(await rec.readSamples(1, 1), c.codes.slice(2, 4).map(c.scale), 1e-7);
    });
  }

  it('reads rate, centre frequency, time, position, receiver id and truth', async () => {
    const meta = b.sigmfMeta(
      {
        'core:datatype': 'cf32_le',
        'core:sample_rate': 24000,
        'core:geolocation': { type: 'Point', coordinates: [8.5, 47.25, 412] },
        'core:description': 'test',
        'heimdall:receiver_id': 'rx-zurich',
        'heimdall:scene': 'scene-7',
      },
      [
        {
          'core:sample_start': 0,
          'core:frequency': 145.5e6,
          'core:datetime': '2024-03-01T10:20:30.125Z',
        },
      ],
      [
        { 'core:sample_start': 0, 'core:sample_count': 2, 'core:label': 'other' },
        {
          'core:sample_start': 0,
          'core:sample_count': 2,
          'core:label': 'truth',
          'heimdall:truth': {
            lat: 47.1,
            lon: 8.2,
            power_w: 5,
            kind: 'fm',
            offset_hz: -1200,
            snr_db: 12,
          },
        },
      ],
    );
    const { recordings, errors } = await openRecordings([
      b.source('s.sigmf-data', b.f32le([0.1, 0.2, 0.3, 0.4])),
      b.source('s.sigmf-meta', meta),
    ]);
    expect(errors).toEqual([]);
    const info = recordings[0].info;
    expect(info).toMatchObject({
      name: 's.sigmf-data',
      format: 'sigmf',
      sampleRateHz: 24000,
      centerFrequencyHz: 145.5e6,
      captureTime: '2024-03-01T10:20:30.125Z',
      geolocation: { lat: 47.25, lon: 8.5, altM: 412 },
      receiverHint: 'rx-zurich',
      truth: { lat: 47.1, lon: 8.2, powerW: 5, kind: 'fm', offsetHz: -1200 },
      totalSamples: 2,
    });
    expect(info.extra['heimdall:scene']).toBe('scene-7');
    expect(info.extra['core:description']).toBe('test');
    expect((info.extra['heimdall:truth'] as { snr_db: number }).snr_db).toBe(12);
  });

  it('skips the header bytes of non-conforming capture segments', async () => {
    // Two captures of 2 ci8 samples, each preceded by a 3-byte header.
    const meta = b.sigmfMeta({ 'core:datatype': 'ci8', 'core:sample_rate': 1000 }, [
      { 'core:sample_start': 0, 'core:header_bytes': 3 },
      { 'core:sample_start': 2, 'core:header_bytes': 3 },
    ]);
    const data = b.concat(b.u8([9, 9, 9]), b.i8([1, 2, 3, 4]), b.u8([9, 9, 9]), b.i8([5, 6, 7, 8]));
    const rec = await openSigmfPair(b.source('n.sigmf-meta', meta), b.source('n.sigmf-data', data));
    expect(rec.info.totalSamples).toBe(4);
    b.expectClose(
      await rec.readSamples(0, 4),
      [1, 2, 3, 4, 5, 6, 7, 8].map((x) => x / 128),
    );
  });

  it('a first capture that starts beyond the data claims no samples the file does not hold', async () => {
    const meta = b.sigmfMeta({ 'core:datatype': 'ci8', 'core:sample_rate': 1000 }, [
      { 'core:sample_start': 1e9, 'core:datetime': '2024-03-01T10:20:30Z' },
    ]);
    const rec = await openSigmfPair(
      b.source('late.sigmf-meta', meta),
      b.source('late.sigmf-data', b.i8([1, 2, 3, 4])),
    );
    expect(rec.info.totalSamples).toBe(2);
    b.expectClose(
      await rec.readSamples(0, 2),
      [1, 2, 3, 4].map((x) => x / 128),
    );
  });

  it('refuses out-of-range windows', async () => {
    const rec = await openSigmfPair(
      b.source('r.sigmf-meta', b.sigmfMeta({ 'core:datatype': 'ci8', 'core:sample_rate': 1000 })),
      b.source('r.sigmf-data', b.i8([1, 2, 3, 4])),
    );
    await b.expectError(rec.readSamples(1, 2), 'TooShortError', 'r.sigmf-data');
    await b.expectError(rec.readSamples(-1, 1), 'ConfigError', 'r.sigmf-data');
    expect((await rec.readSamples(2, 0)).length).toBe(0);
  });
});

describe('SigMF errors name the file and the problem', () => {
  const data = () => b.source('e.sigmf-data', b.f32le([0, 0, 0, 0]));
  const open = (metaText: string, d = data()) =>
    openSigmfPair(b.source('e.sigmf-meta', metaText), d);

  it('meta that is not JSON', async () => {
    await b.expectError(
      open('RIFF\u0000 definitely not json'),
      'CorruptFileError',
      'e.sigmf-meta',
      /JSON/,
    );
  });
  it('missing sample rate', async () => {
    await b.expectError(
      open(b.sigmfMeta({ 'core:datatype': 'cf32_le' })),
      'CorruptFileError',
      'e.sigmf-meta',
      /core:sample_rate/,
    );
  });
  it('missing datatype', async () => {
    await b.expectError(
      open(b.sigmfMeta({ 'core:sample_rate': 1000 })),
      'CorruptFileError',
      'e.sigmf-meta',
      /core:datatype/,
    );
  });
  it('a bad capture time', async () => {
    const meta = b.sigmfMeta({ 'core:datatype': 'cf32_le', 'core:sample_rate': 1000 }, [
      { 'core:sample_start': 0, 'core:datetime': '2024-03-01 10:20' },
    ]);
    await b.expectError(
      open(meta),
      'CorruptFileError',
      'e.sigmf-meta',
      /captures\[0\]\.core:datetime/,
    );
  });
  it('a capture time on a day that does not exist (30 February), not rolled into March', async () => {
    for (const datetime of [
      '2026-02-30T01:00:01.5Z',
      '2025-02-29T00:00:00Z',
      '2024-04-31T12:00:00Z',
    ]) {
      const meta = b.sigmfMeta({ 'core:datatype': 'cf32_le', 'core:sample_rate': 1000 }, [
        { 'core:sample_start': 0, 'core:datetime': datetime },
      ]);
      await b.expectError(
        open(meta),
        'CorruptFileError',
        'e.sigmf-meta',
        /captures\[0\]\.core:datetime: not a valid date/,
      );
    }
    // A leap day is a day.
    const leap = b.sigmfMeta({ 'core:datatype': 'cf32_le', 'core:sample_rate': 1000 }, [
      { 'core:sample_start': 0, 'core:datetime': '2024-02-29T23:59:59.25Z' },
    ]);
    expect((await open(leap)).info.captureTime).toBe('2024-02-29T23:59:59.25Z');
  });
  it('real-valued datatype is refused by name', async () => {
    const err = await b.expectError(
      open(b.sigmfMeta({ 'core:datatype': 'rf32_le', 'core:sample_rate': 1000 })),
      'UnsupportedFormatError',
      'e.sigmf-meta',
    );
    expect(err.message).toContain('rf32_le');
  });
  it('an unsupported complex datatype is refused by name', async () => {
    await b.expectError(
      open(b.sigmfMeta({ 'core:datatype': 'cu16_le', 'core:sample_rate': 1000 })),
      'UnsupportedFormatError',
      'e.sigmf-meta',
      /cu16_le/,
    );
  });
  it('a datatype that is not SigMF at all', async () => {
    await b.expectError(
      open(b.sigmfMeta({ 'core:datatype': 'complex64', 'core:sample_rate': 1000 })),
      'CorruptFileError',
      'e.sigmf-meta',
      /complex64/,
    );
  });
  it('data whose size contradicts the datatype (ci16 claimed, 7 bytes)', async () => {
    await b.expectError(
      open(
        b.sigmfMeta({ 'core:datatype': 'ci16_le', 'core:sample_rate': 1000 }),
        b.source('e.sigmf-data', b.u8([1, 2, 3, 4, 5, 6, 7])),
      ),
      'TruncatedFileError',
      'e.sigmf-data',
      /ci16_le/,
    );
  });
  it('empty data', async () => {
    await b.expectError(
      open(
        b.sigmfMeta({ 'core:datatype': 'ci16_le', 'core:sample_rate': 1000 }),
        b.source('e.sigmf-data'),
      ),
      'CorruptFileError',
      'e.sigmf-data',
    );
  });
  it('more than one channel', async () => {
    await b.expectError(
      open(
        b.sigmfMeta({
          'core:datatype': 'cf32_le',
          'core:sample_rate': 1000,
          'core:num_channels': 2,
        }),
      ),
      'UnsupportedFormatError',
      'e.sigmf-meta',
    );
  });
  it('a malformed truth annotation', async () => {
    const meta = b.sigmfMeta({ 'core:datatype': 'cf32_le', 'core:sample_rate': 1000 }, undefined, [
      { 'core:sample_start': 0, 'core:label': 'truth', 'heimdall:truth': { lat: 'north' } },
    ]);
    await b.expectError(open(meta), 'CorruptFileError', 'e.sigmf-meta', /heimdall:truth\.lat/);
  });
  it('a meta without its data, and data without its meta', async () => {
    const { recordings, errors } = await openRecordings([
      b.source(
        'lonely.sigmf-meta',
        b.sigmfMeta({ 'core:datatype': 'cf32_le', 'core:sample_rate': 1000 }),
      ),
      b.source('orphan.sigmf-data', b.f32le([0, 0])),
    ]);
    expect(recordings).toEqual([]);
    expect(errors.map((e) => [e.file, e.error.name])).toEqual([
      ['lonely.sigmf-meta', 'MissingParameterError'],
      ['orphan.sigmf-data', 'MissingParameterError'],
    ]);
    expect(errors[0].error.message).toContain('lonely.sigmf-data');
    expect(errors[1].error.message).toContain('orphan.sigmf-meta');
  });
});
