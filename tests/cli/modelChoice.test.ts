/**
 * `heimdall locate` picks each scene's model by the one serving rule (src/core/scene/servingModel.ts)
 * that the worker and the live relay follow: the same cases, through the CLI's own ModelChoice
 * over the shipped registry's models, and end to end with a recording whose own position puts it
 * away from the fixed receiver its metadata names.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHIPPED_REGISTRY } from '../../e2e/support/registries';
import { locateModels } from '../../src/cli/anyNetworkLocate';
import { ModelChoice } from '../../src/cli/modelChoice';
import type { RecordingRef } from '../../src/cli/recordingScan';
import { fromLocalOffset } from '../../src/core/geodesy';
import type { Scene } from '../../src/core/scene/types';
import { caseScene, FIXED_NETWORK, SERVING_CASES } from '../support/servingCases';
import { heimdall, jsonLines } from './heimdall';

describe('command line: the model of each scene, by the serving rule', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'heimdall-choice-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('ModelChoice over the shipped models picks as the rule does on every case', async () => {
    const models = await locateModels(SHIPPED_REGISTRY);
    const choice = new ModelChoice(models.fixed, models.network);
    for (const c of SERVING_CASES) {
      const scene = caseScene(c) as unknown as Scene<RecordingRef>;
      let version = 'none';
      try {
        version = choice.pick(scene).spec.version;
      } catch (err) {
        expect((err as Error).name, c.name).toBe('SceneIncompleteError');
      }
      expect(version, c.name).toBe(
        { fixed: '1.1.0', 'any-network': '2.0.0', none: 'none' }[c.withBoth],
      );
    }
  });

  it('gives a recording that names genova but was made 40 km from it to the any-network model', async () => {
    const sim = await heimdall([
      'simulate',
      '--scenes',
      '2',
      '--seed',
      '5',
      '--out',
      dir,
      '--duration',
      '0.75',
    ]);
    expect(sim.code, sim.stderr).toBe(0);
    const files = (await readdir(dir)).map((f) => join(dir, f));
    const metaOf = (scene: string, id: string) =>
      files.find((f) => f.includes(scene) && f.includes(id) && f.endsWith('.sigmf-meta'))!;
    // Scene 1's genova recording says (SigMF core:geolocation) it was made 40 km south.
    const moved = metaOf('s00001', 'genova');
    const meta = JSON.parse(await readFile(moved, 'utf8'));
    const genova = FIXED_NETWORK.receivers.find((r) => r.id === 'genova')!;
    const there = fromLocalOffset(genova, 0, -40_000);
    meta.global['core:geolocation'].coordinates = [there.lon, there.lat, 0];
    await writeFile(moved, JSON.stringify(meta));

    const out = await heimdall(['locate', ...files, '--json']);
    expect(out.code, out.stderr).toBe(0);
    const lines = jsonLines(out.stdout) as unknown as { model: string; receivers: string[] }[];
    expect(lines).toHaveLength(2);
    const [asIs, elsewhere] = lines;
    expect(asIs).toMatchObject({ model: '1.1.0' });
    expect(asIs.receivers).toEqual(FIXED_NETWORK.receivers.map((r) => r.id));
    expect(elsewhere).toMatchObject({ model: '2.0.0' });
    expect([...elsewhere.receivers].sort()).toEqual(['aquila-giaveno', 'genova', 'milano-baggio']);
  });
});
