/**
 * Where the first-visit time goes: a first visit (fresh profile) and a repeat visit (same
 * profile) of the production build, each traced (Chromium trace over CDP). Prints the engine
 * chip's steps, the busiest threads (CPU ms, workers named by their script) and the events that
 * decide cold start (the runtime's lazy compilation, optimising compiles, the map's software
 * read-back); writes the raw traces to reports/trace-first.json and reports/trace-repeat.json.
 *
 *   npx tsx scripts/trace-start.ts [--runs N] [--dist DIR]
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { visit } from './bench/coldStart';
import { serveBuild } from './bench/serveBuild';
import { formatPhases, summarizeTrace, type TraceEvent } from './bench/trace';

/** Events that decide cold start here (see the README's performance section). */
const KEY_EVENTS = [
  'wasm.CompileLazy',
  'v8.wasm.compileConsume',
  'wasm.TopTierCompilation',
  'GLES2::ReadPixels',
  'CommandBufferHelper::Finish',
  'TimerFire',
];

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};

async function main(): Promise<void> {
  const runs = Number(arg('runs') ?? 1);
  const { origin, served: servedLog, close } = await serveBuild(arg('dist') ?? 'dist');
  await mkdir('reports', { recursive: true });
  try {
    for (let run = 0; run < runs; run++) {
      const profile = await mkdtemp(join(tmpdir(), 'heimdall-trace-profile-'));
      try {
        for (const kind of ['first', 'repeat'] as const) {
          let events: TraceEvent[] = [];
          const v = await visit(origin, profile, servedLog, {
            trace: true,
            onTrace: (e) => (events = e),
          });
          await writeFile(`reports/trace-${kind}.json`, JSON.stringify(events));
          console.log(
            `${kind}: first estimate ${(v.firstEstimateMs / 1000).toFixed(2)} s, load average ${loadavg()[0].toFixed(1)}`,
          );
          console.log(
            '  chip',
            v.chip.map((c) => `${(c.atMs / 1000).toFixed(2)} ${c.text}`).join(' | '),
          );
          const summary = summarizeTrace(events);
          console.log('  busiest threads (ms):');
          for (const t of summary.busyMsByThread.slice(0, 8))
            console.log(`    ${String(t.busyMs).padStart(6)}  ${t.thread}`);
          const key = KEY_EVENTS.map((name) => {
            const hits = events.filter((e) => e.name === name && e.ph === 'X');
            const ms = hits.reduce((sum, e) => sum + (e.dur ?? 0), 0) / 1000;
            return `${name} ${Math.round(ms)} (${hits.length})`;
          });
          console.log(`  key events, ms over all threads (count): ${key.join('; ')}`);
          console.log('  timeline (ms since navigation):');
          for (const line of formatPhases(summary.phases)) console.log(`    ${line}`);
        }
      } finally {
        await rm(profile, { recursive: true, force: true });
      }
    }
  } finally {
    await close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
