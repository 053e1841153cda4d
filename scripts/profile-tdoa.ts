/**
 * Where a warm TDoA solve spends its time and its garbage in Node (issue 12, item 10): the real
 * DCF77 set opened and located `--warm` times (JIT warm-up, not profiled), then `--solves` times
 * under V8's sampling CPU profiler, or with `--heap` its sampling heap profiler (every allocation
 * sampled, the collected ones included). Prints the self time (ms per solve) or the bytes
 * allocated (MB per solve) by source file and by function.
 *
 *   npx tsx scripts/profile-tdoa.ts [--warm 4] [--solves 8] [--heap] [--top 30]
 */
import { Session } from 'node:inspector/promises';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { KIWI_DIR, kiwiSetPresent } from '../e2e/support/tdoaPage';
import { openRecordings } from '../src/core/readers/open';
import { parseStationList } from '../src/core/stations';
import { locateTdoa } from '../src/core/tdoa/locateTdoa';
import { nodeFileSource } from '../src/node/nodeFileSource';

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const WARM = Number(arg('warm') ?? 4);
const SOLVES = Number(arg('solves') ?? 8);
const TOP = Number(arg('top') ?? 30);
const HEAP = process.argv.includes('--heap');

interface Frame {
  functionName: string;
  url: string;
}

/** `file` (the last two path parts) and `function file` of a frame. */
const keys = (f: Frame) => {
  const file = f.url.split('/').slice(-2).join('/') || `(${f.functionName || 'native'})`;
  return [file, `${f.functionName || '(anonymous)'}  ${file}`];
};

function print(title: string, totals: Map<string, number>, scale: number, unit: string): void {
  console.log(title);
  for (const [k, v] of [...totals].sort((a, b) => b[1] - a[1]).slice(0, TOP))
    console.log(`  ${(v * scale).toFixed(2).padStart(8)} ${unit}  ${k}`);
}

async function main(): Promise<void> {
  if (!kiwiSetPresent()) {
    console.log(`skipped: the real KiwiSDR set is absent (${KIWI_DIR})`);
    return;
  }
  const names = (await readdir(KIWI_DIR)).filter((n) => n.endsWith('_iq.wav')).sort();
  const stations = parseStationList(
    await readFile(join(KIWI_DIR, 'stations.json'), 'utf8'),
    'stations.json',
  ).stations;
  const solve = async () => {
    const sources = await Promise.all(names.map((n) => nodeFileSource(join(KIWI_DIR, n))));
    const { recordings } = await openRecordings(sources);
    await locateTdoa('profile', recordings, stations);
    await Promise.all(sources.map((s) => s.close()));
  };
  for (let i = 0; i < WARM; i++) await solve();
  const session = new Session();
  session.connect();
  const byFile = new Map<string, number>();
  const byFunction = new Map<string, number>();
  const add = (f: Frame, v: number) => {
    const [file, fn] = keys(f);
    byFile.set(file, (byFile.get(file) ?? 0) + v);
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + v);
  };
  if (HEAP) {
    await session.post('HeapProfiler.startSampling', {
      samplingInterval: 4096,
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: true,
    });
    for (let i = 0; i < SOLVES; i++) await solve();
    const { profile } = await session.post('HeapProfiler.stopSampling');
    type Node = { callFrame: Frame; selfSize: number; children: Node[] };
    const walk = (n: Node) => {
      add(n.callFrame, n.selfSize);
      n.children.forEach(walk);
    };
    walk(profile.head as Node);
    const scale = 1 / SOLVES / 1e6;
    const total = [...byFile.values()].reduce((a, b) => a + b, 0);
    console.log(`Allocated per warm solve (open + locate): ${(total * scale).toFixed(1)} MB`);
    print('By file, MB per solve:', byFile, scale, 'MB');
    print('By function, MB per solve:', byFunction, scale, 'MB');
  } else {
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 100 });
    await session.post('Profiler.start');
    const t0 = performance.now();
    for (let i = 0; i < SOLVES; i++) await solve();
    const wallMs = performance.now() - t0;
    const { profile } = await session.post('Profiler.stop');
    const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
    const samples = profile.samples ?? [];
    const deltas = profile.timeDeltas ?? [];
    for (let i = 0; i < samples.length; i++) add(nodes.get(samples[i])!.callFrame, deltas[i] ?? 0);
    const scale = 1 / SOLVES / 1000;
    console.log(`Warm solves (open + locate): ${(wallMs / SOLVES).toFixed(0)} ms each`);
    print('Self time by file, ms per solve:', byFile, scale, 'ms');
    print('Self time by function, ms per solve:', byFunction, scale, 'ms');
  }
  session.disconnect();
}

await main();
