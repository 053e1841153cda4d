import { join } from 'node:path';
import { readFile } from 'node:fs/promises';
import { nodeFileSource } from '../src/node/nodeFileSource';
import { openRecordings } from '../src/core/readers/open';
import { parseStationList } from '../src/core/stations';
import { locateTdoa } from '../src/core/tdoa/locateTdoa';
const KIWI = '/work/shared/data/kiwi-dcf77-2020';
const { readdir } = await import('node:fs/promises');
const wavs = (await readdir(KIWI)).filter((n) => n.endsWith('_iq.wav')).sort();
const stations = parseStationList(await readFile(join(KIWI, 'stations.json'), 'utf8'), 's').stations;
const N = Number(process.env.N ?? 20);
const stagesAll: Record<string, number[]> = {};
for (let i = 0; i < N; i++) {
  const sources = await Promise.all(wavs.map((w) => nodeFileSource(join(KIWI, w))));
  const { recordings } = await openRecordings(sources);
  const stageMs: Record<string, number> = {};
  const t = performance.now();
  const r = await locateTdoa('b', recordings, stations, { stageMs });
  stageMs.total = performance.now() - t;
  if (i === 0) console.log(r.lat, r.lon, r.pairs.map((p) => p.lagUs));
  for (const [k, v] of Object.entries(stageMs)) (stagesAll[k] ??= []).push(v);
  await Promise.all(sources.map((s) => s.close()));
}
for (const [k, v] of Object.entries(stagesAll)) { v.sort((a,b)=>a-b); console.log(k, v[v.length>>1].toFixed(1)); }
