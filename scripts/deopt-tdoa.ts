/**
 * Which of the worker's functions V8 optimises and deoptimises during warm TDoA drops in the
 * browser (issue 12, item 10): the page of scripts/bench-tdoa.ts in a Chromium started with
 * --js-flags=--trace-opt --trace-deopt, the real DCF77 set dropped `--drops` times; prints, for
 * the drops after the first, each function's deoptimisations (with their reasons) and its
 * compilations, most first. A function that is compiled again and again on every drop costs the
 * worker its slow tiers and the compiler threads their CPU.
 *
 * Run after `npx vite build` (a build with `--minify false --outDir DIR` and `--dist DIR` gives
 * readable names):  npx tsx scripts/deopt-tdoa.ts [--drops 4] [--dist dist]
 */
import { freePort, launchOptions } from '../e2e/support/browser';
import { e2eRegistryPath } from '../e2e/support/registries';
import { kiwiSetPresent, prepareTdoaDrops, timedDrop } from '../e2e/support/tdoaPage';
import { buildApp } from '../server/app';

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const DROPS = Number(arg('drops') ?? 4);

// The browser's stdout (where V8's trace goes) reaches this process only as Playwright's debug
// log on stderr: enabled before Playwright loads, and kept here instead of printed.
process.env.DEBUG = 'pw:browser';
const lines: string[] = [];
const writeStderr = process.stderr.write.bind(process.stderr);
process.stderr.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
  const text = String(chunk);
  if (!text.includes('pw:browser')) return writeStderr(chunk, ...rest);
  for (const l of text.split('\n')) lines.push(l);
  return true;
}) as typeof process.stderr.write;
const { chromium } = await import('@playwright/test');

/** Counts per function of the V8 trace lines after `from` (an index into lines). */
function tally(lines: string[], from: number) {
  const deopts = new Map<string, number>();
  const compiles = new Map<string, number>();
  for (const line of lines.slice(from)) {
    const fn = /<JSFunction ([^ >]*)/.exec(line)?.[1] ?? '?';
    if (line.includes('bailout (kind')) {
      const reason = /reason: ([^)]*)\)/.exec(line)?.[1] ?? '?';
      const key = `${fn}: ${reason}`;
      deopts.set(key, (deopts.get(key) ?? 0) + 1);
    } else if (line.includes('completed compiling')) {
      const key = `${fn}${line.includes(' OSR') ? ' (OSR)' : ''}`;
      compiles.set(key, (compiles.get(key) ?? 0) + 1);
    }
  }
  return { deopts, compiles };
}

async function main(): Promise<void> {
  if (!kiwiSetPresent()) {
    console.log('skipped: the real KiwiSDR set is absent');
    return;
  }
  const app = await buildApp({ registryPath: e2eRegistryPath(), distDir: arg('dist') ?? 'dist' });
  const browser = await chromium.launch({
    ...launchOptions,
    args: [...(launchOptions.args ?? []), '--js-flags=--trace-opt --trace-deopt'],
  });
  try {
    const origin = await app.listen({ port: await freePort(), host: '127.0.0.1' });
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const staged = await prepareTdoaDrops(page, origin);
    let afterFirst = lines.length;
    for (let i = 0; i < DROPS; i++) {
      const { t0, drawn } = await timedDrop(page, staged);
      console.log(`drop ${i + 1}: ${(drawn - t0).toFixed(0)} ms`);
      if (i === 0) afterFirst = lines.length;
      await page.waitForTimeout(300);
    }
    const { deopts, compiles } = tally(lines, afterFirst);
    const top = (m: Map<string, number>) =>
      [...m].sort((a, b) => b[1] - a[1]).slice(0, Number(arg('top') ?? 40));
    console.log(`Deoptimisations in drops 2-${DROPS}:`);
    for (const [k, v] of top(deopts)) console.log(`  ${String(v).padStart(4)}  ${k}`);
    console.log(`Compilations finished in drops 2-${DROPS}:`);
    for (const [k, v] of top(compiles)) console.log(`  ${String(v).padStart(4)}  ${k}`);
  } finally {
    await browser.close();
    await app.close();
  }
}

await main();
