/**
 * How long reading the dropped files' bytes takes in this browser, apart from everything the app
 * does with them (issue 12, item 10): the three WAVs of the real DCF77 set as in-page Files (as
 * scripts/bench-tdoa.ts drops them), read whole in a worker by each API there is (Blob.arrayBuffer,
 * FileReaderSync, Blob.stream) and on the page itself, interleaved. The floor under "files opened"
 * in the TDoA benchmark. Prints figures only.
 *
 *   npx tsx scripts/bench-blob-read.ts [--runs 8]
 */
import { chromium } from '@playwright/test';
import { loadavg } from 'node:os';
import { launchOptions } from '../e2e/support/browser';
import { kiwiSet, kiwiSetPresent } from '../e2e/support/tdoaPage';
import { median } from '../src/core/stats';

const i = process.argv.indexOf('--runs');
const RUNS = i > 0 ? Number(process.argv[i + 1]) : 8;

/** Runs in the page (a string: the page must not see the bundler's helpers). */
const PAGE_SCRIPT = `async ({ b64s, runs }) => {
  const files = b64s.map((b, i) => new File([Uint8Array.from(atob(b), (c) => c.charCodeAt(0))], 'f' + i + '.wav'));
  const worker = new Worker(URL.createObjectURL(new Blob([\`
    onmessage = async (e) => {
      const { files, how } = e.data;
      const t0 = performance.now();
      if (how === 'worker arrayBuffer') await Promise.all(files.map((f) => f.arrayBuffer()));
      else if (how === 'worker FileReaderSync') { const r = new FileReaderSync(); for (const f of files) r.readAsArrayBuffer(f); }
      else await Promise.all(files.map(async (f) => { const rd = f.stream().getReader(); while (!(await rd.read()).done); }));
      postMessage(performance.now() - t0);
    };\`], { type: 'text/javascript' })));
  const inWorker = (how) => new Promise((done) => { worker.onmessage = (e) => done(e.data); worker.postMessage({ files, how }); });
  const out = { 'worker arrayBuffer': [], 'worker FileReaderSync': [], 'worker stream': [], 'page arrayBuffer': [] };
  for (let k = 0; k < runs; k++)
    for (const how of Object.keys(out)) {
      if (how === 'page arrayBuffer') {
        const t0 = performance.now();
        await Promise.all(files.map((f) => f.arrayBuffer()));
        out[how].push(performance.now() - t0);
      } else out[how].push(await inWorker(how));
    }
  worker.terminate();
  return out;
}`;

async function main(): Promise<void> {
  if (!kiwiSetPresent()) {
    console.log('skipped: the real KiwiSDR set is absent');
    return;
  }
  const { wavs } = await kiwiSet();
  const bytes = wavs.reduce((n, w) => n + w.buffer.length, 0);
  const browser = await chromium.launch(launchOptions);
  try {
    const page = await browser.newPage();
    await page.goto('about:blank');
    const out = (await page.evaluate(
      `(${PAGE_SCRIPT})(${JSON.stringify({ b64s: wavs.map((w) => w.buffer.toString('base64')), runs: RUNS })})`,
    )) as Record<string, number[]>;
    console.log(
      `${wavs.length} files, ${(bytes / 1e6).toFixed(1)} MB, read whole ${RUNS} times each way; load average ${loadavg()[0].toFixed(1)}`,
    );
    for (const [how, ms] of Object.entries(out))
      console.log(
        `  ${how.padEnd(22)} median ${median(ms).toFixed(0)} ms (min ${Math.min(...ms).toFixed(0)})`,
      );
  } finally {
    await browser.close();
  }
}

await main();
