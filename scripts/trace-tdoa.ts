/**
 * Where the warm drop-to-heat-map time goes (issue 12, item 10): the page of scripts/bench-tdoa.ts,
 * the real DCF77 set dropped `--warm` times, then once more under a Chromium trace. Prints the
 * drop's time and the CPU time each thread spent between the drop and the heat map drawn (the
 * tasks' thread time, which a loaded machine does not inflate the way it does wall time); with
 * `--js`, V8's sampling profiler too (it costs CPU itself) and the JavaScript functions with the
 * most self time per thread. Writes the raw trace to reports/trace-tdoa.json (Perfetto opens it).
 *
 * Run after `npx vite build`:  npx tsx scripts/trace-tdoa.ts [--warm 2] [--js] [--dist DIR]
 * (`--dist`: another build, e.g. one made with `npx vite build --minify false --outDir DIR`
 * to read the profile's function names)
 */
import { chromium } from '@playwright/test';
import { mkdir, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { freePort, launchOptions } from '../e2e/support/browser';
import { e2eRegistryPath } from '../e2e/support/registries';
import { kiwiSetPresent, prepareTdoaDrops, timedDrop } from '../e2e/support/tdoaPage';
import { buildApp } from '../server/app';
import { readTrace, startTrace, summarizeTrace, type TraceEvent } from './bench/trace';

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const WARM = Number(arg('warm') ?? 2);
const JS_SAMPLES = process.argv.includes('--js');

/**
 * CPU ms per thread (top-level tasks' thread time) for tasks that start within [fromUs, toUs) of
 * the trace clock, largest first.
 */
function cpuByThread(events: TraceEvent[], fromUs: number, toUs: number) {
  const names = new Map<string, string>();
  for (const e of events)
    if (e.ph === 'M' && e.name === 'thread_name')
      names.set(`${e.pid}:${e.tid}`, e.args?.name ?? '');
  const byThread = new Map<string, TraceEvent[]>();
  for (const e of events) {
    const tdur = (e as { tdur?: number }).tdur;
    if (e.ph !== 'X' || typeof tdur !== 'number' || e.ts < fromUs || e.ts >= toUs) continue;
    const key = `${e.pid}:${e.tid}`;
    if (!byThread.has(key)) byThread.set(key, []);
    byThread.get(key)!.push(e);
  }
  const out: { thread: string; cpuMs: number }[] = [];
  for (const [key, list] of byThread) {
    list.sort((a, b) => a.ts - b.ts);
    let end = -Infinity;
    let us = 0;
    for (const e of list) {
      if (e.ts < end) continue; // nested in the task before
      us += (e as { tdur?: number }).tdur ?? 0;
      end = e.ts + (e.dur ?? 0);
    }
    out.push({ thread: `${names.get(key) ?? key} (${key})`, cpuMs: us / 1000 });
  }
  return out.sort((a, b) => b.cpuMs - a.cpuMs);
}

interface ProfileNode {
  id: number;
  parent?: number;
  callFrame: { functionName: string; url?: string; lineNumber?: number };
}

/**
 * JavaScript self time per thread and function from the trace's ProfileChunk events (V8's
 * sampling profiler; one profile per thread, its nodes and samples arrive in chunks).
 */
function jsSelfTime(events: TraceEvent[]): Map<string, Map<string, number>> {
  const threadOf = new Map<string, string>();
  for (const e of events)
    if (e.name === 'Profile' && e.id) threadOf.set(`${e.pid}:${e.id}`, `${e.pid}:${e.tid}`);
  const nodes = new Map<string, Map<number, ProfileNode>>();
  const out = new Map<string, Map<string, number>>();
  for (const e of events) {
    if (e.name !== 'ProfileChunk' || !e.id) continue;
    const key = `${e.pid}:${e.id}`;
    const thread = threadOf.get(key) ?? `${e.pid}:${e.tid}`;
    const data = e.args?.data as
      | { cpuProfile?: { nodes?: ProfileNode[]; samples?: number[] }; timeDeltas?: number[] }
      | undefined;
    if (!nodes.has(key)) nodes.set(key, new Map());
    const known = nodes.get(key)!;
    for (const n of data?.cpuProfile?.nodes ?? []) known.set(n.id, n);
    const samples = data?.cpuProfile?.samples ?? [];
    const deltas = data?.timeDeltas ?? [];
    if (!out.has(thread)) out.set(thread, new Map());
    const byFn = out.get(thread)!;
    samples.forEach((id, i) => {
      const f = known.get(id)?.callFrame;
      const name = f
        ? `${f.functionName || '(anonymous)'} ${(f.url ?? '').slice((f.url ?? '').lastIndexOf('/') + 1)}:${f.lineNumber ?? -1}`
        : '?';
      byFn.set(name, (byFn.get(name) ?? 0) + (deltas[i] ?? 0) / 1000);
    });
  }
  return out;
}

async function main(): Promise<void> {
  if (!kiwiSetPresent()) {
    console.log('skipped: the real KiwiSDR set is absent');
    return;
  }
  const app = await buildApp({ registryPath: e2eRegistryPath(), distDir: arg('dist') ?? 'dist' });
  const origin = await app.listen({ port: await freePort(), host: '127.0.0.1' });
  const browser = await chromium.launch(launchOptions);
  try {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    const staged = await prepareTdoaDrops(page, origin);
    for (let i = 0; i < WARM; i++) {
      await timedDrop(page, staged);
      await page.waitForTimeout(300);
    }
    const cdp = await startTrace(
      context,
      page,
      JS_SAMPLES ? ['disabled-by-default-v8.cpu_profiler'] : [],
    );
    await page.waitForTimeout(200);
    const { t0, drawn } = await timedDrop(page, staged);
    await page.waitForTimeout(200);
    const events = await readTrace(cdp);
    await mkdir('reports', { recursive: true });
    await writeFile('reports/trace-tdoa.json', JSON.stringify(events));
    console.log(
      `drop -> heat map drawn: ${(drawn - t0).toFixed(0)} ms (load average ${loadavg()[0].toFixed(1)})`,
    );
    const drop = events.find((e) => e.name === 'EventDispatch' && e.args?.data?.type === 'drop');
    if (drop) {
      const cpu = cpuByThread(events, drop.ts, drop.ts + (drawn - t0) * 1000);
      const total = cpu.reduce((a, t) => a + t.cpuMs, 0);
      console.log(`CPU ms from the drop to the heat map drawn, all threads: ${total.toFixed(0)}`);
      for (const t of cpu.filter((c) => c.cpuMs >= 5))
        console.log(`  ${t.cpuMs.toFixed(0).padStart(6)}  ${t.thread}`);
    }
    const summary = summarizeTrace(events);
    console.log('busiest threads over the trace (wall ms):');
    for (const t of summary.busyMsByThread.slice(0, 6))
      console.log(`  ${String(t.busyMs).padStart(6)}  ${t.thread}`);
    const names = new Map<string, string>();
    for (const e of events)
      if (e.ph === 'M' && e.name === 'thread_name')
        names.set(`${e.pid}:${e.tid}`, e.args?.name ?? '');
    const js = jsSelfTime(events);
    for (const [thread, byFn] of js) {
      const total = [...byFn.values()].reduce((a, b) => a + b, 0);
      if (total < 20) continue;
      console.log(`JavaScript self time, ${names.get(thread) ?? thread}: ${total.toFixed(0)} ms`);
      for (const [fn, ms] of [...byFn].sort((a, b) => b[1] - a[1]).slice(0, 25))
        console.log(`  ${ms.toFixed(1).padStart(7)}  ${fn}`);
    }
  } finally {
    await browser.close();
    await app.close();
  }
}

await main();
