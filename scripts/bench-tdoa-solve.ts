/**
 * Node time of one TDoA solve of the real DCF77 set (../shared/data/kiwi-dcf77-2020), for this
 * tree and any other checkouts given, interleaved round by round so that a loaded machine weighs
 * on each alike. Prints the median total and the median of each stage (stageTimes.ts) per tree,
 * with the load average before and after. The recordings are opened once per tree and read from
 * disk by every solve, as the CLI does.
 *
 * Run:  npx tsx scripts/bench-tdoa-solve.ts [--rounds 6] [OTHER_TREE ...]
 * (an OTHER_TREE is a checkout of another commit, e.g. `git archive 762e0bb | tar -x -C DIR`
 * with node_modules linked; its src/ is imported as it is).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const args = process.argv.slice(2);
const at = args.indexOf('--rounds');
const ROUNDS = at >= 0 ? Number(args[at + 1]) : 6;
const trees = [
  process.cwd(),
  ...args.filter((a, i) => a !== '--rounds' && (at < 0 || i !== at + 1)).map((a) => resolve(a)),
];
const DIR = join(process.cwd(), '../shared/data/kiwi-dcf77-2020');

type Solve = () => Promise<Record<string, number>>;

async function solverOf(tree: string): Promise<Solve> {
  const from = (p: string) => import(pathToFileURL(join(tree, 'src', p)).href);
  const { nodeFileSource } = await from('node/nodeFileSource.ts');
  const { openRecordings } = await from('core/readers/open.ts');
  const { parseStationList } = await from('core/stations.ts');
  const { locateTdoa } = await from('core/tdoa/locateTdoa.ts');
  const files = readdirSync(DIR).filter((f) => f.endsWith('.wav'));
  const sources = await Promise.all(files.map((f: string) => nodeFileSource(join(DIR, f))));
  const { recordings } = await openRecordings(sources);
  const stations = parseStationList(
    readFileSync(join(DIR, 'stations.json'), 'utf8'),
    'stations.json',
  ).stations;
  return async () => {
    const stageMs: Record<string, number> = {};
    const t0 = performance.now();
    await locateTdoa('dcf77', recordings, stations, { stageMs });
    return { total: performance.now() - t0, ...stageMs };
  };
}

const median = (v: number[]) => {
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
const solvers: Solve[] = [];
for (const t of trees) solvers.push(await solverOf(t));
// Two warm-up solves each: compiled code and pooled buffers, as a warm page has them.
for (const s of solvers) for (let i = 0; i < 2; i++) await s();
const loadBefore = load();
const runs = trees.map(() => [] as Record<string, number>[]);
for (let r = 0; r < ROUNDS; r++)
  for (let t = 0; t < trees.length; t++) runs[t].push(await solvers[t]());
console.log(`load average before ${loadBefore}, after ${load()}; ${ROUNDS} interleaved rounds`);
trees.forEach((tree, t) => {
  const stages = Object.keys(runs[t][0]);
  const parts = stages.map((k) => `${k} ${median(runs[t].map((x) => x[k] ?? 0)).toFixed(1)}`);
  console.log(`${tree}: median ms: ${parts.join(', ')}`);
});
