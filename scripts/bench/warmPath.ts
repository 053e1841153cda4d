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
}

const stats = (v: number[]) => ({ p50: percentile(v, 0.5), p95: percentile(v, 0.95) });

export async function warmPath(
  origin: string,
  version: string,
  scenes: TestScene[],
  ep: ExecutionProvider,
): Promise<WarmFigures> {
  const browser = await chromium.launch(launchOptions);
  try {
    const page = await browser.newPage();
    await openEngine(page, origin);
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
    };
  } finally {
    await browser.close();
  }
}
