/**
 * How a real set's result holds up on less of it: `npx tsx training/sliceRealTdoa.ts [--dir DIR]
 * [--truth LAT,LON] [--slices 2,3,4]`.
 *
 * A real set is one draw. Its 30 s give one position; that error alone says little of what the
 * next recording will give. Here each KiwiSDR recording of DIR (default the DCF77 set,
 * ../shared/data/kiwi-dcf77-2020, with its stations.json) is cut into N consecutive parts of whole
 * blocks (a `kiwi` chunk and its `data` chunk, copied byte for byte, so every part keeps its own
 * GPS stamps), part k of every recording together is one scene, and each scene is located as the
 * CLI does it. For the whole set and each part it prints the error, whether the truth lies inside
 * the 68 % and 95 % regions (the grid's highest-density regions), the lags against the lags the
 * geometry gives at the truth, and the notes; then per N the median error and the coverage.
 * Nothing is tuned to the set; this only measures.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { geodesicInverse } from '../src/core/geodesy';
import { openRecordings } from '../src/core/readers/open';
import { insideRegion } from '../src/core/tdoaRegions';
import { parseStationList } from '../src/core/stations';
import type { Station } from '../src/core/tdoa/types';
import { locateTdoa } from '../src/core/tdoa/locateTdoa';
import { geodesicDistanceM, SPEED_OF_LIGHT_M_S } from '../src/core/tdoa/propagation';
import { cutKiwiWav } from '../src/node/cutKiwiWav';
import { nodeFileSource } from '../src/node/nodeFileSource';

const { values: args } = parseArgs({
  options: {
    dir: { type: 'string', default: join(process.cwd(), '../shared/data/kiwi-dcf77-2020') },
    truth: { type: 'string', default: '50.0152,9.0112' },
    slices: { type: 'string', default: '2,3,4' },
  },
});
const dir = resolve(args.dir);
const [lat, lon] = args.truth.split(',').map(Number);
const counts = args.slices.split(',').map(Number);
if (
  !Number.isFinite(lat) ||
  !Number.isFinite(lon) ||
  counts.some((n) => !Number.isInteger(n) || n < 1 || n > 20)
) {
  console.error('usage: sliceRealTdoa [--dir DIR] [--truth LAT,LON] [--slices 2,3,4]');
  process.exit(2);
}
const truth = { lat, lon };

interface Outcome {
  label: string;
  errorM?: number;
  in68?: boolean;
  in95?: boolean;
}

async function locate(label: string, paths: string[], stations: Station[]): Promise<Outcome> {
  const sources = await Promise.all(paths.map((p) => nodeFileSource(p)));
  try {
    const { recordings, errors } = await openRecordings(sources);
    for (const e of errors) console.log(`  ${label}: ${e.file}: ${e.error.message}`);
    const r = await locateTdoa(label, recordings, stations);
    if (r.lat === undefined || r.lon === undefined || !r.grid) {
      console.log(`${label}: no position (${(r.notes ?? []).join('; ')})`);
      return { label };
    }
    const errorM = geodesicInverse({ lat: r.lat, lon: r.lon }, truth).distanceM;
    const in68 = insideRegion(r.grid, r.grid.level68, truth);
    const in95 = insideRegion(r.grid, r.grid.level95, truth);
    const byId = new Map(stations.map((s) => [s.id, s]));
    const delayUs = (id: string) =>
      (geodesicDistanceM(truth, byId.get(id)!) / SPEED_OF_LIGHT_M_S) * 1e6;
    const lags = r.pairs
      .map(
        (p) =>
          `${p.a}-${p.b} ${p.lagUs.toFixed(1)} (${(p.lagUs - (delayUs(p.b) - delayUs(p.a))).toFixed(1)} off) +-${p.sigmaUs.toFixed(1)}`,
      )
      .join(', ');
    console.log(
      `${label.padEnd(10)} ${(errorM / 1000).toFixed(2).padStart(6)} km  68 % ${in68 ? 'holds' : 'misses'}, ` +
        `95 % ${in95 ? 'holds' : 'misses'}; lags (us) ${lags}`,
    );
    for (const note of r.notes ?? []) console.log(`           ${note}`);
    return { label, errorM, in68, in95 };
  } finally {
    await Promise.all(sources.map((s) => s.close()));
  }
}

const files = (await readdir(dir)).filter((f) => f.endsWith('.wav')).sort();
const stations = parseStationList(
  await readFile(join(dir, 'stations.json'), 'utf8'),
  'stations.json',
).stations;
console.log(
  `${dir}: ${files.length} recordings; truth ${lat}, ${lon}. Lags: measured, then measured minus ` +
    'the ground-wave lag at the truth, then the stated standard error.',
);
const whole = await locate(
  'whole',
  files.map((f) => join(dir, f)),
  stations,
);
const root = await mkdtemp(join(tmpdir(), 'heimdall-slices-'));
const summary: string[] = [];
try {
  for (const n of counts) {
    const outcomes: Outcome[] = [];
    for (let part = 0; part < n; part++) {
      const sub = join(root, `${n}-${part}`);
      await mkdir(sub);
      const paths: string[] = [];
      for (const f of files) {
        const path = join(sub, f);
        await writeFile(path, await cutKiwiWav(join(dir, f), part, n));
        paths.push(path);
      }
      outcomes.push(await locate(`${part + 1} of ${n}`, paths, stations));
    }
    const errs = outcomes
      .filter((o) => o.errorM !== undefined)
      .map((o) => o.errorM!)
      .sort((a, b) => a - b);
    if (errs.length === 0) {
      summary.push(`${n} parts: located 0 of ${n}`);
      continue;
    }
    const mid = errs.length / 2;
    const median = errs.length % 2 ? errs[Math.floor(mid)] : (errs[mid - 1] + errs[mid]) / 2;
    summary.push(
      `${n} parts: located ${errs.length} of ${n}, median error ${(median / 1000).toFixed(2)} km ` +
        `(${(errs[0] / 1000).toFixed(2)}-${(errs[errs.length - 1] / 1000).toFixed(2)}), ` +
        `68 % regions hold ${outcomes.filter((o) => o.in68).length}, 95 % hold ${outcomes.filter((o) => o.in95).length}`,
    );
  }
} finally {
  await rm(root, { recursive: true, force: true });
}
if (whole.errorM !== undefined)
  console.log(
    `whole: ${(whole.errorM / 1000).toFixed(2)} km, 68 % ${whole.in68 ? 'holds' : 'misses'}, 95 % ${whole.in95 ? 'holds' : 'misses'}`,
  );
for (const line of summary) console.log(line);
