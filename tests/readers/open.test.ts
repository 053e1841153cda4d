import { describe, expect, it } from 'vitest';
import { openRecording, openRecordings } from '../../src/core/readers/open';
import * as b from './builders';

const meta = b.sigmfMeta({ 'core:datatype': 'ci8', 'core:sample_rate': 12000 });

describe('openRecordings over a mixed set of files', () => {
  it('pairs SigMF by base name and opens archives, WAVs and raw files, whatever their order', async () => {
    const { recordings, errors } = await openRecordings(
      [
        b.source('rx1.sigmf-data', b.i8([1, 2])),
        b.source('capture.cu8', b.u8([1, 2])),
        b.source('rx2.sigmf-meta', meta),
        b.source(
          'bundle.sigmf',
          b.tar([
            { path: 'in/in.sigmf-meta', data: meta },
            { path: 'in/in.sigmf-data', data: b.i8([3, 4]) },
          ]),
        ),
        b.source('rx1.sigmf-meta', meta),
        b.source(
          'plain.wav',
          b.riff(b.fmtChunk({ rateHz: 8000, bits: 16 }), b.chunk('data', b.i16le([5, 6]))),
        ),
        b.source('rx2.sigmf-data', b.i8([7, 8, 9, 10])),
      ],
      { datatype: 'cu8', sampleRateHz: 1e6 },
    );
    expect(errors).toEqual([]);
    expect(recordings.map((r) => [r.info.name, r.info.format, r.info.totalSamples])).toEqual([
      ['rx1.sigmf-data', 'sigmf', 1],
      ['rx2.sigmf-data', 'sigmf', 2],
      ['capture.cu8', 'raw', 1],
      ['bundle.sigmf/in/in.sigmf-data', 'sigmf-archive', 1],
      ['plain.wav', 'wav', 1],
    ]);
  });

  it('a duplicate member is reported and the first one is used', async () => {
    const { recordings, errors } = await openRecordings([
      b.source('d.sigmf-meta', meta),
      b.source('d.sigmf-data', b.i8([1, 2])),
      b.source('d.sigmf-data', b.i8([3, 4])),
    ]);
    expect(recordings).toHaveLength(1);
    b.expectClose(await recordings[0].readSamples(0, 1), [1 / 128, 2 / 128]);
    expect(errors.map((e) => e.error.name)).toEqual(['CorruptFileError']);
  });
});

describe('openRecording (one file)', () => {
  it('half of a SigMF pair names the missing half', async () => {
    await b.expectError(
      openRecording(b.source('half.sigmf-meta', meta)),
      'MissingParameterError',
      'half.sigmf-meta',
      /half\.sigmf-data/,
    );
  });

  it('an archive with several recordings asks for openRecordings', async () => {
    const archive = b.tar([
      { path: 'a.sigmf-meta', data: meta },
      { path: 'a.sigmf-data', data: b.i8([1, 2]) },
      { path: 'b.sigmf-meta', data: meta },
      { path: 'b.sigmf-data', data: b.i8([1, 2]) },
    ]);
    await b.expectError(
      openRecording(b.source('two.sigmf', archive)),
      'ConfigError',
      'two.sigmf',
      /openRecordings/,
    );
  });

  it('an archive with no recording in it is a CorruptFileError', async () => {
    await b.expectError(
      openRecording(b.source('none.sigmf', b.tar([{ path: 'x.txt', data: 'x' }]))),
      'CorruptFileError',
      'none.sigmf',
    );
  });
});
