/**
 * The any-network model (issue 13) in the worker, against the shipped registry: prepared beside
 * production, chosen per scene by the rule the command line uses, equal to the Node loader's
 * output on the same feature code, cached by features and receiver positions, and bad scenes
 * answered with a named error while the rest of a batch goes on.
 */
import { proxy } from 'comlink';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { estimateDifference, nodeReference } from '../../e2e/support/nodeReference';
import { SHIPPED_REGISTRY, versionDir } from '../../e2e/support/registries';
import { simulatedScene } from '../../e2e/support/scenes';
import { windowSamples } from '../../src/core/dsp/logMel';
import { networkGeometry } from '../../src/core/networkFeatures';
import { chooseServing, servingSpec } from '../../src/core/scene/servingModel';
import type { Station } from '../../src/core/scene/types';
import { SceneFeaturizer } from '../../src/core/sceneFeatures';
import { simulateNetworkScene } from '../../src/core/sim/network';
import { NOMINAL } from '../../src/core/sim/physics';
import { loadNodeNetworkModel } from '../../src/node/nodeNetworkModel';
import type { EngineEvent, PredictRequest } from '../../workers/types';
import { caseScene, SERVING_CASES } from '../support/servingCases';
import { connect, serverDouble, type Connected, type ServerDouble } from './harness';

const RATE_HZ = 12000;

/** A shipped fixed-network model's metadata, as onnxruntime-node's reference loads it. */
const readModelMetadata = async (version: string) =>
  (await nodeReference(await versionDir(SHIPPED_REGISTRY, version))).model;

/** A simulated scene on a random network of n receivers, as windows at the model's rate. */
function networkScene(seed: number, n: number) {
  const scene = simulateNetworkScene(seed, 0, {
    physics: NOMINAL,
    sampleRateHz: RATE_HZ,
    samples: 9000,
    nReceivers: n,
  });
  const stations: Station[] = scene.network.receivers.map((r) => ({
    id: r.id,
    lat: r.lat,
    lon: r.lon,
    name: r.name,
  }));
  return { scene, stations, iq: scene.receivers.map((r) => r.iq) };
}

describe('the any-network model in the worker', () => {
  let server: ServerDouble;
  let engine: Connected;

  beforeAll(async () => {
    server = await serverDouble(SHIPPED_REGISTRY);
    engine = await connect(server.fetch);
  });
  afterAll(async () => {
    await engine.close();
    await server.close();
  });

  it('lists 2.0.0 beside 1.x and prepares it beside the production version', async () => {
    const manifest = await engine.api.loadManifest();
    expect(manifest.models.map((m) => m.version)).not.toContain('2.0.0');
    const listed = manifest.networkModels.find((m) => m.version === '2.0.0');
    expect(listed?.serves).toMatchObject({
      kind: 'any-network',
      minReceivers: 2,
      maxReceivers: 12,
    });
    const events: EngineEvent[] = [];
    await engine.api.subscribe(proxy((e: EngineEvent) => void events.push(e)));
    const prepared = await engine.api.prepare();
    expect(prepared.mode).toBe('ab');
    expect(prepared.active.version).toBe('1.1.0');
    // A scene of the fixed network's receivers, given with its stations (as the page sends the
    // demo's), is the fixed model's: answered by it, without waiting for the any-network model.
    const { constellation, preprocessing } = (await readModelMetadata('1.1.0')).metadata;
    const fixed = simulatedScene(5, 0, constellation, preprocessing);
    const onFixed = await engine.api.predictScene({
      sceneId: fixed.sceneId,
      iq: fixed.iq.map((a) => a.slice()),
      stations: constellation.receivers.map((r) => ({ id: r.id, lat: r.lat, lon: r.lon })),
    });
    expect(onFixed.modelVersion).toBe('1.1.0');
    expect(onFixed.receiverIds).toEqual(constellation.receivers.map((r) => r.id));
    // It did not hurry the any-network model either: that one waits for the page's calls to go
    // quiet for a second (workers/quietGate.ts), so it is not in service yet.
    expect(events.filter((e) => e.type === 'model-ready').map((e) => e.version)).toEqual(['1.1.0']);
    // The any-network model comes in the background; a scene of other receivers waits for it.
    const { stations, iq } = networkScene(20, 4);
    const first = await engine.api.predictScene({ sceneId: 'first', iq, stations });
    expect(first.modelVersion).toBe('2.0.0');
    const metrics = await engine.api.metrics();
    expect(metrics.versions.find((v) => v.version === '2.0.0')?.role).toBe('network');
    expect((await engine.api.prepare()).network).toMatchObject({ version: '2.0.0' });
  });

  it('locates a 5-receiver scene with 2.0.0 exactly as the Node loader does, cached by positions', async () => {
    const { stations, iq } = networkScene(21, 5);
    const request = (s: Station[]): PredictRequest => ({
      sceneId: 'five',
      iq: iq.map((a) => a.slice()),
      stations: s,
    });
    const got = await engine.api.predictScene(request(stations));
    expect(got).toMatchObject({ modelVersion: '2.0.0', arm: 'any-network', cache: 'miss' });
    expect(got.receiverIds).toEqual(stations.map((s) => s.id));
    expect(got.levelsDb).toHaveLength(5);

    const node = await loadNodeNetworkModel(await versionDir(SHIPPED_REGISTRY, '2.0.0'));
    const featurizer = new SceneFeaturizer(node.metadata.preprocessing);
    const needed = 2 * windowSamples(node.metadata.preprocessing);
    const logmel = featurizer.modelInput(iq.map((a) => a.subarray(0, needed)));
    const [expected] = (await node.predict([{ logmel, geometry: networkGeometry(stations) }]))
      .estimates;
    expect(estimateDifference(got, expected)).toBeLessThan(1e-4);
    await node.session.release();

    expect((await engine.api.predictScene(request(stations))).cache).toBe('hit');
    // The same recordings at other positions are another input: never the cached answer.
    const moved = stations.map((s) => ({ ...s, lat: s.lat + 0.2 }));
    const elsewhere = await engine.api.predictScene(request(moved));
    expect(elsewhere.cache).toBe('miss');
    expect(elsewhere.lat).not.toBeCloseTo(got.lat, 3);

    const metrics = await engine.api.metrics();
    expect(metrics.versions.find((v) => v.version === '2.0.0')).toMatchObject({
      role: 'network',
      cacheHits: 1,
    });
  });

  it('gives the fixed network, in any order, to the fixed-network model', async () => {
    const manifest = await engine.api.loadManifest();
    const fixed = manifest.models.find((m) => m.version === '1.1.0')!;
    const { iq } = networkScene(22, 3);
    const receivers = [...fixed.constellation.receivers].reverse();
    const shuffled = await engine.api.predictScene({ sceneId: 'fixed', iq, stations: receivers });
    const inOrder = await engine.api.predictScene({
      sceneId: 'fixed-ordered',
      iq: [...iq].reverse(),
    });
    expect(shuffled.modelVersion).toBe('1.1.0');
    expect(shuffled.receiverIds).toEqual(fixed.constellation.receivers.map((r) => r.id));
    expect(shuffled.lat).toBeCloseTo(inOrder.lat, 9);
    // Two of its three receivers are not its network: the any-network model takes them.
    const two = await engine.api.predictScene({
      sceneId: 'fixed-two',
      iq: iq.slice(0, 2),
      stations: receivers.slice(0, 2),
    });
    expect(two.modelVersion).toBe('2.0.0');
  });

  it('names the problem of a bad scene and locates the others of its batch', async () => {
    const { stations, iq } = networkScene(23, 4);
    const good: PredictRequest = { sceneId: 'good', iq, stations };
    const one: PredictRequest = {
      sceneId: 'one',
      iq: iq.slice(0, 1),
      stations: stations.slice(0, 1),
    };
    const twice: PredictRequest = {
      sceneId: 'twice',
      iq: iq.slice(0, 3),
      stations: [stations[0], stations[1], stations[0]],
    };
    const nowhere: PredictRequest = {
      sceneId: 'nowhere',
      iq: iq.slice(0, 2),
      stations: [stations[0], { id: 'ghost', lat: Number.NaN, lon: Number.NaN }],
    };
    const result = await engine.api.predictBatch([good, one, twice, nowhere]);
    const byScene = Object.fromEntries(result.items.map((i) => [i.sceneId, i]));
    expect(byScene.good).toMatchObject({ ok: true, result: { modelVersion: '2.0.0' } });
    expect(byScene.one).toMatchObject({ ok: false, error: { name: 'SceneIncompleteError' } });
    expect(!byScene.one.ok && byScene.one.error.message).toMatch(/1 receiver\(s\).*needs 2 to 12/);
    expect(byScene.twice).toMatchObject({ ok: false, error: { name: 'SceneIncompleteError' } });
    expect(!byScene.twice.ok && byScene.twice.error.message).toMatch(/two recordings of station/);
    expect(byScene.nowhere).toMatchObject({ ok: false, error: { name: 'ReceiverUnknownError' } });
    expect(!byScene.nowhere.ok && byScene.nowhere.error.message).toMatch(/ghost has no position/);
  });

  it("chooses each scene's model by the serving rule of heimdall locate, positions included", async () => {
    const manifest = await engine.api.loadManifest();
    const specs = [
      servingSpec(manifest.models.find((m) => m.version === '1.1.0')!),
      servingSpec(manifest.networkModels.find((m) => m.version === '2.0.0')!),
    ];
    const { iq } = networkScene(25, 5);
    const requests: PredictRequest[] = SERVING_CASES.map((c) => ({
      sceneId: c.name,
      iq: iq.slice(0, c.stations.length).map((a) => a.slice()),
      stations: c.stations,
    }));
    const result = await engine.api.predictBatch(requests);
    for (const [i, c] of SERVING_CASES.entries()) {
      const item = result.items[i];
      let expected: string | null = null;
      try {
        expected = chooseServing(
          caseScene(c),
          specs.map((spec) => ({ spec })),
        ).spec.version;
      } catch {
        expected = null;
      }
      expect(expected === null ? 'none' : expected, c.name).toBe(
        { fixed: '1.1.0', 'any-network': '2.0.0', none: 'none' }[c.withBoth],
      );
      if (expected === null) {
        expect(item, c.name).toMatchObject({ ok: false, error: { name: 'SceneIncompleteError' } });
      } else {
        expect(item, c.name).toMatchObject({ ok: true, result: { modelVersion: expected } });
      }
    }
  });

  it('serves every scene with 2.0.0 when the operator pins it', async () => {
    const pinned = await engine.api.prepare('2.0.0');
    expect(pinned).toMatchObject({ mode: 'pinned', active: { version: '2.0.0' } });
    const { iq } = networkScene(24, 3);
    // No stations: the fixed network's receivers, in its order, located by the pinned model.
    const got = await engine.api.predictScene({ sceneId: 'pinned', iq });
    expect(got).toMatchObject({ modelVersion: '2.0.0', arm: 'pinned' });
    const back = await engine.api.prepare();
    expect(back.network?.version).toBe('2.0.0');
  });

  it('is not prepared in the background when a version is pinned before it starts', async () => {
    // A fresh engine: the A/B prepare schedules the any-network model for when the page's calls
    // go quiet; a version pinned meanwhile serves alone, so that preparation must not install it
    // later (it would also put the pool back in A/B mode).
    const fresh = await connect(server.fetch);
    try {
      expect((await fresh.api.prepare()).network).toBeNull();
      expect(await fresh.api.prepare('1.1.0')).toMatchObject({ mode: 'pinned', network: null });
      // A scene of other receivers hurries the background work and waits for it.
      const { stations, iq } = networkScene(25, 4);
      await expect(fresh.api.predictScene({ sceneId: 'other', iq, stations })).rejects.toThrow();
      const metrics = await fresh.api.metrics();
      expect(metrics.versions.map((v) => v.version)).not.toContain('2.0.0');
      const fixed = await fresh.api.predictScene({ sceneId: 'fixed', iq: iq.slice(0, 3) });
      expect(fixed.arm).toBe('pinned');
    } finally {
      await fresh.close();
    }
  });
});
