/**
 * Cold start, A/B in one run: first and repeat visits (as `npm run bench` measures them) of two or
 * more builds, interleaved visit by visit so that both see the same load on a shared machine.
 * Prints every visit with the load average at that moment, then the median of each variant.
 *
 *   npx tsx scripts/bench-start-ab.ts --variant main=/tmp/dist-main --variant new=dist [--runs 3]
 *
 * A variant `name=DIR+webui` runs Chromium with its omnibox WebUI popup on (the browser's own
 * start-up work, off in e2e/support/browser.ts), to measure what that costs.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM_ARGS, CHROMIUM_ARGS_WITH_WEBUI } from '../e2e/support/browser';
import { visit } from './bench/coldStart';
import { serveBuild } from './bench/serveBuild';

const values = (name: string) =>
  process.argv.flatMap((a, i) => (a === `--${name}` ? [process.argv[i + 1]] : []));

const median = (v: number[]) => {
  const s = v.filter(Number.isFinite).sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)] : NaN;
};

async function main(): Promise<void> {
  const runs = Number(values('runs')[0] ?? 3);
  const variants = values('variant').map((spec) => {
    const [name, rest] = spec.split('=');
    const webui = rest.endsWith('+webui');
    return { name, dir: webui ? rest.slice(0, -'+webui'.length) : rest, webui };
  });
  if (variants.length < 2) throw new Error('give at least two --variant name=DIR');
  const servers = await Promise.all(
    variants.map(async (v) => ({
      ...v,
      ...(await serveBuild(v.dir)),
      first: [] as number[],
      repeat: [] as number[],
      /** Model ready (the engine chip) to the first estimate, ms: the part after the runtime. */
      firstAfterReady: [] as number[],
      repeatAfterReady: [] as number[],
      /** The page's start-up marks of each visit (coldStart.ts pageMarks), by kind. */
      marks: { first: [] as Record<string, number>[], repeat: [] as Record<string, number>[] },
    })),
  );
  const load = () => loadavg()[0].toFixed(1);
  try {
    for (let run = 0; run < runs; run++) {
      // Alternate the order so neither variant always goes first.
      const order = run % 2 === 0 ? servers : [...servers].reverse();
      for (const s of order) {
        const profile = await mkdtemp(join(tmpdir(), 'heimdall-ab-profile-'));
        try {
          const args = s.webui ? CHROMIUM_ARGS_WITH_WEBUI : CHROMIUM_ARGS;
          for (const kind of ['first', 'repeat'] as const) {
            const loadBefore = load();
            const v = await visit(s.origin, profile, s.served, { trace: false, args });
            s[kind].push(v.firstEstimateMs);
            s.marks[kind].push(v.pageMarks);
            const ready = v.chip.find((c) => /Model \d/.test(c.text));
            s[kind === 'first' ? 'firstAfterReady' : 'repeatAfterReady'].push(
              ready ? v.firstEstimateMs - ready.atMs : NaN,
            );
            console.log(
              `run ${run + 1} ${s.name.padEnd(10)} ${kind.padEnd(6)} first estimate ` +
                `${(v.firstEstimateMs / 1000).toFixed(2)} s (model ready ${ready ? (ready.atMs / 1000).toFixed(2) : '-'} s), ` +
                `load average ${loadBefore} -> ${load()}${v.failure ? `; ${v.failure}` : ''}`,
            );
          }
        } finally {
          await rm(profile, { recursive: true, force: true });
        }
      }
    }
    console.log('\nmedians (s):');
    for (const s of servers)
      console.log(
        `  ${s.name.padEnd(10)} first ${(median(s.first) / 1000).toFixed(2)}  repeat ${(median(s.repeat) / 1000).toFixed(2)}  ` +
          `(first ${s.first.map((x) => (x / 1000).toFixed(2)).join(', ')}; repeat ${s.repeat.map((x) => (x / 1000).toFixed(2)).join(', ')}); ` +
          `model ready to first estimate: first ${(median(s.firstAfterReady) / 1000).toFixed(2)}, repeat ${(median(s.repeatAfterReady) / 1000).toFixed(2)}`,
      );
    // Where each variant's page spent the visit: the median time of each mark, in the order seen.
    for (const kind of ['first', 'repeat'] as const) {
      console.log(`\npage marks, ${kind} visit, median ms since navigation:`);
      const names = [...new Set(servers.flatMap((s) => s.marks[kind].flatMap(Object.keys)))];
      const at = (s: (typeof servers)[number], name: string) =>
        median(s.marks[kind].map((m) => m[name] ?? NaN));
      names.sort((a, b) => at(servers[0], a) - at(servers[0], b));
      console.log(`  ${''.padEnd(24)}${servers.map((s) => s.name.padStart(10)).join('')}`);
      for (const name of names)
        console.log(
          `  ${name.padEnd(24)}${servers.map((s) => Math.round(at(s, name)).toString().padStart(10)).join('')}`,
        );
    }
  } finally {
    await Promise.all(servers.map((s) => s.close()));
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
