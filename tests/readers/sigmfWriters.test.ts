/**
 * Every SigMF metadata writer of the project, checked with the reader's own schema and parser:
 * what one part of the code writes, the file view must read back, field by field.
 */
import { describe, expect, it } from 'vitest';
import { SigmfRecorder } from '../../src/core/live/sigmfRecorder';
import type { RecordingInfo } from '../../src/core/readers/types';
import { metaSchema, parseSigmfMeta } from '../../src/core/readers/sigmfMeta';
import { NOMINAL } from '../../src/core/sim/physics';
import { simulateScene } from '../../src/core/sim/scene';
import { sceneToSigmf, timedRecordingToSigmf } from '../../src/core/sim/sigmfWriter';
import { tdoaSigmfCollection } from '../../src/core/tdoaSigmf';
import { trainingConfig } from '../../training/loadConfig';
import { gaussianResult } from '../tdoaUi/gaussianResult';

/** The reader's schema accepts the text, and the parser finds no problem in it. */
function read(text: string, name: string) {
  const schema = metaSchema.safeParse(JSON.parse(text));
  expect(schema.error?.issues ?? []).toEqual([]);
  return parseSigmfMeta(text, name);
}

describe('SigMF writers against the reader', () => {
  it("the simulator's scenes", () => {
    const { constellation } = trainingConfig();
    const scene = simulateScene(3, 5, {
      constellation,
      physics: NOMINAL,
      sampleRateHz: 12000,
      samples: 500,
    });
    const pairs = sceneToSigmf(scene, constellation);
    expect(pairs).toHaveLength(constellation.receivers.length);
    for (const [i, pair] of pairs.entries()) {
      const rx = constellation.receivers[i];
      const meta = read(pair.meta, `${pair.baseName}.sigmf-meta`);
      expect(meta.codec.datatype).toBe('cf32_le');
      expect(meta.sampleRateHz).toBe(12000);
      expect(meta.receiverHint).toBe(rx.id);
      expect(meta.geolocation).toEqual({ lat: rx.lat, lon: rx.lon, altM: rx.altM ?? 0 });
      expect(meta.centerFrequencyHz).toBe(scene.centerFrequencyHz);
      expect(meta.captureTime).toBe(scene.captureTime);
      expect(meta.truth).toEqual({
        lat: scene.truth.lat,
        lon: scene.truth.lon,
        powerW: scene.truth.powerW,
        kind: scene.truth.kind,
        offsetHz: scene.truth.offsetHz,
      });
    }
  });

  it("the simulator's timed (TDoA) recordings, with and without truth", () => {
    const base = {
      baseName: 'tdoa-1_s1',
      receiverId: 's1',
      position: { lat: 48.1, lon: 11.5, altM: 520 },
      sampleRateHz: 12000,
      centerFrequencyHz: 7.1e6,
      captures: [
        { sampleStart: 0, datetime: '2026-11-22T08:15:00.123456789Z' },
        { sampleStart: 9000, datetime: '2026-11-22T08:15:01Z' },
      ],
      iq: new Int16Array(2 * 12000),
      description: 'timed',
    };
    for (const truth of [undefined, { lat: 48, lon: 11, kind: 'cw', offsetHz: 5, snrDb: 9 }]) {
      const meta = read(timedRecordingToSigmf({ ...base, truth }).meta, 't.sigmf-meta');
      expect(meta.codec.datatype).toBe('ci16_le');
      expect(meta.geolocation).toEqual(base.position);
      expect(meta.receiverHint).toBe('s1');
      expect(meta.captures).toEqual([
        { sampleStart: 0, headerBytes: 0, datetime: base.captures[0].datetime },
        { sampleStart: 9000, headerBytes: 0, datetime: base.captures[1].datetime },
      ]);
      expect(meta.truth).toEqual(truth && { lat: 48, lon: 11, kind: 'cw', offsetHz: 5 });
    }
  });

  it('the live recorder, with a gap and truth points', () => {
    const receivers = [{ id: 'genova', name: 'Genova', lat: 44.395, lon: 8.956 }];
    const t0 = Date.UTC(2026, 10, 22, 8, 15, 0);
    const rec = new SigmfRecorder(receivers, t0, 10e6);
    const push = (k: number, sequence: number) =>
      rec.push(0, {
        connectionIndex: 1,
        sequence,
        captureTimeMs: t0 + k * 100,
        sampleRateHz: 12_000,
        centerFrequencyHz: 145e6,
        iq: new Float32Array(2 * 1200),
      });
    for (let k = 0; k < 12; k++) push(k, k + 1);
    for (let k = 14; k < 20; k++) push(k, k + 1); // frames 12 and 13 lost
    rec.pushTruth({ timeMs: t0, lat: 44.9, lon: 7.5, keyed: true, kind: 'nbfm' });
    rec.pushTruth({ timeMs: t0 + 1200, lat: 44.9, lon: 7.6, keyed: false, kind: 'nbfm' });
    const [metaFile] = rec.files();
    const meta = read(new TextDecoder().decode(metaFile.parts[0] as Uint8Array), metaFile.name);
    expect(meta.geolocation).toEqual({ lat: 44.395, lon: 8.956, altM: 0 });
    expect(meta.receiverHint).toBe('genova');
    expect(meta.centerFrequencyHz).toBe(145e6);
    expect(meta.captures.map((c) => [c.sampleStart, c.datetime])).toEqual([
      [0, '2026-11-22T08:15:00.000Z'],
      [12 * 1200, '2026-11-22T08:15:01.400Z'],
    ]);
    expect(meta.truth).toEqual({ lat: 44.9, lon: 7.5, kind: 'nbfm' });
  });

  it("the TDoA result collection's metadata files", async () => {
    const info = (name: string, extra: Partial<RecordingInfo>): RecordingInfo => ({
      name,
      format: 'wav',
      datatype: 'ci16_le',
      sampleRateHz: 12001.5,
      totalSamples: 120_000,
      extra: {},
      ...extra,
    });
    const files = await tdoaSigmfCollection(gaussianResult({ lat: 50, lon: 9 }, 3), [
      {
        info: info('a.wav', { centerFrequencyHz: 7.1e6, captureTime: '2020-08-13T06:52:20Z' }),
        station: { id: 'A', lat: 46.5, lon: 8.8 },
      },
      { info: info('b.wav', {}), station: { id: 'B', lat: 51.47, lon: 11.98, altM: 90 } },
      { info: info('c.wav', {}) },
    ]);
    const metas = files.filter((f) => f.name.endsWith('.sigmf-meta'));
    expect(metas).toHaveLength(3);
    const [a, b, c] = metas.map((f) => read(f.text, f.name));
    expect(a).toMatchObject({
      sampleRateHz: 12001.5,
      receiverHint: 'A',
      geolocation: { lat: 46.5, lon: 8.8 },
      centerFrequencyHz: 7.1e6,
      captureTime: '2020-08-13T06:52:20Z',
    });
    expect(a.extra['core:metadata_only']).toBe(true);
    expect(b.geolocation).toEqual({ lat: 51.47, lon: 11.98, altM: 90 });
    expect(c.geolocation).toBeUndefined();
    expect(c.captures).toEqual([{ sampleStart: 0, headerBytes: 0 }]);
  });
});
