/**
 * Drives the inference engine inside a page of the production build through `window.__heimdall`
 * (the bridge; see src/bridge/inferenceBridge.ts). Scenes cross into the page as base64 float32
 * bytes, so the page computes on exactly the samples the Node reference sees.
 */
import type { Page } from '@playwright/test';
import type { TestScene } from './scenes';
import type { ExecutionProvider, PredictionResult } from '../../src/bridge/inferenceBridge';
import { nearestRank } from '../../src/core/stats';

export interface EncodedScene {
  sceneId: string;
  iq: string[];
}

export const encodeScene = (s: TestScene): EncodedScene => ({
  sceneId: s.sceneId,
  iq: s.iq.map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64')),
});

/**
 * Opens the app and waits until the UI has finished booting the engine (it prepares the
 * manifest's model on start), so that a test's own prepare() does not race the UI's.
 */
export async function openEngine(page: Page, url = '/', bootTimeoutMs = 60_000): Promise<void> {
  // Under tsx (scripts/bench.ts) esbuild wraps functions in a `__name` helper that the
  // page does not have; functions passed to page.evaluate would fail without this no-op.
  await page.addInitScript({ content: 'globalThis.__name = globalThis.__name || ((f) => f);' });
  await page.goto(url);
  await page.waitForFunction(() => typeof window.__heimdall === 'object');
  const deadline = Date.now() + bootTimeoutMs;
  while (Date.now() < deadline) {
    const booted = await page.evaluate(
      async () => (await window.__heimdall!.metrics()).activeVersion !== null,
    );
    if (booted) return;
    await page.waitForTimeout(200);
  }
}

/** Pins `version` on the given providers; returns what prepare() reported. */
export function prepareInPage(page: Page, version: string, epPreference: ExecutionProvider[]) {
  return page.evaluate(
    async ({ version, epPreference }) => {
      const bridge = window.__heimdall!;
      await bridge.configure({ epPreference });
      return bridge.prepare(version);
    },
    { version, epPreference },
  );
}

/**
 * Predicts scenes in the page: sequentially, or all at once when `concurrent`. `scales` makes
 * distinct scenes from few (each base scene's samples multiplied in float32, as the Node side
 * does), so a hundred requests need not carry a hundred scenes across.
 */
export function predictInPage(
  page: Page,
  scenes: EncodedScene[],
  opts: { concurrent?: boolean; scales?: number[] } = {},
): Promise<{ results: (PredictionResult & { pageMs: number })[]; wallMs: number }> {
  return page.evaluate(
    async ({ scenes, concurrent, scales }) => {
      const decode = (b64: string) => {
        const bin = atob(b64);
        const bytes = new Uint8Array(bin.length);
        for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
        return new Float32Array(bytes.buffer);
      };
      const base = scenes.map((s) => ({ sceneId: s.sceneId, iq: s.iq.map(decode) }));
      const requests = (scales ?? [1]).flatMap((k, j) =>
        base.map((s) => ({
          sceneId: `${s.sceneId}#${j}`,
          iq: s.iq.map((a) => a.map((v) => v * k)),
        })),
      );
      const bridge = window.__heimdall!;
      const timed = async (r: (typeof requests)[number]) => {
        const t0 = performance.now();
        const result = await bridge.predictScene(r);
        return { ...result, pageMs: performance.now() - t0 };
      };
      const t0 = performance.now();
      const results = [];
      if (concurrent) results.push(...(await Promise.all(requests.map(timed))));
      else for (const r of requests) results.push(await timed(r));
      return { results, wallMs: performance.now() - t0 };
    },
    { scenes, concurrent: opts.concurrent ?? false, scales: opts.scales },
  );
}

/** One predictBatch call over the scaled scenes (as predictInPage builds them); wall time in the page. */
export function batchInPage(
  page: Page,
  scenes: EncodedScene[],
  scales: number[],
): Promise<{ results: PredictionResult[]; failed: number; wallMs: number }> {
  return page.evaluate(
    async ({ scenes, scales }) => {
      const decode = (b64: string) =>
        new Float32Array(Uint8Array.from(atob(b64), (c) => c.charCodeAt(0)).buffer);
      const base = scenes.map((s) => ({ sceneId: s.sceneId, iq: s.iq.map(decode) }));
      const requests = scales.flatMap((k, j) =>
        base.map((s) => ({
          sceneId: `${s.sceneId}#${j}`,
          iq: s.iq.map((a) => a.map((v) => v * k)),
        })),
      );
      const t0 = performance.now();
      const batch = await window.__heimdall!.predictBatch(requests);
      const wallMs = performance.now() - t0;
      return {
        results: batch.items.flatMap((i) => (i.ok ? [i.result] : [])),
        failed: batch.failed,
        wallMs,
      };
    },
    { scenes, scales },
  );
}

/** The scaled copy of a scene that predictInPage makes for scale index j. */
export function scaledScene(s: TestScene, k: number, j: number): TestScene {
  return { sceneId: `${s.sceneId}#${j}`, iq: s.iq.map((a) => a.map((v) => v * k)) };
}

/** Latency percentiles of the benchmarks: a measured sample (nearest rank), as the worker's metrics. */
export const percentile = nearestRank;
