import { describe, expect, it } from 'vitest';
import { sigmfSampleTiming } from '../../src/core/tdoa/sigmfTiming';

describe('sigmfSampleTiming', () => {
  it('says when its timed captures start beyond its samples (not that it has no core:datetime)', () => {
    const datetime = '2024-03-01T10:20:30Z';
    expect(sigmfSampleTiming([{ sampleStart: 1e9, datetime }], 1000, 2)).toEqual({
      ok: false,
      reason:
        'its captures with core:datetime start at sample 1000000000, beyond its 2 samples: the time of its samples is unknown',
    });
    expect(sigmfSampleTiming([], 1000, 2)).toEqual({
      ok: false,
      reason: 'no core:datetime in its captures: the time of its samples is unknown',
    });
    expect(sigmfSampleTiming([{ sampleStart: 0, datetime }], 1000, 2).ok).toBe(true);
  });
});
