import { describe, expect, it } from 'vitest';
import type { RecordingInfo } from '../../src/core/readers/types';
import {
  autoWithoutGrouping,
  groupTdoaScenes,
  hasSampleTime,
  tdoaGrouping,
  tdoaRunKey,
} from '../../src/state/tdoaScenes';

function kiwi(name: string, start: string, seconds = 30, f = 77500): RecordingInfo {
  return {
    name,
    format: 'kiwi-wav',
    datatype: 'ci16_le',
    sampleRateHz: 12001,
    centerFrequencyHz: f,
    captureTime: start,
    totalSamples: Math.round(seconds * 12001),
    extra: { kiwiChunks: Math.round((seconds * 12001) / 512) },
  };
}
const rec = (id: string, info: RecordingInfo) => ({ id, info });

describe('TDoA scenes from the open recordings', () => {
  it('groups overlapping recordings of one frequency, 1-2 s apart as kiwirecorder starts them', () => {
    const scenes = groupTdoaScenes([
      rec('a', kiwi('a_iq.wav', '2020-08-13T06:52:20Z')),
      rec('b', kiwi('b_iq.wav', '2020-08-13T06:52:21Z')),
      rec('c', kiwi('c_iq.wav', '2020-08-13T06:52:22Z')),
    ]);
    expect(scenes).toHaveLength(1);
    expect(scenes[0].recordingIds).toEqual(['a', 'b', 'c']);
    expect(scenes[0].auto).toBe(true);
    expect(scenes[0].id).toBe('2020-08-13T06:52:20.000Z 77500 Hz');
  });

  it("keeps apart other frequencies, other times and spans that overlap under the solver's 2 s", () => {
    const scenes = groupTdoaScenes([
      rec('a', kiwi('a', '2020-08-13T06:52:20Z')),
      rec('b', kiwi('b', '2020-08-13T06:52:21Z', 30, 10_000_000)),
      rec('c', kiwi('c', '2020-08-13T06:52:49Z')), // 1 s of overlap with a
      rec('d', kiwi('d', '2020-08-13T07:52:20Z')),
    ]);
    expect(scenes).toHaveLength(0);
  });

  it('says why a recording that overlaps others is in no scene; one alone in time is not listed', () => {
    const { scenes, leftOut } = tdoaGrouping([
      rec('a', kiwi('a', '2020-08-13T06:52:20Z')),
      rec('b', kiwi('b', '2020-08-13T06:52:21Z')),
      rec('f', kiwi('f', '2020-08-13T06:52:21Z', 30, 82_500)),
      rec('c', kiwi('c', '2020-08-13T06:52:49.5Z')), // 0.5 s with a, 1.5 s with b
      rec('d', kiwi('d', '2020-08-13T07:52:20Z')),
    ]);
    expect(scenes.map((s) => s.recordingIds)).toEqual([['a', 'b']]);
    expect(leftOut).toEqual([
      {
        recordingId: 'f',
        name: 'f',
        reason:
          "centre frequency 82500 Hz differs from the other recordings' 77500 Hz (a, at the same time)",
      },
      {
        recordingId: 'c',
        name: 'c',
        reason: 'overlaps the other recordings by only 1.5 s (need 2 s)',
      },
    ]);
  });

  it('groups a station that overlaps the others by 8 s, as the command line does (the solver takes 2 s)', () => {
    const scenes = groupTdoaScenes([
      rec('a', kiwi('a', '2020-08-13T06:52:20Z', 14)),
      rec('b', kiwi('b', '2020-08-13T06:52:20Z')),
      rec('c', kiwi('c', '2020-08-13T06:52:26Z', 24)), // 8 s of overlap with a
    ]);
    expect(scenes.map((s) => s.recordingIds)).toEqual([['a', 'b', 'c']]);
  });

  it('takes SigMF with a capture time, not WAVs without GPS stamps; model scenes wait to be asked', () => {
    const sigmf = (name: string): RecordingInfo => ({
      ...kiwi(name, '2024-01-01T00:00:00Z'),
      format: 'sigmf',
      extra: {},
    });
    const plain: RecordingInfo = { ...kiwi('p', '2024-01-01T00:00:00Z'), format: 'wav' };
    expect(hasSampleTime(sigmf('s'))).toBe(true);
    expect(hasSampleTime(plain)).toBe(false);
    expect(hasSampleTime({ ...kiwi('k', '2024-01-01T00:00:00Z'), extra: {} })).toBe(false);
    const scenes = groupTdoaScenes(
      [rec('s1', sigmf('s1')), rec('s2', sigmf('s2')), rec('p', plain)],
      new Set(['s1', 's2']),
    );
    expect(scenes).toHaveLength(1);
    expect(scenes[0].recordingIds).toEqual(['s1', 's2']);
    expect(scenes[0].auto).toBe(false);
  });

  it('starts KiwiSDR scenes without waiting for the model grouping, SigMF ones only after it', () => {
    const sigmf = (name: string): RecordingInfo => ({
      ...kiwi(name, '2020-08-13T06:52:20Z'),
      format: 'sigmf',
      extra: {},
    });
    const recordings = [
      rec('k1', kiwi('k1', '2020-08-13T06:52:20Z')),
      rec('k2', kiwi('k2', '2020-08-13T06:52:21Z')),
      rec('s1', sigmf('s1')),
      rec('s2', sigmf('s2')),
    ];
    // Whatever the model places, a scene with a KiwiSDR member is located by itself.
    for (const placed of [new Set<string>(), new Set(['k1', 'k2', 's1', 's2'])]) {
      const [scene] = groupTdoaScenes(recordings.slice(0, 2), placed);
      expect(scene.auto).toBe(true);
      expect(autoWithoutGrouping(scene, recordings)).toBe(true);
    }
    const [sigmfScene] = groupTdoaScenes(recordings.slice(2));
    expect(sigmfScene.auto).toBe(true);
    expect(autoWithoutGrouping(sigmfScene, recordings)).toBe(false);
  });

  it('keys a run by its recordings in any order', () => {
    const [s] = groupTdoaScenes([
      rec('b', kiwi('b', '2020-08-13T06:52:20Z')),
      rec('a', kiwi('a', '2020-08-13T06:52:20Z')),
    ]);
    expect(tdoaRunKey(s)).toBe('a,b');
  });
});
