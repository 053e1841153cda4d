/**
 * Where a scene's error comes from, station by station: `npx tsx training/probeTdoaStations.ts --seed S
 * --scenes 0,4,7 [--min-snr 10] [--no-echo]`.
 *
 * Each scene is simulated, written and located as `npm run eval:tdoa` does it. From the solver's
 * own pair lags it takes each station's timing error (the lags' errors against the true delays,
 * fitted to one error per station weighted by the Cramer-Rao shares, the scene's common constant
 * removed) and divides it by that station's bound (its share plus its clock's variance): a z that
 * scatters as N(0, 1) for an efficient measurement. It also places the transmitter from the same
 * errors with the bound's weights (linearised at the truth): when that "oracle" position is as far
 * off as the solver's, the error is in the lags, not in the position stage. Prints one line per
 * scene and, over all stations, the RMS z grouped by signal kind and by the receiver's
 * sample-rate offset (a Kiwi tens of ppm off its header; SigMF recorders are GPS-disciplined).
 *
 * The oracle position's chi-square under the bound (2 degrees of freedom, the emission time
 * profiled out) says whether a scene's error over the bound is chance: an efficient solver's has
 * median 1.39 and exceeds 5.99 one time in twenty, whatever the ellipse's shape, while the error
 * over the bound's median error is spread wider the longer the ellipse (a long thin one puts a
 * third of its scenes past 1.5x; a round one a fifth).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { geodesicInverse } from '../src/core/geodesy';
import { openRecordings } from '../src/core/readers/open';
import { simulateTdoaScene } from '../src/core/sim/tdoa/scene';
import { sceneCrb } from '../src/core/sim/tdoa/sceneCrb';
import { median } from '../src/core/stats';
import { parseStationList } from '../src/core/stations';
import { fitStationTimes, solveSmall } from '../src/core/tdoa/closure';
import { stationDelayShareS2 } from '../src/core/tdoa/crb';
import { locateTdoa } from '../src/core/tdoa/locateTdoa';
import { SPEED_OF_LIGHT_M_S } from '../src/core/tdoa/propagation';
import { nodeFileSource } from '../src/node/nodeFileSource';
import { writeSceneFiles } from '../src/node/writeScene';

const { values: args } = parseArgs({
  options: {
    seed: { type: 'string', default: '10' },
    scenes: { type: 'string', default: '0,1,2,3,4,5,6,7,8,9' },
    'min-snr': { type: 'string', default: '-100' },
    'no-echo': { type: 'boolean', default: false },
    'each-station': { type: 'boolean', default: false },
  },
});
const seed = Number(args.seed);
const indices = args.scenes.split(',').map(Number);
const minSnrDb = Number(args['min-snr']);
if (!Number.isInteger(seed) || indices.some((i) => !Number.isInteger(i) || i < 0)) {
  console.error('usage: probeTdoaStations --seed INT --scenes I,J,... [--min-snr DB] [--no-echo]');
  process.exit(2);
}

interface StationZ {
  kind: string;
  rateGroup: string;
  z: number;
}
const all: StationZ[] = [];
/** Each scene's oracle chi-square under the bound. */
const chi2s: number[] = [];
const root = await mkdtemp(join(tmpdir(), 'heimdall-probe-tdoa-'));
try {
  for (const index of indices) {
    const scene = simulateTdoaScene(seed, index);
    if (scene.snrDb <= minSnrDb || (args['no-echo'] && scene.multipath)) continue;
    const crb = sceneCrb(scene);
    const paths = await writeSceneFiles(scene, join(root, scene.id));
    const sources = await Promise.all(paths.recordings.map((p) => nodeFileSource(p)));
    try {
      const { recordings } = await openRecordings(sources);
      const list = parseStationList(await readFile(paths.stationsJson, 'utf8'), paths.stationsJson);
      const result = await locateTdoa(scene.id, recordings, list.stations);
      if (result.lat === undefined || result.lon === undefined || !crb.medianErrorM) continue;
      const usable = scene.stations.filter((s) => !s.expectedExclusion);
      const ids = usable.map((s) => s.station.id);
      const { freqHz, densityPerHz, binHz } = scene.psd;
      const bound = usable.map(
        (s) =>
          stationDelayShareS2(
            freqHz,
            Float64Array.from(densityPerHz, (d) => d * s.perBinSnrScale),
            crb.durationS,
            binHz,
          ) + s.timingVarianceS2,
      );
      const delayS = new Map(usable.map((s) => [s.station.id, s.delayS]));
      const lagErrors = result.pairs
        .filter((p) => p.used && ids.includes(p.a) && ids.includes(p.b))
        .map((p) => {
          const a = ids.indexOf(p.a);
          const b = ids.indexOf(p.b);
          return {
            a,
            b,
            lagS: p.lagUs * 1e-6 - (delayS.get(p.b)! - delayS.get(p.a)!),
            sigmaS: Math.sqrt(bound[a] + bound[b]),
          };
        });
      const linked = new Set(lagErrors.flatMap((l) => [l.a, l.b]));
      if (linked.size !== ids.length) continue;
      const errS = fitStationTimes(ids.length, lagErrors).timesS;
      // Oracle position: e_k = t0 + grad d_k . dx / c, weighted by 1 / bound_k.
      const rows = usable.map((s) => {
        const az = (geodesicInverse(scene.transmitter, s.station).azimuthDeg * Math.PI) / 180;
        return [1, -Math.sin(az) / SPEED_OF_LIGHT_M_S, -Math.cos(az) / SPEED_OF_LIGHT_M_S];
      });
      const normal = [0, 1, 2].map(() => [0, 0, 0]);
      const rhs = [0, 0, 0];
      rows.forEach((g, k) => {
        for (let u = 0; u < 3; u++) {
          rhs[u] += (g[u] * errS[k]) / bound[k];
          for (let v = 0; v < 3; v++) normal[u][v] += (g[u] * g[v]) / bound[k];
        }
      });
      const [, east, north] = solveSmall(normal, rhs);
      // The position's information with the emission time profiled out (a Schur complement).
      const f = [1, 2].map((u) =>
        [1, 2].map((v) => normal[u][v] - (normal[u][0] * normal[0][v]) / normal[0][0]),
      );
      const chi2 = east * east * f[0][0] + 2 * east * north * f[0][1] + north * north * f[1][1];
      chi2s.push(chi2);
      const errorM = geodesicInverse(
        { lat: result.lat, lon: result.lon },
        scene.transmitter,
      ).distanceM;
      // The scene's common constant (the lags cannot see it): the bound-weighted mean.
      let weight = 0;
      let sum = 0;
      errS.forEach((e, k) => {
        weight += 1 / bound[k];
        sum += e / bound[k];
      });
      const z = errS.map((e, k) => (e - sum / weight) / Math.sqrt(bound[k]));
      usable.forEach((s, k) => {
        const ppm = Math.abs(s.trueRateHz / s.nominalRateHz - 1) * 1e6;
        all.push({
          kind: scene.signal.kind,
          rateGroup:
            s.format === 'sigmf'
              ? 'SigMF (exact rate)'
              : ppm < 15
                ? 'Kiwi |ppm| < 15'
                : ppm < 35
                  ? 'Kiwi |ppm| 15-35'
                  : 'Kiwi |ppm| >= 35',
          z: z[k],
        });
      });
      console.log(
        `${scene.id} ${scene.signal.kind} ${scene.snrDb.toFixed(1)} dB${scene.multipath ? ' multipath' : ''}: ` +
          `error ${(errorM / crb.medianErrorM).toFixed(2)}x the bound, oracle from its lags ` +
          `${(Math.hypot(east, north) / crb.medianErrorM).toFixed(2)}x (chi-square ${chi2.toFixed(1)}); station z ` +
          z.map((v) => v.toFixed(1)).join(' '),
      );
      if (args['each-station'])
        usable.forEach((s, k) => {
          const ppm = (s.trueRateHz / s.nominalRateHz - 1) * 1e6;
          console.log(
            `  ${s.station.id.padEnd(8)} ${s.format.padEnd(5)} ${ppm.toFixed(1).padStart(6)} ppm, ` +
              `offset ${s.frequencyOffsetHz.toFixed(2).padStart(6)} Hz, ${s.snrDb.toFixed(1)} dB, ` +
              `error ${(errS[k] * 1e6).toFixed(3).padStart(8)} us, bound ${(Math.sqrt(bound[k]) * 1e6).toFixed(3)} us, z ${z[k].toFixed(1)}`,
          );
        });
    } catch (err) {
      console.log(`${scene.id}: ${(err as Error).message}`);
    } finally {
      await Promise.all(sources.map((s) => s.close()));
      await rm(join(root, scene.id), { recursive: true, force: true });
    }
  }
} finally {
  await rm(root, { recursive: true, force: true });
}
const rms = (v: number[]) => Math.sqrt(v.reduce((s, x) => s + x * x, 0) / v.length);
const groups = new Map<string, number[]>();
for (const s of all) {
  for (const key of [`kind ${s.kind}`, s.rateGroup, 'all']) {
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key)!.push(s.z);
  }
}
console.log(
  "RMS of station z (lag error over the bound, the scene's weighted mean removed; sqrt((n - 1) / n), about 0.9, when efficient):",
);
for (const [key, v] of [...groups].sort())
  console.log(`  ${key.padEnd(22)} ${String(v.length).padStart(4)} stations  ${rms(v).toFixed(2)}`);
if (chi2s.length > 0) {
  const over = chi2s.filter((c) => c > 5.99).length;
  console.log(
    `oracle position's chi-square under the bound over ${chi2s.length} scenes: median ` +
      `${median(chi2s).toFixed(2)} (1.39 if efficient), over 5.99 in ` +
      `${over} (${((100 * over) / chi2s.length).toFixed(0)} %; 5 % if efficient)`,
  );
}
