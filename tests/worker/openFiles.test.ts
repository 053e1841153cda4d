import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { locate } from '../../src/cli/locateCommand';
import { simulateToDirectory } from '../../src/cli/simulateCommand';
import { TEST_REGISTRY } from '../../e2e/support/registries';
import { connect, serverDouble, type Connected, type ServerDouble } from './harness';

interface CliLine {
  scene: string;
  lat: number;
  lon: number;
  model: string;
  ellipses: { p: number; semiMajorM: number; semiMinorM: number }[];
}

/** Runs `heimdall locate --json` in process and returns its JSON lines. */
async function cliLocate(files: string[], model: string): Promise<CliLine[]> {
  const lines: string[] = [];
  const spy = vi.spyOn(console, 'log').mockImplementation((line: string) => void lines.push(line));
  try {
    expect(await locate(files, { registry: TEST_REGISTRY, model, json: true })).toBe(0);
  } finally {
    spy.mockRestore();
  }
  return lines.map((l) => JSON.parse(l) as CliLine);
}

describe('openFiles + groupScenes + predictScene by recording ids', () => {
  let dir: string;
  let files: string[];
  let server: ServerDouble;
  let engine: Connected;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'heimdall-worker-files-'));
    await simulateToDirectory({ scenes: 2, seed: 11, out: dir, physics: 'nominal', durationS: 1 });
    files = (await readdir(dir)).sort().map((f) => join(dir, f));
    server = await serverDouble(TEST_REGISTRY);
    engine = await connect(server.fetch);
    await engine.api.prepare('1.0.0');
  });
  afterAll(async () => {
    await engine.close();
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  const named = async (path: string) => ({
    name: path.slice(path.lastIndexOf('/') + 1),
    blob: new Blob([await readFile(path)]),
  });

  it('opens SigMF pairs, groups them into scenes and locates them as the command line does', async () => {
    const opened = await engine.api.openFiles([
      ...(await Promise.all(files.map(named))),
      { name: 'notes.txt', blob: new Blob(['hello']) },
    ]);
    expect(opened.recordings).toHaveLength(6);
    expect(opened.errors).toHaveLength(1);
    expect(opened.errors[0]).toMatchObject({ name: 'UnsupportedFormatError', file: 'notes.txt' });

    const grouped = await engine.api.groupScenes();
    expect(grouped.errors).toEqual([]);
    expect(grouped.scenes).toHaveLength(2);
    expect(
      grouped.scenes.every((s) => s.complete && s.recordingIds.every((id) => id !== null)),
    ).toBe(true);

    const expected = await cliLocate(files, '1.0.0');
    expect(expected).toHaveLength(2);
    for (const scene of grouped.scenes) {
      const got = await engine.api.predictScene({
        sceneId: scene.sceneId,
        recordingIds: scene.recordingIds as string[],
      });
      const cli = expected.find((l) => l.scene === scene.sceneId)!;
      expect(cli).toBeDefined();
      expect(got.modelVersion).toBe(cli.model);
      // The command line prints 6 decimals of degrees and 0.1 m; the tolerance is far above both.
      expect(Math.abs(got.lat - cli.lat)).toBeLessThan(1e-4);
      expect(Math.abs(got.lon - cli.lon)).toBeLessThan(1e-4);
      got.ellipses.forEach((e, i) =>
        expect(Math.abs(e.semiMajorM - cli.ellipses[i].semiMajorM) / e.semiMajorM).toBeLessThan(
          1e-4,
        ),
      );
    }
  });

  it('lets an operator override which receiver a recording belongs to', async () => {
    const before = await engine.api.groupScenes();
    const [first] = before.scenes;
    const [a, b] = first.recordingIds as string[];
    // Swap two receivers by hand: the scene then lists them the other way round.
    const swapped = await engine.api.groupScenes({
      recordingIds: first.recordingIds as string[],
      overrides: { [a]: first.receiverIds[1], [b]: first.receiverIds[0] },
    });
    expect(swapped.scenes[0].recordingIds.slice(0, 2)).toEqual([b, a]);
  });

  it('names the problem when a scene lacks a receiver or a recording id is unknown', async () => {
    const { scenes } = await engine.api.groupScenes();
    const ids = scenes[0].recordingIds as string[];
    await expect(
      engine.api.predictScene({ sceneId: 's', recordingIds: ids.slice(0, 2) }),
    ).rejects.toMatchObject({
      name: 'SceneIncompleteError',
    });
    await expect(
      engine.api.predictScene({ sceneId: 's', recordingIds: [ids[0], ids[1], 'rec-999'] }),
    ).rejects.toMatchObject({
      name: 'ConfigError',
      message: expect.stringContaining('rec-999'),
    });
    expect(await engine.api.closeFiles([ids[0]])).toBe(1);
    await expect(
      engine.api.predictScene({ sceneId: 's', recordingIds: ids }),
    ).rejects.toMatchObject({ name: 'ConfigError' });
  });
});
