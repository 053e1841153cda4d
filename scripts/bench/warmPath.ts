/**
 * The warm figures of `npm run bench`, measured through the page's bridge (window.__heimdall) in
 * the production build: serial cache misses, the same scenes again as cache hits, and 100
 * concurrent misses; the worker's stage timings come along. Measured once the page has settled
 * (see MapDuringWarm); `npx tsx scripts/bench-warm.ts` compares the other cases.
 */
import { chromium, type Page } from '@playwright/test';
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
/** 'settled': the page's main thread must have gone this long without a long task (> 50 ms). */
const SETTLED_QUIET_MS = 2000;
/** 'settled' measures anyway after this long, and says so. */
const SETTLE_TIMEOUT_MS = 60_000;

/**
 * The map during the measurements. 'settled' (what `npm run bench` reports): measuring starts once
 * the map has appeared and the page's main thread has had no long task for SETTLED_QUIET_MS, so
 * the figures are of a warm page, not of one still drawing its first map. 'as-app': at once after
 * prepare(), while the map starts (the app starts it 2 s after the model is ready; its first
 * frames, WebGL in software here, hold the page's thread for hundreds of ms, and every reply of
 * the worker waits for that thread). 'off': WebGL refused, so the map never draws.
 */
export type MapDuringWarm = 'as-app' | 'off' | 'settled';

/** Waits for the map's canvas, then for SETTLED_QUIET_MS without a long task; returns the ms waited. */
async function settle(page: Page): Promise<number> {
  const t0 = Date.now();
  await page
    .waitForSelector('.maplibregl-canvas, .mapboxgl-canvas', { timeout: SETTLE_TIMEOUT_MS })
    .catch(() => console.error('warm path: no map canvas appeared; measuring anyway'));
  const left = Math.max(0, SETTLE_TIMEOUT_MS - (Date.now() - t0));
  const quiet = await page.evaluate(
    ({ quietMs, timeoutMs }) =>
      new Promise<boolean>((resolve) => {
        let last = performance.now();
        const observer = new PerformanceObserver((list) => {
          for (const e of list.getEntries()) last = Math.max(last, e.startTime + e.duration);
        });
        observer.observe({ type: 'longtask' });
        const started = performance.now();
        const check = setInterval(() => {
          const now = performance.now();
          if (now - last >= quietMs || now - started >= timeoutMs) {
            clearInterval(check);
            observer.disconnect();
            resolve(now - last >= quietMs);
          }
        }, 100);
      }),
    { quietMs: SETTLED_QUIET_MS, timeoutMs: left },
  );
  if (!quiet) console.error('warm path: the page never went quiet; measuring anyway');
  return Date.now() - t0;
}

export interface WarmFigures {
  executionProvider: string;
  sessionMs: number;
  warmupMs: number;
  missPageMs: { p50: number; p95: number };
  hitPageMs: { p50: number; p95: number };
  /** Median worker stage times of the serial misses, ms. */
  missStagesMs: Record<string, number>;
  /** The serial misses' and hits' stages, p50 and p95 each, with `hops` (see stageStats). */
  missStages: StageStats;
  hitStages: StageStats;
  inferenceMs: { p50: number; p95: number };
  /** session.run alone in those runs (the worker's metrics, runs of one scene so far). */
  singleRunMs: { p50: number; p95: number };
  /** Serial misses again after the 100 concurrent: page round trip and inference stage. */
  missAfterPageMs: { p50: number; p95: number };
  inferenceAfterMs: { p50: number; p95: number };
  concurrent: { ok: number; failed: number; p50: number; p95: number; wallMs: number };
  /** Scenes per session.run over the whole warm run (the worker's metrics). */
  batchSize: { p50: number; p95: number; p99: number; mean: number };
  map: MapDuringWarm;
  /** ms waited for the page to settle before measuring ('settled' only). */
  settleMs: number;
}

const stats = (v: number[]) => ({ p50: percentile(v, 0.5), p95: percentile(v, 0.95) });

const STAGES = ['read', 'preprocess', 'cache', 'inference', 'decode', 'total'] as const;
export type StageStats = Record<(typeof STAGES)[number] | 'hops', { p50: number; p95: number }>;

/**
 * Each worker stage's p50 and p95 over `results`, and `hops`: the page round trip less the
 * worker's own total (the request's structured clone, comlink's messages both ways, and the
 * wait for each thread to take them up), which no stage timer sees.
 */
function stageStats(results: (PredictionResult & { pageMs: number })[]): StageStats {
  const out = Object.fromEntries(
    STAGES.map((s) => [s, stats(results.map((r) => r.timingsMs[s]))]),
  ) as Omit<StageStats, 'hops'>;
  return { ...out, hops: stats(results.map((r) => r.pageMs - r.timingsMs.total)) };
}

export async function warmPath(
  origin: string,
  version: string,
  scenes: TestScene[],
  ep: ExecutionProvider,
  map: MapDuringWarm = 'settled',
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
    const prepared = await prepareInPage(page, version, [ep]);
    const settleMs = map === 'settled' ? await settle(page) : 0;
    const encoded = scenes.map(encodeScene);
    const scales = (rounds: number, offset: number) =>
      Array.from({ length: rounds }, (_, j) => 1 + (offset + j) / 256);
    await page.evaluate(() => window.__heimdall!.clearCache());
    const miss = await predictInPage(page, encoded, { scales: scales(SEQUENTIAL_ROUNDS, 0) });
    const singleRunMs = await page.evaluate(async () => {
      // Absent from builds before it was added (an A/B against an older build).
      const r = (await window.__heimdall!.metrics()).singleRunMs ?? { p50: NaN, p95: NaN };
      return { p50: r.p50, p95: r.p95 };
    });
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
    const missStages = stageStats(miss.results);
    const missStagesMs = Object.fromEntries(STAGES.map((st) => [st, missStages[st].p50]));
    const page95 = (r: (PredictionResult & { pageMs: number })[]) => stats(r.map((x) => x.pageMs));
    return {
      executionProvider: prepared.active.executionProvider,
      sessionMs: prepared.active.timingsMs.session,
      warmupMs: prepared.active.timingsMs.warmup,
      missPageMs: page95(miss.results),
      hitPageMs: page95(hit.results),
      missStagesMs,
      missStages,
      hitStages: stageStats(hit.results),
      inferenceMs: stats(miss.results.map((r) => r.timingsMs.inference)),
      singleRunMs,
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
      settleMs,
    };
  } finally {
    await browser.close();
  }
}
