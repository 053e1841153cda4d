/**
 * Why the command line leaves a recording out of every scene (src/core/tdoa/groupScenes.ts,
 * whyAlone): the reason names the problem and the recording it was measured against.
 */
import { describe, expect, it } from 'vitest';
import type { RecordingInfo } from '../../src/core/readers/types';
import { groupSimultaneous, timedSpan, whyAlone } from '../../src/core/tdoa/groupScenes';

function info(name: string, startS: number, durationS: number, freqHz = 77_500): RecordingInfo {
  return {
    name,
    format: 'kiwi-wav',
    sampleRateHz: 12_000,
    totalSamples: durationS * 12_000,
    centerFrequencyHz: freqHz,
    captureTime: new Date(Date.UTC(2026, 0, 1) + startS * 1000).toISOString(),
    extra: {},
  } as RecordingInfo;
}

const spans = (list: RecordingInfo[]) => list.map((i) => timedSpan(i.name, i)!);

describe('whyAlone', () => {
  it('a recording overlapping the others by less than the solver needs', () => {
    const s = spans([info('a', 0, 30), info('b', 1, 30), info('c', 29.5, 30)]);
    expect(groupSimultaneous(s).map((g) => g.map((m) => m.item))).toEqual([['a', 'b'], ['c']]);
    expect(whyAlone(s[2], s)).toBe('overlaps the other recordings by only 1.5 s (need 2 s)');
  });

  it('one that overlaps one member by enough and another by too little names the latter', () => {
    const s = spans([info('a', 0, 30), info('b', 20, 30), info('c', 29, 30)]);
    expect(groupSimultaneous(s).map((g) => g.map((m) => m.item))).toEqual([['a', 'b'], ['c']]);
    expect(whyAlone(s[2], s)).toBe(
      'overlaps a by only 1.0 s (need 2 s with every recording of its scene)',
    );
  });

  it('another centre frequency at the same time, and nothing to say for a recording alone in time', () => {
    const s = spans([
      info('a', 0, 30),
      info('b', 1, 30),
      info('c', 2, 30, 82_500),
      info('d', 100, 30),
    ]);
    expect(whyAlone(s[2], s)).toBe(
      "centre frequency 82500 Hz differs from the other recordings' 77500 Hz (a, at the same time)",
    );
    expect(whyAlone(s[3], s)).toBeUndefined();
  });
});
