/**
 * The warm figures of `npm run bench`, measured through the page's bridge (window.__heimdall) in
 * the production build: serial cache misses, the same
 * scenes again as cache hits, and 100 concurrent misses; the worker's stage timings come along.
 */
import { chromium } from '@playwright/test';
import { launchOptions } from '../../e2e/support/browser';
import {
  encodeScene,
  openEngine,
  percentile,
  predictInPage,
  prepareInPage,
} from '../../e2e/support/enginePage';
import type { TestScene } from '../../e2e/support/scenes';
import type { ExecutionProvider, PredictionResult } from '../../src/bridge/inferenceBridge';

const SEQUENTIAL_ROUNDS = 6;
const CONCURRENT = 100;
/** How long 'settled' waits after the map's canvas appears, for its first tiles to be drawn. */
const MAP_SETTLE_MS = 6000;

/**
 * The map during the measurements: 'as-app' as the app does it (it starts 2 s after the model is
 * ready, so during the measurements), 'off' with WebGL refused (the map never draws), 'settled'
 * measuring only once the map has started and drawn for a while.
 */
export type MapDuringWarm = 'as-app' | 'off' | 'settled';

export interface WarmFigures {
  executionProvider: string;
  sessionMs: number;
  warmupMs: number;
  missPageMs: { p50: number; p95: number };
  hitPageMs: { p50: number; p95: number };
  /** Median worker stage times of the serial misses, ms. */
  missStagesMs: Record<string, number>;
  inferenceMs: { p50: number; p95: number };
  /** Serial misses again after the 100 concurrent: page round trip and inference stage. */
  missAfterPageMs: { p50: number; p95: number };
  inferenceAfterMs: { p50: number; p95: number };
  concurrent: { ok: number; failed: number; p50: number; p95: number; wallMs: number };
  /** Scenes per session.run over the whole warm run (the worker's metrics). */
  batchSize: { p50: number; p95: number; p99: number; mean: number };
  map: MapDuringWarm;
}

const stats = (v: number[]) => ({ p50: percentile(v, 0.5), p95: percentile(v, 0.95) });

export async function warmPath(
  origin: string,
  version: string,
  scenes: TestScene[],
  ep: ExecutionProvider,
  map: MapDuringWarm = 'as-app',
): Promise<WarmFigures> {
  const browser = await chromium.launch(launchOptions);
  try {
    const page = await browser.newPage();
    if (map === 'off') {
      await page.addInitScript({
        content: `{ const get = HTMLCanvasElement.prototype.getContext;
          HTMLCanvasElement.prototype.getContext = function (kind, ...rest) {
            return /webgl/.test(kind) ? null : get.call(this, kind, ...rest);
          }; }`,
      });
    }
    await openEngine(page, origin);
    if (map === 'settled') {
      await page.waitForSelector('.maplibregl-canvas', { timeout: 60_000 });
      await page.waitForTimeout(MAP_SETTLE_MS);
    }
    const prepared = await prepareInPage(page, version, [ep]);
    const encoded = scenes.map(encodeScene);
    const scales = (rounds: number, offset: number) =>
      Array.from({ length: rounds }, (_, j) => 1 + (offset + j) / 256);
    await page.evaluate(() => window.__heimdall!.clearCache());
    const miss = await predictInPage(page, encoded, { scales: scales(SEQUENTIAL_ROUNDS, 0) });
    const hit = await predictInPage(page, encoded, { scales: scales(SEQUENTIAL_ROUNDS, 0) });
    if (!miss.results.every((r) => r.cache === 'miss')) throw new Error('expected cache misses');
    if (!hit.results.every((r) => r.cache === 'hit')) throw new Error('expected cache hits');
    let concurrent: Awaited<ReturnType<typeof predictInPage>> | null = null;
    let failed = 0;
    try {
      concurrent = await predictInPage(page, encoded, {
        concurrent: true,
        scales: scales(CONCURRENT / scenes.length, 100),
      });
    } catch (err) {
      console.error(`100 concurrent: ${(err as Error).message}`);
      failed = CONCURRENT;
    }
    // The same serial misses once more, after the concurrent burst: if one prediction alone is
    // slow only while the runtime is young (V8 tiering its WebAssembly up), this run shows it.
    const missAfter = await predictInPage(page, encoded, {
      scales: scales(SEQUENTIAL_ROUNDS, 300),
    });
    const batchSize = await page.evaluate(async () => {
      const b = (await window.__heimdall!.metrics()).batchSize;
      return { p50: b.p50, p95: b.p95, p99: b.p99, mean: b.mean };
    });
    const stages = ['read', 'preprocess', 'cache', 'inference', 'decode', 'total'] as const;
    const missStagesMs = Object.fromEntries(
      stages.map((s) => [
        s,
        percentile(
          miss.results.map((r) => r.timingsMs[s]),
          0.5,
        ),
      ]),
    );
    const page95 = (r: (PredictionResult & { pageMs: number })[]) => stats(r.map((x) => x.pageMs));
    return {
      executionProvider: prepared.active.executionProvider,
      sessionMs: prepared.active.timingsMs.session,
      warmupMs: prepared.active.timingsMs.warmup,
      missPageMs: page95(miss.results),
      hitPageMs: page95(hit.results),
      missStagesMs,
      inferenceMs: stats(miss.results.map((r) => r.timingsMs.inference)),
      missAfterPageMs: page95(missAfter.results),
      inferenceAfterMs: stats(missAfter.results.map((r) => r.timingsMs.inference)),
      concurrent: concurrent
        ? {
            ok: concurrent.results.length,
            failed,
            ...page95(concurrent.results),
            wallMs: concurrent.wallMs,
          }
        : { ok: 0, failed, p50: NaN, p95: NaN, wallMs: NaN },
      batchSize,
      map,
    };
  } finally {
    await browser.close();
  }
}
