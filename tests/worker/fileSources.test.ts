import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { simulateToDirectory } from '../../src/cli/simulateCommand';
import { readExact } from '../../src/core/readers/byteSource';
import { TEST_REGISTRY } from '../../e2e/support/registries';
import { fileSources } from '../../workers/fileSources';
import { connect, serverDouble, type Connected, type ServerDouble } from './harness';

describe('fileSources', () => {
  it('serves ranges of one Blob from a single read of it, each under its own name', async () => {
    const bundle = new Blob([new TextEncoder().encode('DDDmmMdddd')]);
    const read = vi.spyOn(bundle, 'arrayBuffer');
    const parts = [
      { name: 'a', blob: bundle, offsetBytes: 3, sizeBytes: 2 },
      { name: 'b', blob: bundle, offsetBytes: 0, sizeBytes: 3 },
      { name: 'c', blob: bundle, offsetBytes: 6, sizeBytes: 4 },
    ];
    const sources = fileSources(parts, true);
    expect(sources.map((s) => [s.name, s.size])).toEqual([
      ['a', 2],
      ['b', 3],
      ['c', 4],
    ]);
    const text = await Promise.all(
      sources.map(async (s) => new TextDecoder().decode(await s.read(0, s.size))),
    );
    expect(text).toEqual(['mm', 'DDD', 'dddd']);
    expect(read).toHaveBeenCalledTimes(1);
  });

  it('names the part, not the bundle, when a range runs past the end of the Blob', async () => {
    const bundle = new Blob(['0123456789']);
    const [part] = fileSources([
      { name: 'late.sigmf-data', blob: bundle, offsetBytes: 8, sizeBytes: 4 },
    ]);
    await expect(readExact(part, 0, 4, 'samples')).rejects.toMatchObject({
      name: 'TruncatedFileError',
      file: 'late.sigmf-data',
    });
  });

  it('keeps Files and named Blobs as they were', async () => {
    const [file, named] = fileSources([
      new File(['abc'], 'x.wav'),
      { name: 'y.sigmf-meta', blob: new Blob(['{}']) },
    ]);
    expect([file.name, file.size, named.name, named.size]).toEqual(['x.wav', 3, 'y.sigmf-meta', 2]);
  });
});

describe('openFiles with the files as ranges of one bundle (the demo)', () => {
  let dir: string;
  let server: ServerDouble;
  let engine: Connected;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'heimdall-worker-bundle-'));
    await simulateToDirectory({ scenes: 1, seed: 5, out: dir, physics: 'nominal', durationS: 1 });
    server = await serverDouble(TEST_REGISTRY);
    engine = await connect(server.fetch);
  });
  afterAll(async () => {
    await engine.close();
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('opens the same recordings as the files given one by one', async () => {
    const names = (await readdir(dir)).sort();
    const contents = await Promise.all(names.map((n) => readFile(join(dir, n))));
    const bundle = new Blob(contents);
    let offsetBytes = 0;
    const parts = names.map((name, i) => {
      const part = { name, blob: bundle, offsetBytes, sizeBytes: contents[i].length };
      offsetBytes += contents[i].length;
      return part;
    });
    const one = await engine.api.openFiles(
      names.map((name, i) => ({ name, blob: new Blob([contents[i]]) })),
    );
    const ranged = await engine.api.openFiles(parts);
    expect(one.errors).toEqual([]);
    expect(ranged.errors).toEqual([]);
    expect(one.recordings).toHaveLength(3);
    expect(ranged.recordings.map((r) => r.info)).toEqual(one.recordings.map((r) => r.info));
  });
});
