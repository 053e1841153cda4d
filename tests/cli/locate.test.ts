import { mkdtemp, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { heimdall } from './heimdall';

describe('command line: simulate then locate', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'heimdall-cli-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('locates 20 simulated scenes, one JSON line each, near their truth', async () => {
    const sim = await heimdall([
      'simulate',
      '--scenes',
      '20',
      '--seed',
      '99',
      '--out',
      dir,
      '--duration',
      '0.75',
    ]);
    expect(sim.code, sim.stderr).toBe(0);
    const { readdir } = await import('node:fs/promises');
    const files = (await readdir(dir)).map((f) => join(dir, f));
    expect(files).toHaveLength(120);
    const out = await heimdall(['locate', ...files, '--json']);
    expect(out.code, out.stderr).toBe(0);
    const lines = out.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(20);
    for (const l of lines) {
      expect(l.model).toMatch(/^\d+\.\d+\.\d+$/);
      expect(l.receivers).toEqual(['aquila-giaveno', 'milano-baggio', 'genova']);
      expect(l.ellipses.map((e: { p: number }) => e.p)).toEqual([0.68, 0.95]);
      const [e68, e95] = l.ellipses;
      expect(e95.semiMajorM).toBeGreaterThan(e68.semiMajorM);
      expect(e68.semiMajorM).toBeGreaterThanOrEqual(e68.semiMinorM);
      expect(e68.azimuthDeg).toBeGreaterThanOrEqual(0);
      expect(e68.azimuthDeg).toBeLessThan(180);
      expect(l.lat).toBeGreaterThan(43);
      expect(l.lat).toBeLessThan(47);
    }
  });

  it('reports a corrupt file and an incomplete scene on stderr, still prints the rest, exits non-zero', async () => {
    const { readdir } = await import('node:fs/promises');
    const all = (await readdir(dir)).filter((f) => f.startsWith('s0000')).map((f) => join(dir, f));
    // Scene 0 loses its Genova data file (from the disk too: the meta alone finds it there);
    // scene 1 gets a corrupt Genova meta.
    await unlink(join(dir, 's00000-genova.sigmf-data'));
    const files = all.filter((f) => !f.endsWith('s00000-genova.sigmf-data'));
    await writeFile(join(dir, 's00001-genova.sigmf-meta'), '{ not json');
    const out = await heimdall(['locate', ...files, '--json', '--model', '1.0.0']);
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(/s00000-genova\.sigmf-meta/);
    expect(out.stderr).toMatch(/s00001-genova\.sigmf-meta/);
    const lines = out.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.length).toBe(8);
    expect(lines.every((l) => l.model === '1.0.0')).toBe(true);
  });

  it('refuses an unknown model version with a clear message', async () => {
    const out = await heimdall([
      'locate',
      join(dir, 's00002-genova.sigmf-meta'),
      '--model',
      '9.9.9',
    ]);
    expect(out.code).not.toBe(0);
    expect(out.stderr).toMatch(/9\.9\.9 is not in the registry/);
  });
});
