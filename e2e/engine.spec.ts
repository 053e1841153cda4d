/**
 * The inference engine in the production build: worker + onnxruntime-web + IndexedDB + the
 * companion server, in Chromium. Outputs are compared with the command line's path (Node,
 * onnxruntime-node) within 1e-4; latencies are printed, never asserted.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { buildApp } from '../server/app';
import { isNetworkModel } from '../src/core/networkModelMetadata';
import { locate } from '../src/cli/locateCommand';
import { simulateToDirectory } from '../src/cli/simulateCommand';
import { freePort } from './support/browser';
import {
  encodeScene,
  openEngine,
  percentile,
  predictInPage,
  prepareInPage,
  scaledScene,
} from './support/enginePage';
import { estimateDifference, nodeReference, type NodeReference } from './support/nodeReference';
import { readVersionMetadata } from '../src/node/registry';
import { copyRegistry, readRegistryFile, versionDir } from './support/registries';
import { simulatedScene, type TestScene } from './support/scenes';

const TOLERANCE = 1e-4;
const registryPath = process.env.HEIMDALL_E2E_REGISTRY!;
const MODEL_FILE = /\/models\/[^/]+\/[^/]+\.onnx$/;

let versions: string[];
let production: string;
const refs = new Map<string, NodeReference>();
let scenes: TestScene[];

test.beforeAll(async () => {
  const registry = await readRegistryFile(registryPath);
  // The fixed-network versions (the manifest lists any-network ones apart, in networkModels;
  // tests/worker/anyNetwork.test.ts and e2e/anyNetwork.spec.ts cover 2.0.0).
  versions = [];
  for (const m of registry.models.filter((e) => e.stage !== 'archived')) {
    const { metadata } = await readVersionMetadata(await versionDir(registryPath, m.version));
    if (!isNetworkModel(metadata)) versions.push(m.version);
  }
  production = registry.models.find((m) => m.stage === 'production')!.version;
  for (const v of versions) refs.set(v, await nodeReference(await versionDir(registryPath, v)));
  const { constellation, preprocessing } = refs.get(production)!.model.metadata;
  scenes = Array.from({ length: 4 }, (_, i) => simulatedScene(42, i, constellation, preprocessing));
  console.log(
    `registry ${registryPath}: versions ${versions.join(', ')} (production ${production})`,
  );
});

async function expectParity(
  results: { modelVersion: string; sceneId: string }[],
  source: TestScene[],
  label: string,
) {
  let worst = 0;
  for (const r of results) {
    const scene = source.find(
      (s) => s.sceneId === r.sceneId.replace(/#\d+$/, '') || s.sceneId === r.sceneId,
    )!;
    const expected = await refs.get(r.modelVersion)!.predict(scene.iq);
    worst = Math.max(worst, estimateDifference(r as never, expected.estimate));
  }
  console.log(
    `${label}: ${results.length} scenes, largest difference from onnxruntime-node ${worst.toExponential(2)}`,
  );
  expect(worst).toBeLessThan(TOLERANCE);
}

test('WASM: the worker prepares each version and predicts as the command line does', async ({
  page,
}) => {
  await openEngine(page);
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  for (const version of versions) {
    const prepared = await prepareInPage(page, version, ['wasm']);
    expect(prepared.active).toMatchObject({ version, executionProvider: 'wasm' });
    const { results } = await predictInPage(page, scenes.map(encodeScene));
    expect(results.every((r) => r.modelVersion === version && r.executionProvider === 'wasm')).toBe(
      true,
    );
    await expectParity(results, scenes, `wasm ${version}`);
  }
});

test('WASM: recordings opened in the worker locate as `heimdall locate --json` does', async ({
  page,
}) => {
  const dir = await mkdtemp(join(tmpdir(), 'heimdall-e2e-files-'));
  try {
    await simulateToDirectory({ scenes: 2, seed: 77, out: dir, physics: 'nominal', durationS: 1 });
    const names = (await readdir(dir)).sort();
    const lines: string[] = [];
    const log = console.log;
    console.log = (line: string) => void lines.push(line);
    try {
      await locate(
        names.map((n) => join(dir, n)),
        { registry: registryPath, model: production, json: true },
      );
    } finally {
      console.log = log;
    }
    const cli = lines.map((l) => JSON.parse(l) as { scene: string; lat: number; lon: number });
    expect(cli).toHaveLength(2);

    const files = await Promise.all(
      names.map(async (name) => ({
        name,
        base64: (await readFile(join(dir, name))).toString('base64'),
      })),
    );
    await openEngine(page);
    await prepareInPage(page, production, ['wasm']);
    const located = await page.evaluate(async (files) => {
      const bridge = window.__heimdall!;
      const asFile = (f: { name: string; base64: string }) =>
        new File([Uint8Array.from(atob(f.base64), (c) => c.charCodeAt(0))], f.name);
      const opened = await bridge.openFiles(files.map(asFile));
      const grouped = await bridge.groupScenes({
        recordingIds: opened.recordings.map((r) => r.id),
      });
      const out = [];
      for (const s of grouped.scenes)
        out.push(
          await bridge.predictScene({
            sceneId: s.sceneId,
            recordingIds: s.recordingIds as string[],
          }),
        );
      return { errors: opened.errors, out };
    }, files);
    expect(located.errors).toEqual([]);
    expect(located.out).toHaveLength(2);
    for (const r of located.out) {
      const line = cli.find((l) => l.scene === r.sceneId)!;
      expect(Math.abs(r.lat - line.lat)).toBeLessThan(TOLERANCE);
      expect(Math.abs(r.lon - line.lon)).toBeLessThan(TOLERANCE);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

/** The page's WebGPU adapter in words ('adapter vendor=...'), or why there is none. */
function webgpuAdapter(page: Page): Promise<string> {
  return page.evaluate(async () => {
    type Info = { vendor?: string; architecture?: string; device?: string; description?: string };
    const gpu = (
      navigator as Navigator & { gpu?: { requestAdapter(): Promise<{ info?: Info } | null> } }
    ).gpu;
    if (!gpu) return 'navigator.gpu is missing';
    const a = await gpu.requestAdapter();
    if (!a) return 'requestAdapter() returned null';
    // GPUAdapterInfo's fields are getters: JSON.stringify would print {}.
    const { vendor, architecture, device, description } = a.info ?? {};
    return `adapter vendor=${vendor} architecture=${architecture} device=${device} description=${description}`;
  });
}

test('WebGPU (SwiftShader): the same outputs as WASM and the command line', async ({ page }) => {
  test.slow(); // software WebGPU: seconds per run on a shared 2-core machine
  await openEngine(page);
  const adapter = await webgpuAdapter(page);
  console.log(`WebGPU in the page: ${adapter}`);
  // WebGPU alone: the code path and its outputs (SwiftShader would lose a speed comparison).
  // Skipped only where the browser has no adapter; with one, a failure here is ours (a skip on
  // any failure once hid a broken WebGPU path for a run).
  test.skip(!adapter.startsWith('adapter '), `WebGPU is not available here (${adapter})`);
  const prepared = await prepareInPage(page, production, ['webgpu']);
  console.log(`execution provider attempts: ${JSON.stringify(prepared.active.attempts)}`);
  expect(prepared.active.executionProvider).toBe('webgpu');
  const { results } = await predictInPage(page, scenes.map(encodeScene));
  expect(results.every((r) => r.executionProvider === 'webgpu')).toBe(true);
  await expectParity(results, scenes, `webgpu ${production}`);
});

test('with WebGPU and WASM allowed, the provider measured fastest serves', async ({ page }) => {
  test.slow(); // software WebGPU: seconds per run on a shared 2-core machine
  await openEngine(page);
  const prepared = await prepareInPage(page, production, ['webgpu', 'wasm']);
  const { attempts, executionProvider } = prepared.active;
  console.log(`measured providers: ${JSON.stringify(attempts)} -> ${executionProvider}`);
  const measured = attempts.filter((a) => a.ok);
  if (!(await webgpuAdapter(page)).startsWith('adapter ')) {
    // No adapter: WASM alone works, and serves without a comparison.
    expect(executionProvider).toBe('wasm');
    return;
  }
  // With an adapter both must work: a WebGPU attempt that failed (two runs at once inside ORT's
  // WebGPU build once did) would otherwise pass here as "WASM measured fastest".
  expect(measured.map((a) => a.executionProvider).sort()).toEqual(['wasm', 'webgpu']);
  for (const a of measured) expect(a.medianRunMs).toBeGreaterThan(0);
  const best = measured.reduce((a, b) => (b.medianRunMs! < a.medianRunMs! ? b : a));
  expect(executionProvider).toBe(best.executionProvider);
  const { results } = await predictInPage(page, scenes.map(encodeScene));
  expect(results.every((r) => r.executionProvider === executionProvider)).toBe(true);
  await expectParity(results, scenes, `measured choice (${executionProvider}) ${production}`);
});

/** How many verified models the worker keeps in IndexedDB (workers/storage.ts: heimdall-models). */
function storedModelCount(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      new Promise<number>((resolve, reject) => {
        const open = indexedDB.open('heimdall-models');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          if (!db.objectStoreNames.contains('files')) {
            db.close();
            resolve(0);
            return;
          }
          const count = db.transaction('files').objectStore('files').count();
          count.onsuccess = () => {
            db.close();
            resolve(count.result);
          };
          count.onerror = () => reject(count.error);
        };
      }),
  );
}

test('a second page load takes the model from IndexedDB without fetching it', async ({ page }) => {
  const modelRequests: string[] = [];
  page.context().on('request', (r) => {
    if (MODEL_FILE.test(new URL(r.url()).pathname)) modelRequests.push(r.url());
  });
  await openEngine(page);
  const first = await prepareInPage(page, production, ['wasm']);
  // The listener sees the worker's requests: on a fresh profile the model was downloaded.
  expect(modelRequests.length).toBeGreaterThan(0);
  expect(['network', 'indexeddb']).toContain(first.active.source);
  // The page also fetches the any-network model in the background; a reload before it is
  // stored would fetch it again. Wait until every model the first visit fetched is on disk.
  const fetched = new Set(modelRequests).size;
  await expect
    .poll(() => storedModelCount(page), { timeout: 60_000, message: 'models stored in IndexedDB' })
    .toBeGreaterThanOrEqual(fetched);

  modelRequests.length = 0;
  await page.reload();
  await openEngine(page, page.url());
  const second = await prepareInPage(page, production, ['wasm']);
  expect(second.active.source).toBe('indexeddb');
  const { results } = await predictInPage(page, scenes.slice(0, 1).map(encodeScene));
  expect(results[0].modelVersion).toBe(production);
  expect(modelRequests).toEqual([]);
});

test.describe('a doctored registry', () => {
  let copy: Awaited<ReturnType<typeof copyRegistry>>;
  let app: Awaited<ReturnType<typeof buildApp>>;
  let origin: string;
  let other: string;

  test.beforeAll(async () => {
    copy = await copyRegistry(registryPath);
    app = await buildApp({ registryPath: copy.registryPath, distDir: 'dist' });
    origin = await app.listen({ port: await freePort(), host: '127.0.0.1' });
    other = versions.find((v) => v !== production)!;
    // After the server verified it at start: a file that went bad on disk or in transit.
    await copy.corruptModel(other);
  });
  test.afterAll(async () => {
    await app?.close();
    await copy?.cleanup();
  });

  test('a model with a wrong sha256 is refused and the previous version keeps serving', async ({
    page,
  }) => {
    test.skip(!other, 'the registry has only one version');
    await openEngine(page, origin);
    await prepareInPage(page, production, ['wasm']);
    const refused = await page.evaluate(async (version) => {
      try {
        await window.__heimdall!.prepare(version);
        return null;
      } catch (err) {
        return { name: (err as Error).name, message: (err as Error).message };
      }
    }, other);
    console.log(`prepare(${other}) with a corrupted file: ${JSON.stringify(refused)}`);
    expect(refused).toMatchObject({
      name: 'ModelIntegrityError',
      message: expect.stringContaining('sha256'),
    });
    const { results } = await predictInPage(page, scenes.slice(0, 2).map(encodeScene));
    expect(results.map((r) => r.modelVersion)).toEqual([production, production]);
    await expectParity(results, scenes, `after the refusal, ${production}`);
    expect((await page.evaluate(() => window.__heimdall!.metrics())).activeVersion).toBe(
      production,
    );
  });
});

async function concurrentRun(page: Page, n: number) {
  const scales = Array.from({ length: n / scenes.length }, (_, j) => 1 + j / 64);
  return {
    scales,
    ...(await predictInPage(page, scenes.map(encodeScene), { concurrent: true, scales })),
  };
}

test('100 concurrent predictions all succeed (latency printed)', async ({ page }) => {
  await openEngine(page);
  await prepareInPage(page, production, ['wasm']);
  await page.evaluate(() => window.__heimdall!.clearCache());
  const { results, wallMs, scales } = await concurrentRun(page, 100);
  expect(results).toHaveLength(100);
  expect(results.every((r) => r.cache === 'miss' && r.modelVersion === production)).toBe(true);
  // Every tenth result against the Node reference on the identically scaled samples.
  const checked = results.filter((_, i) => i % 10 === 0);
  const sources = checked.map((r) => {
    const [base, j] = r.sceneId.split('#');
    return scaledScene(
      scenes.find((s) => s.sceneId === base)!,
      scales[Number(j)],
      Number(j),
    );
  });
  await expectParity(checked, sources, 'concurrent');
  const pageMs = results.map((r) => r.pageMs);
  const m = await page.evaluate(() => window.__heimdall!.metrics());
  console.log(
    `100 concurrent (wasm, ${production}): wall ${wallMs.toFixed(0)} ms, ${(100_000 / wallMs).toFixed(0)} scenes/s; ` +
      `per request p50 ${percentile(pageMs, 0.5).toFixed(1)} ms, p95 ${percentile(pageMs, 0.95).toFixed(1)} ms; ` +
      `inference stage p50 ${m.stagesMs.inference.p50.toFixed(1)} ms; batch size p50 ${m.batchSize.p50}, max ${m.batchSize.p99}`,
  );
});
