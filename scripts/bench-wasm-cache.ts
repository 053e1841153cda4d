/**
 * Whether Chromium's WebAssembly code cache serves onnxruntime-web's runtime on a repeat visit,
 * and if not, at which step it stops. For each variant of V8 flags: a first and a repeat visit
 * (as `npm run bench` makes them) of the production build in one fresh profile, both traced;
 * prints the response headers of the .wasm, V8's wasm events of each visit (compiledModule: V8
 * offered the compiled module for caching; cachedModule: Chromium wrote it; moduleCacheHit: a
 * visit used it) and the bytes under the profile's `Code Cache/wasm`.
 *
 *   npx tsx scripts/bench-wasm-cache.ts [--dist dist] [--flags "|--wasm-caching-threshold=1"]
 *
 * --flags lists V8 flag sets separated by `|`; an empty one is Chromium's defaults.
 */
import { readdir, stat, mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM_ARGS } from '../e2e/support/browser';
import { visit, type VisitFigures } from './bench/coldStart';
import { serveBuild } from './bench/serveBuild';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};

async function bytesUnder(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []))
    if (entry.isFile()) total += (await stat(join(entry.parentPath, entry.name))).size;
  return total;
}

const served = await serveBuild(arg('dist', 'dist'));
try {
  const first = await visit(
    served.origin,
    await mkdtemp(join(tmpdir(), 'h-wasm-probe-')),
    served.served,
    { trace: false },
  );
  const wasmPath = first.wasmRequests[0];
  if (wasmPath) {
    const res = await fetch(served.origin + wasmPath);
    const keep = ['content-type', 'content-length', 'cache-control', 'etag', 'last-modified'];
    console.log(
      `${wasmPath}: ${res.status} ${keep.map((h) => `${h}: ${res.headers.get(h)}`).join('; ')}`,
    );
    await res.arrayBuffer();
  }
  for (const flags of arg('flags', '|--wasm-caching-threshold=1').split('|')) {
    const profile = await mkdtemp(join(tmpdir(), 'h-wasm-cache-'));
    const args = flags ? [...CHROMIUM_ARGS, `--js-flags=${flags}`] : CHROMIUM_ARGS;
    try {
      const visits: [string, VisitFigures][] = [];
      for (const name of ['first', 'repeat']) {
        visits.push([
          name,
          await visit(served.origin, profile, served.served, { trace: true, args }),
        ]);
      }
      const cacheBytes = await bytesUnder(join(profile, 'Default', 'Code Cache', 'wasm'));
      for (const [name, v] of visits) {
        console.log(
          `flags "${flags}" ${name} visit, load ${loadavg()[0].toFixed(1)}: first estimate ` +
            `${(v.firstEstimateMs / 1000).toFixed(2)} s, wasm requests ${v.wasmRequests.length}, ` +
            `V8 wasm events ${JSON.stringify(v.trace?.wasmEvents ?? {})}`,
        );
      }
      console.log(`flags "${flags}": Code Cache/wasm holds ${cacheBytes} bytes after both visits`);
    } finally {
      await rm(profile, { recursive: true, force: true });
    }
  }
} finally {
  await served.close();
}
