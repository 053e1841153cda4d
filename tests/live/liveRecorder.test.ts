import { describe, expect, it } from 'vitest';
import { SigmfRecorder } from '../../src/core/live/sigmfRecorder';
import { blobSource } from '../../src/core/readers/byteSource';
import { openSigmfArchive } from '../../src/core/readers/sigmfArchive';
import { indexTar } from '../../src/core/readers/tar';
import type { Receiver } from '../../src/core/modelMetadata';

const receivers: Receiver[] = [
  { id: 'aquila-giaveno', name: 'Aquila di Giaveno', lat: 45.03, lon: 7.27 },
  { id: 'genova', name: 'Genova', lat: 44.395, lon: 8.956 },
];
const T0 = Date.UTC(2026, 10, 22, 8, 15, 0);

function frame(r: number, k: number, connectionIndex = 1, sequence = k + 1) {
  const iq = new Float32Array(2 * 600);
  for (let j = 0; j < 600; j++) {
    iq[2 * j] = r + (k * 600 + j) / 1e6;
    iq[2 * j + 1] = -iq[2 * j];
  }
  return {
    connectionIndex,
    sequence,
    captureTimeMs: T0 + k * 50,
    sampleRateHz: 12_000,
    centerFrequencyHz: 145e6,
    iq,
  };
}

describe('SigMF recorder', () => {
  it('writes an archive the file view opens: positions, ids, times, frequency, samples, truth', async () => {
    const rec = new SigmfRecorder(receivers, T0, 10e6);
    for (let k = 0; k < 10; k++) rec.push(0, frame(0, k));
    for (let k = 0; k < 4; k++) rec.push(1, frame(1, k));
    // Genova's link dropped: frames 4-6 lost, then a new connection.
    for (let k = 7; k < 10; k++) rec.push(1, frame(1, k, 2, k - 6));
    rec.pushTruth({ timeMs: T0, lat: 44.9, lon: 7.5, keyed: true, kind: 'nbfm' });
    rec.pushTruth({ timeMs: T0 + 200, lat: 44.9, lon: 7.51, keyed: true, kind: 'nbfm' }); // < 1 s: not kept
    expect(rec.seconds).toBeCloseTo(0.5, 9);

    const { name, parts } = rec.archive();
    expect(name).toBe('heimdall-live-20261122T081500Z.sigmf');
    const blob = new Blob(parts);
    const members = await indexTar(blobSource(blob, name));
    expect(members.map((m) => m.path)).toEqual([
      'heimdall-live-20261122T081500Z/heimdall-live-20261122T081500Z-aquila-giaveno.sigmf-meta',
      'heimdall-live-20261122T081500Z/heimdall-live-20261122T081500Z-aquila-giaveno.sigmf-data',
      'heimdall-live-20261122T081500Z/heimdall-live-20261122T081500Z-genova.sigmf-meta',
      'heimdall-live-20261122T081500Z/heimdall-live-20261122T081500Z-genova.sigmf-data',
    ]);

    const { recordings, errors } = await openSigmfArchive(blobSource(blob, name));
    expect(errors).toEqual([]);
    const [giaveno, genova] = recordings;
    expect(giaveno.info).toMatchObject({
      datatype: 'cf32_le',
      sampleRateHz: 12_000,
      centerFrequencyHz: 145e6,
      captureTime: '2026-11-22T08:15:00.000Z',
      geolocation: { lat: 45.03, lon: 7.27, altM: 0 },
      receiverHint: 'aquila-giaveno',
      totalSamples: 6000,
      truth: { lat: 44.9, lon: 7.5, kind: 'nbfm' },
    });
    expect(genova.info.totalSamples).toBe(7 * 600);
    expect(genova.info.extra['core:recorder']).toBe('heimdall-live');
    const samples = await genova.readSamples(2390, 20);
    // Sample 2400 of the file is the first of frame 7 (after the gap).
    expect(samples[0]).toBeCloseTo(1 + (3 * 600 + 590) / 1e6, 7);
    expect(samples[20]).toBeCloseTo(1 + (7 * 600) / 1e6, 7);
  });

  it('marks each gap as a new capture with its own time', () => {
    const rec = new SigmfRecorder(receivers.slice(1), T0, 10e6);
    for (let k = 0; k < 4; k++) rec.push(0, frame(1, k));
    for (let k = 7; k < 10; k++) rec.push(0, frame(1, k, 2, k - 6));
    const [metaFile] = rec.files();
    const meta = JSON.parse(new TextDecoder().decode(metaFile.parts[0]));
    expect(meta.captures).toEqual([
      {
        'core:sample_start': 0,
        'core:frequency': 145e6,
        'core:datetime': '2026-11-22T08:15:00.000Z',
      },
      {
        'core:sample_start': 2400,
        'core:frequency': 145e6,
        'core:datetime': '2026-11-22T08:15:00.350Z',
      },
    ]);
    expect(meta.global['core:geolocation']).toEqual({
      type: 'Point',
      coordinates: [8.956, 44.395, 0],
    });
  });

  it('stops at its size limit and says so', () => {
    const rec = new SigmfRecorder(receivers, T0, 3 * 600 * 8);
    for (let k = 0; k < 5; k++) rec.push(0, frame(0, k));
    expect(rec.full).toBe(true);
    expect(rec.recordedBytes).toBe(3 * 600 * 8);
  });
});
