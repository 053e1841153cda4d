import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chooseArm, hashFraction } from '../../workers/abRouter';
import { sha256Hex } from '../../workers/hashing';
import { noiseScene } from '../../e2e/support/scenes';
import { TEST_REGISTRY } from '../../e2e/support/registries';
import preprocessing from '../../training/preprocessing.json';
import type { Preprocessing } from '../../src/core/modelMetadata';
import {
  connect,
  registryRig,
  serverDouble,
  type Connected,
  type RegistryRig,
  type ServerDouble,
} from './harness';

const P = preprocessing as Preprocessing;
const scene = (i: number) => {
  const s = noiseScene(5, i, 3, P);
  return { sceneId: s.sceneId, iq: s.iq };
};

describe('chooseArm', () => {
  it('splits hashes in proportion to the weights', async () => {
    const n = 20_000;
    let staging = 0;
    for (let i = 0; i < n; i++) {
      if (chooseArm(await sha256Hex(`scene-${i}`), { production: 0.7, staging: 0.3 }) === 'staging')
        staging++;
    }
    // Binomial(20000, 0.3): sd 65 scenes; 4 sd is 1.3 %.
    expect(Math.abs(staging / n - 0.3)).toBeLessThan(0.013);
  });

  it('sends everything to production without a weighted staging arm', () => {
    const h = 'ffffffff' + '0'.repeat(56);
    expect(hashFraction(h)).toBeGreaterThan(0.99);
    expect(chooseArm('0'.repeat(64), { production: 1, staging: 0 })).toBe('production');
    expect(chooseArm('0'.repeat(64), { production: 1, staging: null })).toBe('production');
    expect(chooseArm('0'.repeat(64), { production: 0, staging: 0 })).toBe('production');
    expect(chooseArm('0'.repeat(64), { production: 0, staging: 0.5 })).toBe('staging');
  });
});

describe('A/B serving', () => {
  let server: ServerDouble;
  let engine: Connected;

  beforeAll(async () => {
    server = await serverDouble(TEST_REGISTRY); // 1.0.0 production 0.7, 1.1.0 staging 0.3
    engine = await connect(server.fetch);
  });
  afterAll(async () => {
    await engine.close();
    await server.close();
  });

  it('prepares both arms, routes each scene deterministically, near the weights, with per-version stats', async () => {
    const prepared = await engine.api.prepare();
    expect(prepared.mode).toBe('ab');
    expect(prepared.active.version).toBe('1.0.0');
    expect(prepared.staging?.version).toBe('1.1.0');

    const n = 240;
    const first = await engine.api.predictBatch(Array.from({ length: n }, (_, i) => scene(i)));
    expect(first.failed).toBe(0);
    const arms = first.items.map((it) => (it.ok ? it.result.arm : 'error'));
    const staging = arms.filter((a) => a === 'staging').length;
    // Binomial(240, 0.3): mean 72, sd 7.1; 4 sd either way.
    expect(staging).toBeGreaterThan(72 - 29);
    expect(staging).toBeLessThan(72 + 29);
    for (const it of first.items) {
      if (!it.ok) continue;
      expect(it.result.modelVersion).toBe(it.result.arm === 'staging' ? '1.1.0' : '1.0.0');
    }

    const again = await engine.api.predictBatch(Array.from({ length: 60 }, (_, i) => scene(i)));
    expect(again.items.map((it) => (it.ok ? it.result.arm : 'error'))).toEqual(arms.slice(0, 60));
    expect(again.items.every((it) => it.ok && it.result.cache === 'hit')).toBe(true);

    const m = await engine.api.metrics();
    expect(m.mode).toBe('ab');
    const byVersion = Object.fromEntries(m.versions.map((v) => [v.version, v]));
    const stagingAgain = arms.slice(0, 60).filter((a) => a === 'staging').length;
    expect(byVersion['1.1.0']).toMatchObject({
      role: 'staging',
      succeeded: staging + stagingAgain,
      failed: 0,
    });
    expect(byVersion['1.0.0']).toMatchObject({
      role: 'active',
      succeeded: n - staging + 60 - stagingAgain,
    });
    expect(byVersion['1.0.0'].totalMs.count).toBeGreaterThan(0);
  });
});

describe('A/B split set in this browser (stagingShare)', () => {
  let rig: RegistryRig;
  let engine: Connected;

  beforeAll(async () => {
    rig = await registryRig([
      { version: '1.0.0', stage: 'production', weight: 1, path: 'tiny-1.0.0' },
      { version: '1.1.0', stage: 'staging', weight: 0, path: 'tiny-1.1.0' },
    ]);
    engine = rig.engine;
  });
  afterAll(() => rig.close());

  it('overrides the server weights: serves a zero-weight staging version, all or none of the scenes at 1 and 0, and back', async () => {
    expect((await engine.api.prepare()).staging).toBeNull(); // the server's weight is 0

    await engine.api.configure({ stagingShare: 0.5 });
    const prepared = await engine.api.prepare();
    expect(prepared.staging?.version).toBe('1.1.0');
    const scenes = Array.from({ length: 60 }, (_, i) => scene(900 + i));
    const half = await engine.api.predictBatch(scenes);
    const arms = half.items.map((it) => (it.ok ? it.result.arm : 'error'));
    const staging = arms.filter((a) => a === 'staging').length;
    // Binomial(60, 0.5): sd 3.9; 4 sd either way.
    expect(staging).toBeGreaterThan(30 - 16);
    expect(staging).toBeLessThan(30 + 16);
    for (const it of half.items) {
      if (it.ok)
        expect(it.result.modelVersion).toBe(it.result.arm === 'staging' ? '1.1.0' : '1.0.0');
    }

    await engine.api.configure({ stagingShare: 1 });
    const all = await engine.api.predictBatch(scenes);
    expect(all.items.every((it) => it.ok && it.result.modelVersion === '1.1.0')).toBe(true);

    await engine.api.configure({ stagingShare: 0 });
    expect((await engine.api.prepare()).staging).toBeNull();
    const none = await engine.api.predictBatch(scenes);
    expect(none.items.every((it) => it.ok && it.result.modelVersion === '1.0.0')).toBe(true);

    await expect(engine.api.configure({ stagingShare: 1.5 })).rejects.toMatchObject({
      name: 'ConfigError',
      message: expect.stringContaining('stagingShare') as unknown,
    });
    await engine.api.configure({ stagingShare: null });
    expect((await engine.api.prepare()).staging).toBeNull();
  });
});

describe('A/B fall-back', () => {
  let rig: RegistryRig;
  let engine: Connected;

  beforeAll(async () => {
    rig = await registryRig([
      { version: '1.0.0', stage: 'production', weight: 0.5, path: 'tiny-1.0.0' },
      { version: '1.2.0', stage: 'staging', weight: 0.5, path: 'tiny-1.2.0' }, // outputs impossible sigmas
    ]);
    engine = rig.engine;
  });
  afterAll(() => rig.close());

  it('answers from the other arm when the routed version fails, and counts the failure', async () => {
    await engine.api.prepare();
    const batch = await engine.api.predictBatch(
      Array.from({ length: 40 }, (_, i) => scene(500 + i)),
    );
    expect(batch.failed).toBe(0);
    const results = batch.items.flatMap((it) => (it.ok ? [it.result] : []));
    const fellBack = results.filter((r) => r.fallbackFrom === '1.2.0');
    expect(fellBack.length).toBeGreaterThan(5);
    expect(results.every((r) => r.modelVersion === '1.0.0' && r.arm === 'production')).toBe(true);
    const m = await engine.api.metrics();
    const broken = m.versions.find((v) => v.version === '1.2.0')!;
    expect(broken.failed).toBe(fellBack.length);
    expect(m.versions.find((v) => v.version === '1.0.0')!.fallbacksServed).toBe(fellBack.length);
  });
});
