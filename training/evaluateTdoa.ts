/**
 * `npm run eval:tdoa`: TDoA on held-out simulated scenes, scored against the truth and the
 * Cramer-Rao bound.
 *
 * Each scene (3-8 receivers over a few hundred km, every impairment of src/core/sim/tdoa) is
 * written to a temporary folder as the files a user would have (kiwirecorder IQ WAVs, SigMF),
 * opened with the project's readers, placed with its stations.json, and located with
 * locateTdoa, exactly the path `heimdall tdoa` takes. Prints, per set of scenes, the median and
 * p90 position error, the share of truths inside the 68 % / 95 % regions (grid HPD sets and
 * ellipses), the median ratio of error to the bound, and how the solver's lag sigmas hold up.
 *
 *   npm run eval:tdoa -- [--scenes N] [--seed S] [--duration S] [--kind K] [--clean]
 *                        [--set IMPAIRMENT=VALUE|LO:HI]... [--model-error-us X] [--check]
 *                        [--json FILE] [--wide-kiwi SHARE] [--snr LO:HI]
 *
 * --set changes one impairment of src/core/sim/tdoa/impairments.ts (from the defaults, or from
 * none with --clean), to see what each costs: --set multipathSceneFraction=0 --set
 * sampleRateOffsetPpm=0. --set passbandRippleDb=0.5 gives each receiver a passband that is not
 * flat (real ones are not; 0 by default, and then the scenes are the same as before it existed).
 * --set echoFadeHz=0.1 turns each echo's phase at a rate drawn within +-0.1 Hz, a sky wave fading
 * against the direct wave within the recording (0 by default: the echoes stand still, as before).
 *
 * --wide-kiwi records that share of the KiwiSDRs at 20250 Hz (their wide mode) instead of 12001 Hz:
 * scenes of mixed rates, each read at the lowest (src/core/tdoa/resampleOnClock.ts). 0 by default,
 * and then the scenes are the same as before the option existed.
 *
 * --snr LO:HI draws each scene's SNR from that range (dB) instead of the simulator's -3 to 30: a
 * strong station's scenes with --snr 60:90.
 *
 * --check exits non-zero when a goal is missed (CI runs a small guard). The default seed is the
 * held-out one: calibrate on another seed (e.g. --seed 1), never on this one.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { isHeimdallError } from '../src/core/errors';
import { nodeFileSource } from '../src/node/nodeFileSource';
import { openRecordings } from '../src/core/readers/open';
import {
  baseOutcome,
  echoBoundSummary,
  GOAL_RATIO,
  goalOdds,
  scoreResult,
  summarise,
  type SceneOutcome,
  type SetSummary,
} from '../src/core/sim/tdoa/evaluation';
import {
  DEFAULT_IMPAIRMENTS,
  NO_IMPAIRMENTS,
  type TdoaImpairments,
} from '../src/core/sim/tdoa/impairments';
import {
  simulateTdoaScene,
  type TdoaScene,
  type TdoaSceneOptions,
} from '../src/core/sim/tdoa/scene';
import { sceneCrb } from '../src/core/sim/tdoa/sceneCrb';
import { TDOA_SIGNAL_KINDS } from '../src/core/sim/tdoa/waveforms';
import { writeSceneFiles } from '../src/node/writeScene';
import { parseStationList } from '../src/core/stations';
import { locateTdoa } from '../src/core/tdoa/locateTdoa';

const HELD_OUT_SEED = 20261201;

const GOALS = {
  /** Median error over the bound, scenes above 10 dB (issue 12). */
  maxRatioAbove10Db: GOAL_RATIO,
  coverage95: { lo: 0.9, hi: 0.98 },
  coverage68: { lo: 0.6, hi: 0.76 },
};

const { values: args } = parseArgs({
  options: {
    scenes: { type: 'string', default: '100' },
    seed: { type: 'string', default: String(HELD_OUT_SEED) },
    duration: { type: 'string', default: '20' },
    kind: { type: 'string', default: 'any' },
    clean: { type: 'boolean', default: false },
    set: { type: 'string', multiple: true, default: [] },
    'model-error-us': { type: 'string' },
    check: { type: 'boolean', default: false },
    json: { type: 'string' },
    'wide-kiwi': { type: 'string', default: '0' },
    snr: { type: 'string' },
  },
});
const sceneCount = Number(args.scenes);
const seed = Number(args.seed);
const durationS = Number(args.duration);
const wideKiwiShare = Number(args['wide-kiwi']);
/** --snr LO:HI (dB): the scenes' SNR range instead of the simulator's default. */
const snrRange = args.snr?.split(':').map(Number);
const kinds =
  args.kind === 'any' ? TDOA_SIGNAL_KINDS : TDOA_SIGNAL_KINDS.filter((k) => k === args.kind);
if (
  !(Number.isInteger(sceneCount) && sceneCount > 0) ||
  !Number.isInteger(seed) ||
  !(durationS >= 3) ||
  !(wideKiwiShare >= 0 && wideKiwiShare <= 1) ||
  (snrRange !== undefined &&
    !(snrRange.length === 2 && snrRange.every(Number.isFinite) && snrRange[0]! <= snrRange[1]!)) ||
  kinds.length === 0
) {
  console.error(
    `usage: evaluateTdoa [--scenes N>0] [--seed INT] [--duration S>=3] ` +
      `[--kind any|${TDOA_SIGNAL_KINDS.join('|')}] [--clean] [--check] [--json FILE] [--wide-kiwi 0..1] [--snr LO:HI]`,
  );
  process.exit(2);
}
/** --set NAME=VALUE (repeatable): one impairment's rate or range changed, for ablations. */
function impairmentsFromArgs(): TdoaImpairments | undefined {
  const base: TdoaImpairments = { ...(args.clean ? NO_IMPAIRMENTS : DEFAULT_IMPAIRMENTS) };
  for (const item of args.set) {
    const m = /^(\w+)=(-?[\d.e+-]+)(?::(-?[\d.e+-]+))?$/.exec(item);
    const key = m?.[1] as keyof TdoaImpairments | undefined;
    if (!m || !key || !(key in base)) {
      console.error(
        `--set ${item}: want NAME=VALUE or NAME=LO:HI, NAME one of ${Object.keys(base).join(', ')}`,
      );
      process.exit(2);
    }
    const lo = Number(m[2]);
    const value = base[key];
    (base as unknown as Record<string, unknown>)[key] =
      typeof value === 'number' ? lo : { lo, hi: m[3] === undefined ? lo : Number(m[3]) };
  }
  return args.clean || args.set.length > 0 ? base : undefined;
}
const impairments = impairmentsFromArgs();
/** --model-error-us: the solver's per-station model error (tdoaDefaults.ts), for its calibration. */
const modelErrorUs =
  args['model-error-us'] === undefined ? undefined : Number(args['model-error-us']);
if (modelErrorUs !== undefined && !(modelErrorUs >= 0)) {
  console.error('--model-error-us: want a number of microseconds >= 0');
  process.exit(2);
}
const sceneOptions: Partial<TdoaSceneOptions> = {
  durationS,
  kinds,
  kiwiWideShare: wideKiwiShare,
  ...(snrRange ? { snrDb: { lo: snrRange[0]!, hi: snrRange[1]! } } : {}),
  ...(impairments ? { impairments } : {}),
};

const cpuS = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

async function locateScene(scene: TdoaScene, dir: string): Promise<SceneOutcome> {
  const crb = sceneCrb(scene);
  const paths = await writeSceneFiles(scene, dir);
  const sources = await Promise.all(paths.recordings.map((p) => nodeFileSource(p)));
  try {
    const { recordings, errors } = await openRecordings(sources);
    if (errors.length > 0) {
      const out = baseOutcome(scene, crb);
      out.failure = `reader: ${errors.map((e) => e.error.message).join('; ')}`;
      return out;
    }
    const list = parseStationList(await readFile(paths.stationsJson, 'utf8'), paths.stationsJson);
    const result = await locateTdoa(
      scene.id,
      recordings,
      list.stations,
      modelErrorUs === undefined ? {} : { stationModelErrorUs: modelErrorUs },
    );
    return scoreResult(scene, crb, result);
  } catch (err) {
    const out = baseOutcome(scene, crb);
    out.failure = isHeimdallError(err)
      ? `${err.name}: ${err.message}`
      : `BUG: ${(err as Error).stack ?? String(err)}`;
    return out;
  } finally {
    await Promise.all(sources.map((s) => s.close()));
  }
}

const pct = (x: number) => (Number.isFinite(x) ? `${(100 * x).toFixed(0)}%` : '-');
const metres = (x: number) =>
  !Number.isFinite(x)
    ? '-'
    : x >= 10_000
      ? `${(x / 1000).toFixed(0)} km`
      : x >= 1000
        ? `${(x / 1000).toFixed(1)} km`
        : `${x.toFixed(0)} m`;
const ratio = (x: number) => (Number.isFinite(x) ? `${x.toFixed(2)}x` : '-');

function row(name: string, s: SetSummary): string {
  return [
    name.padEnd(22),
    `${s.located}/${s.scenes}`.padStart(7),
    metres(s.medianErrorM).padStart(9),
    metres(s.p90ErrorM).padStart(9),
    metres(s.medianCrbM).padStart(9),
    ratio(s.medianRatio).padStart(8),
    `${pct(s.grid68.share)}/${pct(s.grid95.share)}`.padStart(9),
    `${pct(s.ellipse68.share)}/${pct(s.ellipse95.share)}`.padStart(9),
    `${pct(s.lagWithin1Sigma)}/${pct(s.lagWithin2Sigma)}`.padStart(9),
    ratio(s.lagCrbRatio).padStart(8),
  ].join(' ');
}

async function main(): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), 'heimdall-eval-tdoa-'));
  const outcomes: SceneOutcome[] = [];
  let simCpuS = 0;
  let solveCpuS = 0;
  try {
    for (let i = 0; i < sceneCount; i++) {
      const c0 = cpuS();
      const scene = simulateTdoaScene(seed, i, sceneOptions);
      const c1 = cpuS();
      const dir = join(root, scene.id);
      const outcome = await locateScene(scene, dir);
      const c2 = cpuS();
      await rm(dir, { recursive: true, force: true });
      outcome.cpuS = c2 - c1;
      simCpuS += c1 - c0;
      solveCpuS += c2 - c1;
      outcomes.push(outcome);
      if ((i + 1) % 10 === 0) console.error(`${i + 1}/${sceneCount} scenes`);
    }
  } finally {
    await rm(root, { recursive: true, force: true });
  }

  const sets: [string, (o: SceneOutcome) => boolean][] = [
    ['all', () => true],
    ['SNR > 10 dB', (o) => o.snrDb > 10],
    ['SNR > 10 dB, no echo', (o) => o.snrDb > 10 && !o.multipath],
    ['SNR <= 10 dB', (o) => o.snrDb <= 10],
    ['multipath', (o) => o.multipath],
    ...TDOA_SIGNAL_KINDS.map(
      (k) =>
        [`kind ${k}`, (o: SceneOutcome) => o.kind === k] as [string, (o: SceneOutcome) => boolean],
    ),
    ...['kiwi', 'sigmf', 'kiwi+sigmf'].map(
      (f) =>
        [`files ${f}`, (o: SceneOutcome) => o.formats === f] as [
          string,
          (o: SceneOutcome) => boolean,
        ],
    ),
    ['3 stations', (o) => o.stations === 3],
    ['6-8 stations', (o) => o.stations >= 6],
  ];
  console.log(
    `TDoA evaluation: ${sceneCount} ${seed === HELD_OUT_SEED ? 'held-out' : 'calibration'} scenes ` +
      `(seed ${seed}, ${durationS} s recordings, signals ${kinds.join('/')}` +
      `${snrRange ? `, SNR ${snrRange[0]} to ${snrRange[1]} dB` : ''}` +
      `${args.clean ? ', no impairments' : ''}${args.set.length ? `, ${args.set.join(' ')}` : ''}` +
      `${modelErrorUs === undefined ? '' : `, model error ${modelErrorUs} us`}), ` +
      `CPU ${simCpuS.toFixed(0)} s simulating + ${solveCpuS.toFixed(0)} s writing, reading and locating`,
  );
  console.log(
    [
      'set'.padEnd(22),
      'located'.padStart(7),
      'median'.padStart(9),
      'p90'.padStart(9),
      'CRB med'.padStart(9),
      'err/CRB'.padStart(8),
      'grid68/95'.padStart(9),
      'ell68/95'.padStart(9),
      'lag1s/2s'.padStart(9),
      'lag/CRB'.padStart(8),
    ].join(' '),
  );
  const summaries = new Map<string, SetSummary>();
  for (const [name, keep] of sets) {
    const subset = outcomes.filter(keep);
    if (subset.length === 0) continue;
    const s = summarise(subset);
    summaries.set(name, s);
    console.log(row(name, s));
  }
  console.log(
    "(err/CRB: median over scenes of error / the bound's median error; lag1s/2s: lags within 1 and 2 of the solver's sigmas, 68%/95% if honest; lag/CRB: median lag error over the bound's)",
  );

  // Calibration beyond two levels: the level of the smallest region that holds the truth is
  // uniform when the posterior is honest, so each column should read its own level.
  const levels = [0.25, 0.5, 0.68, 0.8, 0.95];
  console.log(
    `truth inside the region of level: ${levels.map((l) => `${pct(l)}`.padStart(5)).join('')}  (calibrated: the same)`,
  );
  for (const [name, keep] of sets.slice(0, 5)) {
    const c = outcomes.filter(keep).flatMap((o) => o.truthCredibility ?? []);
    if (c.length === 0) continue;
    const cells = levels.map((l) => pct(c.filter((x) => x <= l).length / c.length).padStart(5));
    console.log(`  ${name.padEnd(31)}${cells.join('')}  (${c.length} scenes)`);
  }

  // The echoes' own unknowns (sceneCrb.ts withEchoes): how much of the echoed scenes' error the
  // physics leaves to any solver. Reported beside the goal, never instead of it.
  for (const [name, keep] of [
    ['all', () => true],
    ['SNR > 10 dB', (o: SceneOutcome) => o.snrDb > 10],
  ] as [string, (o: SceneOutcome) => boolean][]) {
    const e = echoBoundSummary(outcomes.filter(keep));
    if (e.scenes === 0) continue;
    console.log(
      `echoes unknown (${name}): ${e.scenes} scenes with an echo on a usable station; their bound ` +
        `with each echo's amplitude, phase and delay unknown is ${ratio(e.boundGrowth)} the plain one ` +
        `(median), their error ${ratio(e.medianEchoRatio)} that bound; every scene over its own ` +
        `bound (that one where echoed): ${ratio(e.medianOwnRatio)}`,
    );
    // The solver does not trust its receivers' levels to match (directPath.ts): the bound whose
    // levels say nothing is the one it can reach.
    const p = echoBoundSummary(outcomes.filter(keep), true);
    console.log(
      `  the same with the levels saying nothing (phases only): bound ${ratio(p.boundGrowth)} the ` +
        `plain one, their error ${ratio(p.medianEchoRatio)} that bound; every scene over its own: ` +
        `${ratio(p.medianOwnRatio)}`,
    );
  }

  // Whether physics lets any unbiased solver meet the goal on these scenes (evaluation.ts goalOdds).
  const odds = goalOdds(outcomes.filter((o) => o.snrDb > 10));
  if (odds.scenes > 0) {
    console.log(
      `goal within reach? above 10 dB an efficient unbiased solver (each scene's error drawn from ` +
        `the bound it can reach: with each echo unknown where echoed) would put ` +
        `${odds.expected.toFixed(1)} of ${odds.scenes} scenes within ${GOAL_RATIO}x the plain bound ` +
        `(${odds.needed} needed): it would meet the goal with probability ${pct(odds.probability)}`,
    );
  }

  // Stations: a Kiwi WAV with no fix or a gap must not be timed across it (issue 12: excluded; a
  // solver may instead keep its longest gap-free stretch, which the lag figures above then judge).
  let keptImpaired = 0;
  let extraExclusions = 0;
  for (const o of outcomes) {
    if (o.failure && o.excluded.length === 0) continue;
    keptImpaired += o.expectedExcluded.filter((id) => !o.excluded.includes(id)).length;
    extraExclusions += o.excluded.filter((id) => !o.expectedExcluded.includes(id)).length;
  }
  const impaired = outcomes.reduce((n, o) => n + o.expectedExcluded.length, 0);
  console.log(
    `Kiwi stations with no GPS fix or a gap: ${impaired}, of which the solver kept ${keptImpaired} ` +
      `(the bound leaves them out); other stations excluded: ${extraExclusions}`,
  );
  const failures = outcomes.filter((o) => o.failure);
  const unexpected = failures.filter((o) => o.stations - o.expectedExcluded.length >= 3);
  console.log(
    `no position: ${failures.length} scenes (${unexpected.length} of them with 3 or more usable stations)`,
  );
  for (const o of unexpected.slice(0, 10)) console.log(`  ${o.id}: ${o.failure}`);
  const withModes = outcomes.filter((o) => o.nearestModeErrorM !== undefined);
  if (withModes.length > 0) {
    const wrongMode = withModes.filter((o) => o.nearestModeErrorM! < 0.5 * o.errorM!).length;
    console.log(
      `ambiguous (two modes): ${withModes.length} scenes; the point is the wrong mode in ${wrongMode}`,
    );
  }

  const above = summaries.get('SNR > 10 dB');
  const all = summaries.get('all')!;
  const goals: [string, boolean, string][] = [
    [
      `median error <= ${GOALS.maxRatioAbove10Db}x the CRB above 10 dB`,
      above !== undefined && above.medianRatio <= GOALS.maxRatioAbove10Db,
      above ? ratio(above.medianRatio) : 'no scenes',
    ],
    [
      `95% regions hold ${pct(GOALS.coverage95.lo)}-${pct(GOALS.coverage95.hi)} (grid)`,
      all.grid95.share >= GOALS.coverage95.lo && all.grid95.share <= GOALS.coverage95.hi,
      `${pct(all.grid95.share)} of ${all.grid95.n}`,
    ],
    [
      `68% regions hold ${pct(GOALS.coverage68.lo)}-${pct(GOALS.coverage68.hi)} (grid)`,
      all.grid68.share >= GOALS.coverage68.lo && all.grid68.share <= GOALS.coverage68.hi,
      `${pct(all.grid68.share)} of ${all.grid68.n}`,
    ],
    [
      'every scene with 3+ usable stations located',
      unexpected.length === 0,
      `${unexpected.length} not`,
    ],
  ];
  for (const [name, met, measured] of goals) {
    console.log(`goal ${met ? 'met   ' : 'MISSED'} ${name}: ${measured}`);
  }
  if (args.json) {
    const { writeFile } = await import('node:fs/promises');
    await writeFile(args.json, `${JSON.stringify({ seed, durationS, outcomes }, null, 1)}\n`);
    console.log(`per-scene outcomes: ${args.json}`);
  }
  if (args.check && goals.some(([, met]) => !met)) process.exitCode = 1;
}

await main();
