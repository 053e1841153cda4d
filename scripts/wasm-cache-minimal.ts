/**
 * Does Chromium's WebAssembly code cache work here at all, and in which setting? A minimal module
 * (one hot loop function, NF-1 idle ones, a 200 kB custom section so it passes Blink's 128 kB
 * size floor) is streamed with instantiateStreaming from a local server with immutable caching
 * headers, on a page or in a dedicated worker, twice in one profile, each visit traced. Prints
 * V8's wasm events per visit (compiledModule: V8 offered the module for caching; cachedModule:
 * Chromium wrote it; moduleCacheHit: the second visit used it). Compare with
 * `npx tsx scripts/bench-wasm-cache.ts` (the app's own runtime).
 *
 *   [FLAGS="--wasm-caching-threshold=1 --wasm-caching-timeout-ms=100"] [ISO=1] [SHARED=1] [NF=3000] \
 *     npx tsx scripts/wasm-cache-minimal.ts
 *
 * FLAGS: V8 flags (V8 caches only after 1 MB of optimised code by default); ISO=1: cross-origin
 * isolated and a module worker, as the app; SHARED=1: the module imports a shared memory, as
 * onnxruntime-web's threaded build does. Prints figures only.
 */
import Fastify from 'fastify';
import { chromium } from '@playwright/test';
import { mkdtemp, readdir, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM_ARGS, CHROMIUM_PATH, freePort } from '../e2e/support/browser';
import { readTrace, startTrace } from './bench/trace';

const NF = Number(process.env.NF ?? 1);
const sec = (id: number, body: number[]) => [id, ...leb(body.length), ...body];
function leb(n: number): number[] {
  const o: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n) b |= 0x80;
    o.push(b);
  } while (n);
  return o;
}
const body = [
  0x01, 0x01, 0x7f, 0x02, 0x40, 0x03, 0x40, 0x20, 0x00, 0x45, 0x0d, 0x01, 0x20, 0x01, 0x20, 0x00,
  0x6a, 0x41, 0x1f, 0x6c, 0x21, 0x01, 0x20, 0x00, 0x41, 0x01, 0x6b, 0x21, 0x00, 0x0c, 0x00, 0x0b,
  0x0b, 0x20, 0x01, 0x0b,
];
const pad = new Array(200_000).fill(7);
const wasm = Uint8Array.from([
  0x00,
  0x61,
  0x73,
  0x6d,
  1,
  0,
  0,
  0,
  ...sec(1, [1, 0x60, 1, 0x7f, 1, 0x7f]),
  ...(process.env.SHARED
    ? sec(2, [1, 3, 0x65, 0x6e, 0x76, 6, 0x6d, 0x65, 0x6d, 0x6f, 0x72, 0x79, 0x02, 0x03, 1, 1])
    : []),
  ...sec(3, [...leb(NF), ...new Array(NF).fill(0)]),
  ...sec(7, [1, 3, 0x68, 0x6f, 0x74, 0, 0]),
  ...sec(10, [
    ...leb(NF),
    ...leb(body.length),
    ...body,
    ...Array.from({ length: NF - 1 }, () => [0x04, 0x00, 0x20, 0x00, 0x0b]).flat(),
  ]),
  ...sec(0, [3, 0x70, 0x61, 0x64, ...pad]),
]);
const run = `async function run() { const { instance } = await WebAssembly.instantiateStreaming(fetch('/m.wasm'), ${process.env.SHARED ? '{ env: { memory: new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true }) } }' : '{}'}); let s = 0; for (let i = 0; i < 3000; i++) s += instance.exports.hot(20000); return s; }`;
const app = Fastify();
if (process.env.ISO)
  app.addHook('onSend', async (_q, r) => {
    r.header('cross-origin-opener-policy', 'same-origin');
    r.header('cross-origin-embedder-policy', 'require-corp');
    r.header('cross-origin-resource-policy', 'same-origin');
  });
app.get('/', async (_, r) => r.type('text/html').send(`<script>${run}</script>`));
app.get('/w.js', async (_, r) =>
  r.type('text/javascript').send(`${run}; onmessage = async () => postMessage(await run());`),
);
app.get('/m.wasm', async (_, r) =>
  r
    .type('application/wasm')
    .header('cache-control', 'public, max-age=31536000, immutable')
    .header('etag', '"m1"')
    .send(Buffer.from(wasm)),
);
const port = await freePort();
await app.listen({ port, host: '127.0.0.1' });
const flags = process.env.FLAGS;
for (const where of ['page', 'worker']) {
  const profile = await mkdtemp(join(tmpdir(), 'h11-ctx-'));
  for (const visitNo of [1, 2]) {
    const ctx = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM_PATH,
      args: flags ? [...CHROMIUM_ARGS, `--js-flags=${flags}`] : CHROMIUM_ARGS,
    });
    const page = ctx.pages()[0] ?? (await ctx.newPage());
    const tr = await startTrace(ctx, page);
    await page.goto(`http://127.0.0.1:${port}/`);
    if (where === 'page') await page.evaluate('run()');
    else
      await page.evaluate(
        () =>
          new Promise((res) => {
            const w = new Worker('/w.js', {
              type: globalThis.crossOriginIsolated ? 'module' : 'classic',
            });
            w.onmessage = res;
            w.postMessage(0);
          }),
      );
    await page.waitForTimeout(4000);
    const ev = await readTrace(tr);
    const counts: Record<string, number> = {};
    for (const e of ev)
      if (e.name.startsWith('v8.wasm.')) counts[e.name] = (counts[e.name] ?? 0) + 1;
    await ctx.close();
    let bytes = 0;
    for (const e of await readdir(join(profile, 'Default', 'Code Cache', 'wasm'), {
      withFileTypes: true,
      recursive: true,
    }).catch(() => []))
      if (e.isFile()) bytes += (await stat(join(e.parentPath, e.name))).size;
    console.log(
      `functions ${NF} shared ${process.env.SHARED ?? ''} iso ${process.env.ISO ?? ''} flags "${flags ?? ''}" ${where} visit ${visitNo}: ${JSON.stringify(counts)}; Code Cache/wasm ${bytes} bytes`,
    );
  }
}
await app.close();
