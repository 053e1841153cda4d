import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { staleBuildReason } from '../../server/buildIfNeeded';

let root: string;
afterEach(() => rm(root, { recursive: true, force: true }));

/** Sets a file's modification time to `secondsAgo` before now. */
const age = (path: string, secondsAgo: number) => {
  const t = new Date(Date.now() - secondsAgo * 1000);
  return utimes(path, t, t);
};

describe('staleBuildReason', () => {
  it('asks for a build when dist/index.html is missing, or a source under src/ is newer', async () => {
    root = await mkdtemp(join(tmpdir(), 'heimdall-project-'));
    const dist = join(root, 'dist');
    expect(await staleBuildReason(root, dist)).toMatch(/index\.html is missing/);

    await mkdir(join(root, 'src', 'deep', 'er'), { recursive: true });
    await mkdir(dist);
    const source = join(root, 'src', 'deep', 'er', 'x.ts');
    await writeFile(source, 'export {}');
    await writeFile(join(root, 'index.html'), '<!doctype html>');
    await writeFile(join(dist, 'index.html'), '<!doctype html>');
    for (const p of [
      source,
      join(root, 'src', 'deep', 'er'),
      join(root, 'src', 'deep'),
      join(root, 'src'),
      join(root, 'index.html'),
    ]) {
      await age(p, 100);
    }
    await age(join(dist, 'index.html'), 50);
    expect(await staleBuildReason(root, dist)).toBeNull();

    await age(source, 10);
    expect(await staleBuildReason(root, dist)).toBe('src changed after the last build');
    await age(source, 100);
    await age(join(root, 'index.html'), 1);
    expect(await staleBuildReason(root, dist)).toBe('index.html changed after the last build');
  });
});
