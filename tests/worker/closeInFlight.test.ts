/**
 * Closing recordings while predictions that read them are in flight (the page closes the copy a
 * file dropped again replaced): a request takes its recordings when it arrives, a batch when it
 * starts, so neither fails for a close that came after. An id that was never open still fails
 * its scene with the table's ConfigError, as before.
 *
 * In process, on the engine itself rather than over a MessageChannel: the test holds the only
 * admission slot so that the close lands, deterministically, while the requests wait for it.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simulateToDirectory } from '../../src/cli/simulateCommand';
import { TEST_REGISTRY } from '../../e2e/support/registries';
import { configure } from '../../workers/configure';
import { defaultDeps, Engine } from '../../workers/engine';
import { groupScenes } from '../../workers/groupScenes';
import { openFiles } from '../../workers/openFiles';
import { predictScene } from '../../workers/predict';
import { predictBatch } from '../../workers/predictBatch';
import { prepare } from '../../workers/prepareModel';
import type { PredictRequest } from '../../workers/types';
import { SERVER, serverDouble, uniquePrefix, type ServerDouble } from './harness';

/** Holds the engine's only admission slot until opened, so the requests behind it wait. */
function holdAdmission(engine: Engine) {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  const held = engine.admission.run(() => opened);
  return { open: () => (open(), held) };
}

describe('closing recordings while predictions that read them are in flight', () => {
  let dir: string;
  let server: ServerDouble;
  let engine: Engine;
  let scenes: PredictRequest[];
  /** Each scene located before any close, by scene id. */
  const expected = new Map<string, { lat: number; lon: number }>();

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'heimdall-close-in-flight-'));
    await simulateToDirectory({ scenes: 2, seed: 11, out: dir, physics: 'nominal', durationS: 1 });
    server = await serverDouble(TEST_REGISTRY);
    engine = new Engine({
      ...defaultDeps(),
      fetch: server.fetch,
      storagePrefix: uniquePrefix('close-in-flight'),
    });
    // One scene admitted at a time: the held slot keeps every request waiting.
    configure(engine, { serverUrl: SERVER, epPreference: ['wasm'], maxConcurrentScenes: 1 });
    await prepare(engine, '1.0.0');
  });
  afterAll(async () => {
    await engine.dispose();
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** Opens the simulated files (new ids each time) and returns their two scenes. */
  async function openScenes(): Promise<PredictRequest[]> {
    const names = (await readdir(dir)).sort();
    const files = await Promise.all(
      names.map(async (name) => ({ name, blob: new Blob([await readFile(join(dir, name))]) })),
    );
    const opened = await openFiles(engine, files);
    expect(opened.recordings).toHaveLength(6);
    const grouped = groupScenes(engine, { recordingIds: opened.recordings.map((r) => r.id) });
    expect(grouped.scenes).toHaveLength(2);
    return grouped.scenes.map((s) => ({
      sceneId: s.sceneId,
      recordingIds: s.recordingIds as string[],
    }));
  }

  const idsOf = (requests: PredictRequest[]) =>
    requests.flatMap((r) => ('recordingIds' in r ? r.recordingIds : []));

  beforeAll(async () => {
    scenes = await openScenes();
    for (const scene of scenes) {
      const r = await predictScene(engine, scene, { cache: 'bypass' });
      expected.set(scene.sceneId, { lat: r.lat, lon: r.lon });
    }
  });

  const expectLocated = (got: { sceneId: string; lat: number; lon: number }) => {
    const want = expected.get(got.sceneId)!;
    expect(got.lat).toBeCloseTo(want.lat, 9);
    expect(got.lon).toBeCloseTo(want.lon, 9);
  };

  it('a prediction waiting for its turn reads recordings closed meanwhile', async () => {
    const [scene] = await openScenes();
    const slot = holdAdmission(engine);
    const inFlight = predictScene(engine, scene, { cache: 'bypass' });
    expect(engine.admission.queued).toBe(1);
    expect(engine.recordings.close(idsOf([scene]))).toBe(3);
    await slot.open();
    expectLocated(await inFlight);
    // A request made after the close fails as it always did.
    await expect(predictScene(engine, scene, { cache: 'bypass' })).rejects.toMatchObject({
      name: 'ConfigError',
      message: expect.stringMatching(/^recording rec-\d+ is not open/),
    });
  });

  it("a batch's scenes read recordings closed after it began; an unknown id fails its scene", async () => {
    const opened = await openScenes();
    const unknown = { sceneId: 'unknown', recordingIds: ['rec-999', 'rec-998', 'rec-997'] };
    const slot = holdAdmission(engine);
    // One scene at a time: the later ones have not started when the recordings are closed.
    const batch = predictBatch(engine, [...opened, unknown], undefined, { concurrency: 1 });
    expect(engine.admission.queued).toBe(1);
    expect(engine.recordings.close(idsOf(opened))).toBe(6);
    await slot.open();
    const { items, succeeded, failed } = await batch;
    expect([succeeded, failed]).toEqual([2, 1]);
    for (const item of items.slice(0, 2)) {
      if (!item.ok) throw new Error(`${item.sceneId}: ${item.error.message}`);
      expectLocated(item.result);
    }
    expect(items[2]).toMatchObject({
      ok: false,
      error: {
        name: 'ConfigError',
        message: expect.stringContaining('recording rec-999 is not open'),
      },
    });
  });
});
