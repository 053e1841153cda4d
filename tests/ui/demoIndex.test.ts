import { describe, expect, it } from 'vitest';
import { demoFileNames, demoIndexSchema } from '../../src/ui/demoIndex';

describe('demo index', () => {
  const index = {
    schema: 'heimdall.demo/1',
    seed: 1,
    physics: 'nominal',
    durationS: 0.75,
    scenes: [
      {
        id: 's0',
        captureTime: '2026-01-01T12:00:00Z',
        recordings: ['s0-a', 's0-b'],
        truth: { lat: 45, lon: 8 },
      },
    ],
  };
  it('lists each recording as a meta and data pair', () => {
    expect(demoFileNames(demoIndexSchema.parse(index))).toEqual([
      's0-a.sigmf-meta',
      's0-a.sigmf-data',
      's0-b.sigmf-meta',
      's0-b.sigmf-data',
    ]);
  });
  it('rejects an index of another schema or without recordings', () => {
    expect(() => demoIndexSchema.parse({ ...index, schema: 'x' })).toThrow();
    expect(() =>
      demoIndexSchema.parse({ ...index, scenes: [{ ...index.scenes[0], recordings: [] }] }),
    ).toThrow();
  });
});
