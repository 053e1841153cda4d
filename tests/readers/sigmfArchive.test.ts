import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { blobSource } from '../../src/core/readers/byteSource';
import { openRecording, openRecordings } from '../../src/core/readers/open';
import { indexTar } from '../../src/core/readers/tar';
import * as b from './builders';

const fixtures = new URL('../fixtures/readers/', import.meta.url);
const fixture = (name: string) =>
  blobSource(new Blob([readFileSync(new URL(name, fixtures))]), name);

const meta = (rateHz: number) =>
  b.sigmfMeta({ 'core:datatype': 'ci16_le', 'core:sample_rate': rateHz });

describe('SigMF archive (.sigmf tar)', () => {
  it('exposes every meta/data pair as a recording, read in place', async () => {
    const archive = b.tar([
      { path: 'a/a.sigmf-meta', data: meta(1000) },
      { path: 'a/a.sigmf-data', data: b.i16le([1, 2, 3, 4, 5, 6]) },
      { path: 'README.md', data: 'ignored' },
      { path: 'b/b.sigmf-data', data: b.i16le([-7, 8]) },
      { path: 'b/b.sigmf-meta', data: meta(2000) },
    ]);
    const src = b.counting(b.source('two.sigmf', archive));
    const { recordings, errors } = await openRecordings([src]);
    expect(errors).toEqual([]);
    expect(
      recordings.map((r) => [r.info.name, r.info.format, r.info.sampleRateHz, r.info.totalSamples]),
    ).toEqual([
      ['two.sigmf/a/a.sigmf-data', 'sigmf-archive', 1000, 3],
      ['two.sigmf/b/b.sigmf-data', 'sigmf-archive', 2000, 1],
    ]);
    b.expectClose(
      await recordings[0].readSamples(1, 2),
      [3, 4, 5, 6].map((x) => x / 32768),
    );
    b.expectClose(await recordings[1].readSamples(0, 1), [-7 / 32768, 8 / 32768]);
  });

  it('a truncated archive is a TruncatedFileError', async () => {
    const whole = b.tar([
      { path: 'a.sigmf-meta', data: meta(1000) },
      { path: 'a.sigmf-data', data: b.i16le(new Array(600).fill(1)) },
    ]);
    // Cut inside the data member (header at 512 + meta padded to 512, data starts at 1536).
    await b.expectError(
      openRecording(b.source('cut.sigmf', whole.subarray(0, 1536 + 700))),
      'TruncatedFileError',
      'cut.sigmf',
    );
    // Cut inside a header block.
    await b.expectError(
      openRecording(b.source('cut2.sigmf', whole.subarray(0, 1024 + 100))),
      'TruncatedFileError',
      'cut2.sigmf',
    );
  });

  it('a .sigmf that is not a tar is a CorruptFileError', async () => {
    await b.expectError(
      openRecording(b.source('fake.sigmf', '{"global": {}}'.padEnd(600, ' '))),
      'CorruptFileError',
      'fake.sigmf',
    );
  });

  it('a bad pair inside is reported without hiding the good one', async () => {
    const archive = b.tar([
      { path: 'ok.sigmf-meta', data: meta(1000) },
      { path: 'ok.sigmf-data', data: b.i16le([1, 2]) },
      { path: 'bad.sigmf-meta', data: 'not json' },
      { path: 'bad.sigmf-data', data: b.i16le([1, 2]) },
      { path: 'alone.sigmf-meta', data: meta(1) },
    ]);
    const { recordings, errors } = await openRecordings([b.source('mixed.sigmf', archive)]);
    expect(recordings.map((r) => r.info.name)).toEqual(['mixed.sigmf/ok.sigmf-data']);
    expect(errors.map((e) => [e.file, e.error.name])).toEqual([
      ['mixed.sigmf/alone.sigmf-meta', 'MissingParameterError'],
      ['mixed.sigmf/bad.sigmf-meta', 'CorruptFileError'],
    ]);
  });

  it('reads archives written by Python tarfile in PAX format (long names in pax headers)', async () => {
    const members = await indexTar(fixture('two_pairs_pax.sigmf'));
    expect(members.map((m) => m.path)).toContain(
      `a-recording-folder-with-a-rather-long-name-${'x'.repeat(60)}/rec0.sigmf-data`,
    );
    const { recordings, errors } = await openRecordings([fixture('two_pairs_pax.sigmf')]);
    expect(errors).toEqual([]);
    expect(recordings).toHaveLength(2);
    for (const [k, rec] of recordings.entries()) {
      expect(rec.info).toMatchObject({
        sampleRateHz: 48000 + k,
        receiverHint: `rx-${k}`,
        centerFrequencyHz: 7.04e6,
        captureTime: '2023-11-04T12:00:00.250Z',
        totalSamples: 64,
      });
      const iq = await rec.readSamples(10, 5);
      const expected = [10, 11, 12, 13, 14].flatMap((n) =>
        [100 * n + k, -(100 * n + k) - 1].map((x) => x / 32768),
      );
      b.expectClose(iq, expected, 1e-9);
    }
  });

  it('reads archives written by Python tarfile in GNU format (long names in L records)', async () => {
    const rec = await openRecording(fixture('gnu_longname.sigmf'));
    expect(rec.info.name).toBe(`gnu_longname.sigmf/${'g'.repeat(120)}.sigmf-data`);
    b.expectClose(
      await rec.readSamples(63, 1),
      [(6300 + 2) / 32768, (-(6300 + 2) - 1) / 32768],
      1e-9,
    );
  });
});
