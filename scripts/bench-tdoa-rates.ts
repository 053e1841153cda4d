/**
 * What mixed sample rates cost the TDoA solve (Node): one simulated scene of three KiwiSDRs,
 * 30 s, recorded three ways: all at 12001 Hz, one in the 20250 Hz wide mode (read at 12001 Hz on
 * its own clock: src/core/tdoa/resampleOnClock.ts), and all three at 20250 Hz (one rate, read as
 * they are). The same transmitter, stations, signal and impairments each time (the simulator draws
 * the wide receivers from a stream of their own). Solves interleaved round by round; prints the
 * median total and stages of each, and each over the all-12001 one.
 *
 * Run:  npx tsx scripts/bench-tdoa-rates.ts [--rounds 5]
 * Prints figures only.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { openRecordings } from '../src/core/readers/open';
import { NO_IMPAIRMENTS } from '../src/core/sim/tdoa/impairments';
import { simulateTdoaScene, type TdoaSceneOptions } from '../src/core/sim/tdoa/scene';
import { median } from '../src/core/stats';
import { parseStationList } from '../src/core/stations';
import { locateTdoa } from '../src/core/tdoa/locateTdoa';
import type { StageTimes } from '../src/core/tdoa/stageTimes';
import { nodeFileSource } from '../src/node/nodeFileSource';
import { writeSceneFiles } from '../src/node/writeScene';

const at = process.argv.indexOf('--rounds');
const ROUNDS = at > 0 ? Number(process.argv[at + 1]) : 5;
const SEED = 4243;

const base: Partial<TdoaSceneOptions> = {
  durationS: 31,
  kinds: ['noise'],
  snrDb: { lo: 20, hi: 20 },
  network: {
    stationCount: { min: 3, max: 3 },
    radiusKm: { lo: 300, hi: 300 },
    transmitterRadiusFactor: 0.5,
  },
  impairments: { ...NO_IMPAIRMENTS, sampleRateOffsetPpm: 40 },
  formatShares: { kiwi: 1, sigmf: 0 },
};

/** The first index whose scene with kiwiWideShare 0.34 has exactly one wide Kiwi. */
function oneWideIndex(): number {
  for (let i = 0; ; i++) {
    const s = simulateTdoaScene(SEED, i, { ...base, kiwiWideShare: 0.34 });
    if (s.stations.filter((x) => x.nominalRateHz === 20250).length === 1) return i;
  }
}

const index = oneWideIndex();
const variants = [
  { name: 'all at 12001 Hz', share: 0 },
  { name: 'one at 20250 Hz', share: 0.34 },
  { name: 'all at 20250 Hz', share: 1 },
];
const root = await mkdtemp(join(tmpdir(), 'heimdall-bench-rates-'));
try {
  const solvers = await Promise.all(
    variants.map(async (v) => {
      const scene = simulateTdoaScene(SEED, index, { ...base, kiwiWideShare: v.share });
      const paths = await writeSceneFiles(scene, join(root, String(v.share)));
      const sources = await Promise.all(paths.recordings.map((p) => nodeFileSource(p)));
      const { recordings } = await openRecordings(sources);
      const stations = parseStationList(
        await readFile(paths.stationsJson, 'utf8'),
        paths.stationsJson,
      ).stations;
      return { ...v, scene: scene.id, recordings, stations, runs: [] as StageTimes[] };
    }),
  );
  const loadBefore = loadavg()[0];
  for (let r = 0; r <= ROUNDS; r++) {
    for (const s of solvers) {
      const stageMs: StageTimes = {};
      const t = performance.now();
      await locateTdoa(s.scene, s.recordings, s.stations, { stageMs });
      stageMs.total = performance.now() - t;
      if (r > 0) s.runs.push(stageMs); // round 0 warms up
    }
  }
  const keys = [...new Set(solvers.flatMap((s) => s.runs.flatMap((x) => Object.keys(x))))];
  const med = (s: (typeof solvers)[number], k: string) => median(s.runs.map((x) => x[k] ?? 0));
  console.log(
    `TDoA solve, 3 KiwiSDRs x 30 s (simulated scene ${solvers[0].scene}), ${ROUNDS} rounds, median ms; load ${loadBefore.toFixed(1)} -> ${loadavg()[0].toFixed(1)}`,
  );
  console.log(`${'stage'.padEnd(28)}${solvers.map((s) => s.name.padStart(18)).join('')}`);
  for (const k of ['total', ...keys.filter((k) => k !== 'total')]) {
    console.log(`${k.padEnd(28)}${solvers.map((s) => med(s, k).toFixed(0).padStart(18)).join('')}`);
  }
  const ref = med(solvers[0], 'total');
  console.log(
    `ratio of totals to all at 12001 Hz: ${solvers.map((s) => `${s.name} ${(med(s, 'total') / ref).toFixed(2)}x`).join(', ')}`,
  );
} finally {
  await rm(root, { recursive: true, force: true });
}
