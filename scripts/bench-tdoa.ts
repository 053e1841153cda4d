/**
 * Drop to heat map, in the browser and in Node (issue 12, item 10). Three stations × 30 s of
 * KiwiSDR IQ at 12 kHz: the real DCF77 set in ../shared/data/kiwi-dcf77-2020 (each file 30.1 s).
 *
 *   Browser: the production build served by the companion server in Chromium; the files are put
 *   in the page first, then timed from the drop event on the drop zone to the map's idle after the
 *   TDoA layers (data-tdoa-drawn-at): reading the headers in the worker, the solver in the worker,
 *   the result back, the heat image, contours, and the map drawing it. The first drop is cold;
 *   the same files are dropped again for the warm runs (the worker and page are warm, nothing is
 *   cached: every drop opens and solves anew).
 *   Node: locateTdoa on the same files opened with the same readers, the same number of times.
 *
 * Run after `npx vite build`:  npx tsx scripts/bench-tdoa.ts [--runs 8]
 * Prints figures only; nothing here passes or fails on time.
 */
import { chromium } from '@playwright/test';
import { join } from 'node:path';
import { freePort, launchOptions } from '../e2e/support/browser';
import { e2eRegistryPath } from '../e2e/support/registries';
import {
  KIWI_DIR,
  kiwiSet,
  kiwiSetPresent,
  prepareTdoaDrops,
  timedDrop,
} from '../e2e/support/tdoaPage';
import { buildApp } from '../server/app';
import { nodeFileSource } from '../src/node/nodeFileSource';
import { openRecordings } from '../src/core/readers/open';
import { parseStationList } from '../src/core/stations';
import { median } from '../src/core/stats';
import { locateTdoa } from '../src/core/tdoa/locateTdoa';
import { readFile } from 'node:fs/promises';
import { loadavg } from 'node:os';

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const RUNS = Number(arg('runs') ?? 8);
/** The goal for the warm browser path. */
const GOAL_MS = 300;

const fmt = (v: number[]) =>
  `median ${median(v).toFixed(0)} ms, min ${Math.min(...v).toFixed(0)}, max ${Math.max(...v).toFixed(0)}`;

async function nodeRuns(): Promise<{ total: number[]; solve: number[] }> {
  const { wavs } = await kiwiSet();
  const stations = parseStationList(
    await readFile(join(KIWI_DIR, 'stations.json'), 'utf8'),
    'stations.json',
  ).stations;
  const total: number[] = [];
  const solve: number[] = [];
  for (let i = 0; i < RUNS + 1; i++) {
    const t0 = performance.now();
    const sources = await Promise.all(wavs.map((w) => nodeFileSource(join(KIWI_DIR, w.name))));
    const { recordings } = await openRecordings(sources);
    const t1 = performance.now();
    await locateTdoa('bench', recordings, stations);
    const t2 = performance.now();
    await Promise.all(sources.map((s) => s.close()));
    // The first run is the cold one (JIT): left out, as in the browser.
    if (i > 0) {
      total.push(t2 - t0);
      solve.push(t2 - t1);
    }
  }
  return { total, solve };
}

async function browserRuns(): Promise<{ cold: number; warm: number[]; solve: number[] }> {
  const app = await buildApp({ registryPath: e2eRegistryPath(), distDir: 'dist' });
  const origin = await app.listen({ port: await freePort(), host: '127.0.0.1' });
  const browser = await chromium.launch(launchOptions);
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    // The station list is stored first; only the recordings are timed, on a warm page.
    const staged = await prepareTdoaDrops(page, origin);
    const times: number[] = [];
    const solve: number[] = [];
    for (let i = 0; i < RUNS + 1; i++) {
      const { t0, drawn } = await timedDrop(page, staged);
      times.push(drawn - t0);
      const ms = await page.getByTestId('tdoa-solve-ms').getAttribute('data-ms');
      solve.push(Number(ms));
      await page.waitForTimeout(300);
    }
    return { cold: times[0], warm: times.slice(1), solve: solve.slice(1) };
  } finally {
    await browser.close();
    await app.close();
  }
}

async function main(): Promise<void> {
  if (!kiwiSetPresent()) {
    console.log(`skipped: the real KiwiSDR set is absent (${KIWI_DIR})`);
    return;
  }
  const load = () => loadavg()[0].toFixed(1);
  console.log(
    `TDoA, 3 stations x 30 s at 12 kHz (real DCF77 set), ${RUNS} warm runs each; load average ${load()}`,
  );
  const node = await nodeRuns();
  console.log(
    `Node    open + locateTdoa: ${fmt(node.total)}  (locateTdoa alone: ${fmt(node.solve)})`,
  );
  const web = await browserRuns();
  console.log(
    `Browser drop -> heat map drawn: cold ${web.cold.toFixed(0)} ms; warm ${fmt(web.warm)}`,
  );
  console.log(`Browser locateTdoa in the worker: ${fmt(web.solve)}`);
  const ratio = median(web.warm) / median(node.total);
  console.log(
    `ratio browser warm / Node: ${ratio.toFixed(2)}; goal <= ${GOAL_MS} ms warm: ${median(web.warm) <= GOAL_MS ? 'met' : 'MISSED'}; load average ${load()}`,
  );
}

await main();
