/**
 * Issue 13's speed figure: the any-network model's inference in the browser for a scene of 12
 * receivers against a scene of 3 (goal: within 2x), through the page's bridge in the production
 * build. The model is pinned so it alone serves; the cache is bypassed so every run infers.
 * Scenes of each size are interleaved, so drift in the machine's load falls on both alike. The
 * figure is the worker's inference stage (session run and decode); the page round trip and the
 * log-mel stage are printed beside it.
 *
 *   npx tsx scripts/bench/anyNetworkSpeed.ts [--dist DIR]   (alone; `npm run bench` runs it too)
 */
import { pathToFileURL } from 'node:url';
import { chromium, type Page } from '@playwright/test';
import { freePort, launchOptions } from '../../e2e/support/browser';
import { openEngine, percentile } from '../../e2e/support/enginePage';
import { e2eRegistryPath } from '../../e2e/support/registries';
import { buildApp } from '../../server/app';
import { simulateNetworkScene } from '../../src/core/sim/network';
import { NOMINAL } from '../../src/core/sim/physics';
import type { Station } from '../../src/core/scene/types';
import { servingNetworkVersion } from '../../src/core/scene/servingModel';
import { formatTable, type Row } from './table';

const SIZES = [3, 12] as const;
/** Distinct scenes per size, and rounds over them (interleaved 3, 12, 3, 12, ...). */
const SCENES = 6;
const ROUNDS = 5;
/** Longer than the worker's quiet gate (1 s), so its background tier-up runs before timing. */
const TIER_UP_PAUSE_MS = 3000;

interface SizeFigures {
  receivers: number;
  inferenceMs: { p50: number; p95: number };
  preprocessMs: { p50: number };
  pageMs: { p50: number };
}

export interface AnyNetworkFigures {
  version: string;
  executionProvider: string;
  sizes: SizeFigures[];
  /** p50 inference of 12 receivers / p50 of 3. */
  ratio: number;
}

interface EncodedNetworkScene {
  sceneId: string;
  receivers: number;
  iq: string[];
  stations: Station[];
}

function encoded(receivers: number, index: number): EncodedNetworkScene {
  const scene = simulateNetworkScene(1313, index, {
    physics: NOMINAL,
    sampleRateHz: 12000,
    samples: 9000,
    nReceivers: receivers,
  });
  return {
    sceneId: `net${receivers}-${index}`,
    receivers,
    iq: scene.receivers.map((r) =>
      Buffer.from(r.iq.buffer, r.iq.byteOffset, r.iq.byteLength).toString('base64'),
    ),
    stations: scene.network.receivers.map((r) => ({ id: r.id, lat: r.lat, lon: r.lon })),
  };
}

/** Runs the scenes in order in the page, cache bypassed; each result with its page time. */
function runInPage(page: Page, scenes: EncodedNetworkScene[]) {
  return page.evaluate(async (scenes) => {
    const decode = (b64: string) =>
      new Float32Array(Uint8Array.from(atob(b64), (c) => c.charCodeAt(0)).buffer);
    const bridge = window.__heimdall!;
    const out = [];
    for (const s of scenes) {
      const t0 = performance.now();
      const r = await bridge.predictScene(
        { sceneId: s.sceneId, iq: s.iq.map(decode), stations: s.stations },
        { cache: 'bypass' },
      );
      out.push({
        receivers: s.receivers,
        modelVersion: r.modelVersion,
        executionProvider: r.executionProvider,
        inferenceMs: r.timingsMs.inference,
        preprocessMs: r.timingsMs.preprocess,
        pageMs: performance.now() - t0,
      });
    }
    return out;
  }, scenes);
}

export async function anyNetworkSpeed(origin: string, version: string): Promise<AnyNetworkFigures> {
  const browser = await chromium.launch(launchOptions);
  try {
    const page = await browser.newPage();
    await openEngine(page, origin);
    await page.evaluate(async (v) => {
      await window.__heimdall!.configure({ epPreference: ['wasm'] });
      await window.__heimdall!.prepare(v);
    }, version);
    // The worker's tier-up burst for the new session waits until the page has been quiet for a
    // second (workers/quietGate.ts); without this pause it fell among the timed runs or not at
    // all, and the figure measured V8's baseline code (2026-12-02: 1.87-2.31x without it).
    await page.waitForTimeout(TIER_UP_PAUSE_MS);
    const bySize = SIZES.map((n) => Array.from({ length: SCENES }, (_, i) => encoded(n, i)));
    // One untimed pass: the first runs of each input shape are slower (kernels, V8 tier-up).
    await runInPage(page, bySize.flat());
    const order = Array.from({ length: ROUNDS * SCENES }, (_, k) =>
      SIZES.map((_, s) => bySize[s][k % SCENES]),
    ).flat();
    const results = await runInPage(page, order);
    const wrong = results.find((r) => r.modelVersion !== version);
    if (wrong) throw new Error(`a scene was located by ${wrong.modelVersion}, not ${version}`);
    const sizes = SIZES.map((n): SizeFigures => {
      const mine = results.filter((r) => r.receivers === n);
      const inference = mine.map((r) => r.inferenceMs);
      return {
        receivers: n,
        inferenceMs: { p50: percentile(inference, 0.5), p95: percentile(inference, 0.95) },
        preprocessMs: {
          p50: percentile(
            mine.map((r) => r.preprocessMs),
            0.5,
          ),
        },
        pageMs: {
          p50: percentile(
            mine.map((r) => r.pageMs),
            0.5,
          ),
        },
      };
    });
    return {
      version,
      executionProvider: results[0].executionProvider,
      sizes,
      ratio: sizes[1].inferenceMs.p50 / sizes[0].inferenceMs.p50,
    };
  } finally {
    await browser.close();
  }
}

/** The bench table's row for the figure. */
export function anyNetworkRow(f: AnyNetworkFigures): Row {
  const [three, twelve] = f.sizes;
  return {
    figure: `any-network ${f.version} inference, 12 receivers / 3 receivers (p50)`,
    value: f.ratio,
    unit: 'x',
    goal: 2,
    anchor: {
      label: `3 receivers ${three.inferenceMs.p50.toFixed(2)} ms`,
      value: three.inferenceMs.p50,
    },
    detail:
      `12 receivers ${twelve.inferenceMs.p50.toFixed(2)} ms (p95 ${twelve.inferenceMs.p95.toFixed(2)}), ` +
      `3 receivers p95 ${three.inferenceMs.p95.toFixed(2)} ms; log-mel ${three.preprocessMs.p50.toFixed(1)} / ` +
      `${twelve.preprocessMs.p50.toFixed(1)} ms; page round trip ${three.pageMs.p50.toFixed(1)} / ` +
      `${twelve.pageMs.p50.toFixed(1)} ms`,
  };
}

/** The any-network version the registry serves beside production, if any. */
export async function anyNetworkVersion(origin: string): Promise<string | null> {
  const manifest = (await (await fetch(`${origin}/api/models`)).json()) as {
    networkModels?: { version: string; stage: string }[];
  };
  return servingNetworkVersion(manifest.networkModels ?? [])?.version ?? null;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const i = process.argv.indexOf('--dist');
  const app = await buildApp({
    registryPath: e2eRegistryPath(),
    distDir: i > 0 ? process.argv[i + 1] : 'dist',
  });
  try {
    const origin = await app.listen({ port: await freePort(), host: '127.0.0.1' });
    const version = await anyNetworkVersion(origin);
    if (!version) throw new Error('the registry has no any-network model');
    const f = await anyNetworkSpeed(origin, version);
    console.log(formatTable([anyNetworkRow(f)]));
    console.log(JSON.stringify(f));
  } finally {
    await app.close();
  }
}
