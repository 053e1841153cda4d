/**
 * Soak: does memory stay flat over many predictions and a long live session?
 *
 *   npx vite build && npm run soak -- [--predictions 10000] [--minutes 30] [--interval-s 60]
 *
 * Starts the companion server (the production build in dist/, HEIMDALL_E2E_REGISTRY or the
 * shipped models, the built-in simulated live network) as a process of its own and Debian's
 * Chromium (e2e/support/browser.ts), then
 *   1. runs --predictions predictions through the inference worker (window.__heimdall, the way
 *      e2e/support/enginePage.ts drives it), 100 distinct scenes per call, every one a cache miss;
 *   2. opens the live view in the same page and keeps it open for --minutes.
 * At intervals it prints the page's JS heap and the inference worker's (each after a full GC, over
 * the DevTools protocol), all the page's memory with its workers' WASM memories
 * (measureUserAgentSpecificMemory, about 20 s a sample) and the server's RSS and V8 heap (its
 * /metrics). At the end it prints a
 * verdict against the growth bounds below. Prints figures only; nothing here is a test.
 */
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { chromium, type Page } from '@playwright/test';
import { freePort, launchOptions } from '../e2e/support/browser';
import { encodeScene, openEngine, predictInPage, prepareInPage } from '../e2e/support/enginePage';
import { e2eRegistryPath, readRegistryFile } from '../e2e/support/registries';
import { simulatedScene } from '../e2e/support/scenes';
import type { ModelMetadata } from '../src/core/modelMetadata';
import { pageHeapMb, pageMemoryMb, serverMemoryMb, workerHeapsMb } from './soak/heap';

/**
 * Growth allowed from the first sample of a phase to its last, MB. The page keeps bounded state
 * (streams keep seconds, the track and timeline a fixed number of items, the worker's prediction
 * cache a fixed number of entries), so beyond allocator noise nothing should grow with time.
 */
const BOUND_PAGE_HEAP_MB = 10;
const BOUND_WORKER_HEAP_MB = 10;
const BOUND_SERVER_RSS_MB = 30;
/** Everything the page holds (its JS, both workers' JS and WASM memories, canvas, DOM). */
const BOUND_PAGE_TOTAL_MB = 40;

const BASE_SCENES = 10;
const SCALES_PER_CALL = 10;

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};

interface Sample {
  label: string;
  atS: number;
  pageHeapMb: number;
  workerHeapMb: number;
  pageTotalMb: number;
  workerTotalMb: number;
  serverRssMb: number;
  serverHeapMb: number;
  note: string;
}

async function startServer(registry: string): Promise<{ baseUrl: string; stop: () => void }> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  // node --import tsx: one process, so its RSS is the server's own (npx or the tsx CLI would add
  // a parent).
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'server/main.ts', '--port', String(port), '--host', '127.0.0.1'].concat([
      '--registry',
      registry,
      '--dist',
      'dist',
    ]),
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  for (let i = 0; i < 120; i++) {
    const ok = await fetch(`${baseUrl}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return { baseUrl, stop: () => child.kill('SIGTERM') };
    await new Promise((r) => setTimeout(r, 500));
  }
  child.kill('SIGKILL');
  throw new Error('the server did not start');
}

async function liveCounts(page: Page): Promise<string> {
  return page.evaluate(() => {
    const dl = document.querySelector('[data-testid=live-stats]');
    const out: string[] = [];
    for (const dt of dl ? [...dl.querySelectorAll('dt')] : []) {
      const key = dt.textContent?.trim() ?? '';
      if (/^(Located|Dropped|Squelched)/.test(key))
        out.push(`${key} ${dt.nextElementSibling?.textContent ?? ''}`);
    }
    return out.join(', ');
  });
}

function verdict(phase: string, samples: Sample[]): boolean {
  if (samples.length < 2) {
    console.log(`${phase}: too few samples for a verdict`);
    return false;
  }
  const first = samples[0];
  const last = samples[samples.length - 1];
  const checks = [
    ['page JS heap', last.pageHeapMb - first.pageHeapMb, BOUND_PAGE_HEAP_MB],
    ['worker JS heap', last.workerHeapMb - first.workerHeapMb, BOUND_WORKER_HEAP_MB],
    ['page total memory', last.pageTotalMb - first.pageTotalMb, BOUND_PAGE_TOTAL_MB],
    ['server RSS', last.serverRssMb - first.serverRssMb, BOUND_SERVER_RSS_MB],
  ] as const;
  let ok = true;
  for (const [what, growth, bound] of checks) {
    const pass = growth <= bound;
    ok &&= pass;
    console.log(
      `${phase}: ${what} ${growth >= 0 ? '+' : ''}${growth.toFixed(1)} MB over ` +
        `${(last.atS - first.atS).toFixed(0)} s (bound +${bound} MB): ${pass ? 'within' : 'EXCEEDED'}`,
    );
  }
  return ok;
}

async function main(): Promise<void> {
  const predictions = arg('predictions', 10_000);
  const minutes = arg('minutes', 30);
  const intervalS = arg('interval-s', 60);
  const registryPath = e2eRegistryPath();
  const registry = await readRegistryFile(registryPath);
  const production = registry.models.find((m) => m.stage === 'production')!;
  const metadata = JSON.parse(
    await readFile(join(dirname(registryPath), production.path, 'metadata.json'), 'utf8'),
  ) as ModelMetadata;
  const scenes = Array.from({ length: BASE_SCENES }, (_, i) =>
    encodeScene(simulatedScene(4321, i, metadata.constellation, metadata.preprocessing)),
  );

  const server = await startServer(registryPath);
  const browser = await chromium.launch(launchOptions);
  const t0 = Date.now();
  const sample = async (page: Page, label: string, note = ''): Promise<Sample> => {
    const [pageHeap, workers, total, srv] = [
      await pageHeapMb(page),
      await workerHeapsMb(browser),
      await pageMemoryMb(page),
      await serverMemoryMb(server.baseUrl),
    ];
    const s: Sample = {
      label,
      atS: (Date.now() - t0) / 1000,
      pageHeapMb: pageHeap,
      workerHeapMb: workers['heimdall-inference'] ?? NaN,
      pageTotalMb: total?.totalMb ?? NaN,
      workerTotalMb: total?.inferenceWorkerMb ?? NaN,
      serverRssMb: srv.rssMb,
      serverHeapMb: srv.heapMb,
      note,
    };
    console.log(
      [
        `${s.atS.toFixed(0).padStart(6)} s`,
        label.padEnd(22),
        `page heap ${s.pageHeapMb.toFixed(1).padStart(6)} MB`,
        `worker heap ${s.workerHeapMb.toFixed(1).padStart(6)} MB`,
        `page total ${s.pageTotalMb.toFixed(1).padStart(6)} MB (worker ${s.workerTotalMb.toFixed(1)})`,
        `server RSS ${s.serverRssMb.toFixed(1).padStart(6)} MB`,
        `server heap ${s.serverHeapMb.toFixed(1).padStart(6)} MB`,
        note,
      ].join('  '),
    );
    return s;
  };

  let ok = true;
  try {
    const page = await browser.newPage();
    console.log(
      `soak: model ${production.version}, ${predictions} predictions, then ${minutes} min of live view, ` +
        `server ${server.baseUrl}, Chromium ${browser.version()}`,
    );
    await openEngine(page, `${server.baseUrl}/`);
    await prepareInPage(page, production.version, ['wasm']);

    // 1. Predictions: 100 distinct scenes per call (10 base scenes x 10 amplitude scales).
    const perCall = BASE_SCENES * SCALES_PER_CALL;
    const calls = Math.ceil(predictions / perCall);
    const every = Math.max(1, Math.floor(calls / 10));
    const predictSamples: Sample[] = [await sample(page, 'predictions 0')];
    let done = 0;
    let hits = 0;
    let nonFinite = 0;
    const tPredict = Date.now();
    for (let c = 0; c < calls; c++) {
      const scales = Array.from(
        { length: SCALES_PER_CALL },
        (_, j) => 1 + (c * SCALES_PER_CALL + j) / 65_536,
      );
      const { results } = await predictInPage(page, scenes, { concurrent: true, scales });
      done += results.length;
      hits += results.filter((r) => r.cache === 'hit').length;
      nonFinite += results.filter((r) => !Number.isFinite(r.lat) || !Number.isFinite(r.lon)).length;
      if ((c + 1) % every === 0 || c === calls - 1) {
        const rate = done / ((Date.now() - tPredict) / 1000);
        predictSamples.push(
          await sample(page, `predictions ${done}`, `${rate.toFixed(0)} predictions/s`),
        );
      }
    }
    const metrics = await page.evaluate(() => window.__heimdall!.metrics());
    console.log(
      `predictions: ${done} in ${((Date.now() - tPredict) / 1000).toFixed(0)} s, ` +
        `${hits} cache hits (expected 0), ${nonFinite} non-finite estimates; ` +
        `worker metrics ${JSON.stringify(metrics).slice(0, 400)}`,
    );
    // Compared from the first sample after a tenth of the run: the caches fill at first.
    ok &&= verdict('predictions', predictSamples.slice(1));

    // 2. The live view, in the same page, for --minutes.
    await page.goto(`${server.baseUrl}/#live`);
    await page.waitForSelector('[data-testid=relay-status][data-state=open]', {
      timeout: 90_000,
    });
    await page.waitForTimeout(30_000);
    const liveSamples: Sample[] = [await sample(page, 'live 0 min', await liveCounts(page))];
    const tLive = Date.now();
    while (Date.now() - tLive < minutes * 60_000) {
      await page.waitForTimeout(
        Math.min(intervalS * 1000, minutes * 60_000 - (Date.now() - tLive)),
      );
      const m = (Date.now() - tLive) / 60_000;
      liveSamples.push(await sample(page, `live ${m.toFixed(1)} min`, await liveCounts(page)));
    }
    ok &&= verdict('live view', liveSamples);
    console.log(`soak verdict: ${ok ? 'memory stayed within the bounds' : 'a bound was EXCEEDED'}`);
  } finally {
    await browser.close();
    server.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
