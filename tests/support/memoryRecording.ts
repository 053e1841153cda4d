import type { IqRecording } from '../../src/core/readers/types';

/** An IqRecording over samples in memory (interleaved I/Q), read the way a file reader would be. */
export function memoryRecording(name: string, iq: Float32Array, rateHz: number): IqRecording {
  const n = iq.length / 2;
  return {
    info: {
      name,
      format: 'raw',
      datatype: 'cf32_le',
      sampleRateHz: rateHz,
      totalSamples: n,
      extra: {},
    },
    async readSamples(start, count) {
      if (start + count > n) throw new Error('past the end');
      return iq.slice(2 * start, 2 * (start + count));
    },
  };
}
