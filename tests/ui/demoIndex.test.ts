import { describe, expect, it } from 'vitest';
import { demoFileNames, demoFiles, demoIndexSchema } from '../../src/ui/demoIndex';

describe('demo index', () => {
  const index = {
    schema: 'heimdall.demo/2',
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
    // Placed out of order: the bundle's layout is the index's, not the names' order.
    files: [
      { name: 's0-a.sigmf-data', offsetBytes: 0, sizeBytes: 3 },
      { name: 's0-a.sigmf-meta', offsetBytes: 3, sizeBytes: 2 },
      { name: 's0-b.sigmf-meta', offsetBytes: 5, sizeBytes: 1 },
      { name: 's0-b.sigmf-data', offsetBytes: 6, sizeBytes: 4 },
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
  it('cuts each file out of the bundle where the index places it', async () => {
    const bundle = new Blob([new TextEncoder().encode('DDDmmMdddd')]);
    const files = demoFiles(demoIndexSchema.parse(index), bundle);
    expect(files.map((f) => f.name)).toEqual(demoFileNames(demoIndexSchema.parse(index)));
    const text = (f: (typeof files)[number]) =>
      f.blob.slice(f.offsetBytes, f.offsetBytes + f.sizeBytes).text();
    expect(files.every((f) => f.blob === bundle)).toBe(true);
    expect(await Promise.all(files.map(text))).toEqual(['mm', 'DDD', 'M', 'dddd']);
  });
  it('names the file that the index does not place or that runs past the bundle', () => {
    const parsed = demoIndexSchema.parse(index);
    expect(() =>
      demoFiles({ ...parsed, files: parsed.files.slice(1) }, new Blob(['x'.repeat(10)])),
    ).toThrow(/places no s0-a\.sigmf-data/);
    expect(() => demoFiles(parsed, new Blob(['x'.repeat(9)]))).toThrow(
      /s0-b\.sigmf-data ends at byte 10, the bundle at 9/,
    );
  });
  it('rejects an index of another schema or without recordings', () => {
    expect(() => demoIndexSchema.parse({ ...index, schema: 'heimdall.demo/1' })).toThrow();
    expect(() =>
      demoIndexSchema.parse({ ...index, scenes: [{ ...index.scenes[0], recordings: [] }] }),
    ).toThrow();
  });
});
