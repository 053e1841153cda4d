/**
 * What a lone prediction pays for the session runner's wait for the next task
 * (workers/nextTask.ts): the round trip of a message a dedicated worker posts to itself over a
 * MessageChannel, in headless Chromium, 2,000 times after 200 to warm up. The page is not
 * cross-origin isolated, so performance.now() is coarsened to 0.1 ms: read the figures as bounds.
 *
 *   npx tsx scripts/bench-task-hop.ts
 *
 * Prints figures only; nothing here passes or fails on time.
 */
import { loadavg } from 'node:os';
import { chromium } from '@playwright/test';
import { launchOptions } from '../e2e/support/browser';

const WORKER = `onmessage = async () => {
  const channel = new MessageChannel();
  const waiting = [];
  channel.port1.onmessage = () => waiting.shift()();
  const hop = () => new Promise((resolve) => { waiting.push(resolve); channel.port2.postMessage(null); });
  for (let i = 0; i < 200; i++) await hop();
  const ms = [];
  for (let i = 0; i < 2000; i++) { const t0 = performance.now(); await hop(); ms.push(performance.now() - t0); }
  ms.sort((a, b) => a - b);
  postMessage({ p50: ms[999], p95: ms[1899], p99: ms[1979] });
};`;

const browser = await chromium.launch(launchOptions);
try {
  const page = await browser.newPage();
  const ms = await page.evaluate(
    (source) =>
      new Promise<{ p50: number; p95: number; p99: number }>((resolve) => {
        const worker = new Worker(URL.createObjectURL(new Blob([source])));
        worker.onmessage = (e) => resolve(e.data as { p50: number; p95: number; p99: number });
        worker.postMessage(0);
      }),
    WORKER,
  );
  console.log(
    `message hop in a worker, load average ${loadavg()[0].toFixed(1)}: ` +
      `p50 ${ms.p50.toFixed(2)} ms, p95 ${ms.p95.toFixed(2)} ms, p99 ${ms.p99.toFixed(2)} ms`,
  );
} finally {
  await browser.close();
}
