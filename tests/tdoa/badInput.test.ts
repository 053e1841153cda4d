/**
 * Bad input (issue 12, item 11): each a clear reason naming the file, the other recordings go on.
 * Scenes come from the TDoA simulator (clean, four stations, a wideband signal) and are then
 * broken byte by byte the way real files break.
 */
import { describe, expect, it } from 'vitest';
import { isHeimdallError } from '../../src/core/errors';
import { openRecordings } from '../../src/core/readers/open';
import { geodesicInverse } from '../../src/core/geodesy';
import { NO_IMPAIRMENTS } from '../../src/core/sim/tdoa/impairments';
import { simulateTdoaScene, type TdoaSceneOptions } from '../../src/core/sim/tdoa/scene';
import { sceneFiles, type SceneFile } from '../../src/core/sim/tdoa/sceneFiles';
import { parseStationList } from '../../src/core/stations';
import { locateTdoa } from '../../src/core/tdoa/locateTdoa';
import type { Station } from '../../src/core/tdoa/types';
import { source } from '../readers/builders';

const CLEAN: Partial<TdoaSceneOptions> = {
  durationS: 12,
  kinds: ['noise'],
  snrDb: { lo: 20, hi: 20 },
  network: {
    stationCount: { min: 4, max: 4 },
    radiusKm: { lo: 200, hi: 200 },
    transmitterRadiusFactor: 0.5,
  },
  impairments: NO_IMPAIRMENTS,
};

function scene(format: 'kiwi' | 'sigmf') {
  const s = simulateTdoaScene(4242, 1, {
    ...CLEAN,
    formatShares: format === 'kiwi' ? { kiwi: 1, sigmf: 0 } : { kiwi: 0, sigmf: 1 },
  });
  const files = sceneFiles(s);
  const stations = parseStationList(files.stationsJson.bytes as string, 'stations.json').stations;
  return { s, files: files.recordings, stations };
}

async function run(files: SceneFile[], stations: Station[]) {
  const { recordings, errors } = await openRecordings(
    files.map((f) => source(f.name, f.bytes as Uint8Array)),
  );
  expect(errors).toEqual([]);
  return locateTdoa('test', recordings, stations);
}

/** Kiwi WAV: the body offsets of every kiwi chunk (36-byte header, then kiwi/data pairs). */
function kiwiChunkBodies(bytes: Uint8Array): number[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: number[] = [];
  for (let pos = 12; pos + 8 <= bytes.length;) {
    const id = String.fromCharCode(...bytes.subarray(pos, pos + 4));
    const size = view.getUint32(pos + 4, true);
    if (id === 'kiwi') out.push(pos + 8);
    pos += 8 + size + (size & 1);
  }
  return out;
}

function excluded(r: Awaited<ReturnType<typeof run>>, id: string): string {
  const s = r.stations.find((x) => x.id === id)!;
  expect(s.used).toBe(false);
  return `${s.file}: ${s.reason}`;
}

describe('locateTdoa on bad input', () => {
  it('locates the clean scene (the baseline the others break)', async () => {
    const { s, files, stations } = scene('kiwi');
    const r = await run(files, stations);
    expect(r.stations.every((x) => x.used)).toBe(true);
    expect(geodesicInverse({ lat: r.lat!, lon: r.lon! }, s.transmitter).distanceM).toBeLessThan(
      2000,
    );
  }, 60_000);

  it('no GPS fix: excluded naming its file, the others go on', async () => {
    const { files, stations } = scene('kiwi');
    const bytes = Uint8Array.from(files[0].bytes as Uint8Array);
    for (const at of kiwiChunkBodies(bytes)) bytes[at] = 255;
    const r = await run([{ ...files[0], bytes }, ...files.slice(1)], stations);
    const id = stations.find((st) => files[0].name.includes(`_${st.id}_`))!.id;
    expect(excluded(r, id)).toMatch(new RegExp(`^${files[0].name}: no GPS fix ever`));
    expect(r.lat).toBeDefined();
  }, 60_000);

  it('recordings that do not overlap in time', async () => {
    const { files, stations } = scene('kiwi');
    const bytes = Uint8Array.from(files[0].bytes as Uint8Array);
    const view = new DataView(bytes.buffer);
    // Every GPS stamp 100 s later: same file name, but its samples lie after the others'.
    for (const at of kiwiChunkBodies(bytes))
      view.setUint32(at + 2, view.getUint32(at + 2, true) + 100, true);
    const r = await run([{ ...files[0], bytes }, ...files.slice(1)], stations);
    const id = stations.find((st) => files[0].name.includes(`_${st.id}_`))!.id;
    expect(excluded(r, id)).toMatch(/overlaps the other recordings by only 0\.0 s/);
  }, 60_000);

  it('constant samples (a stuck receiver, a broken copy): excluded with the reason, the others go on', async () => {
    const { s, files, stations } = scene('kiwi');
    const bytes = Uint8Array.from(files[0].bytes as Uint8Array);
    const view = new DataView(bytes.buffer);
    // Every data chunk's samples I = 100, Q = -50 (a DC offset and nothing else).
    for (let pos = 12; pos + 8 <= bytes.length;) {
      const size = view.getUint32(pos + 4, true);
      if (String.fromCharCode(...bytes.subarray(pos, pos + 4)) === 'data')
        for (let i = pos + 8; i + 4 <= pos + 8 + size; i += 4) {
          view.setInt16(i, 100, true);
          view.setInt16(i + 2, -50, true);
        }
      pos += 8 + size + (size & 1);
    }
    const r = await run([{ ...files[0], bytes }, ...files.slice(1)], stations);
    const id = stations.find((st) => files[0].name.includes(`_${st.id}_`))!.id;
    expect(excluded(r, id)).toMatch(
      new RegExp(`^${files[0].name}: its samples in the common span are constant`),
    );
    expect(r.stations.filter((x) => x.used)).toHaveLength(3);
    expect(geodesicInverse({ lat: r.lat!, lon: r.lon! }, s.transmitter).distanceM).toBeLessThan(
      5000,
    );
  }, 60_000);

  it('a different centre frequency', async () => {
    const { files, stations } = scene('kiwi');
    const renamed = {
      ...files[0],
      name: files[0].name.replace(/Z_(\d+)_/, (_, f) => `Z_${Number(f) + 5000}_`),
    };
    const r = await run([renamed, ...files.slice(1)], stations);
    const id = stations.find((st) => files[0].name.includes(`_${st.id}_`))!.id;
    expect(excluded(r, id)).toMatch(
      /centre frequency \d+ Hz differs from the other recordings' \d+ Hz/,
    );
  }, 60_000);

  it('a station far outside the others (a wrong position)', async () => {
    const { files, stations } = scene('kiwi');
    const moved = stations.map((st, i) => (i === 0 ? { ...st, lat: -33.9, lon: 18.4 } : st));
    const r = await run(files, moved);
    expect(excluded(r, stations[0].id)).toMatch(
      /km from the nearest other station .*check its position/,
    );
    expect(r.lat).toBeDefined();
  }, 60_000);

  it('a NaN sample (SigMF cf32)', async () => {
    const { files, stations } = scene('sigmf');
    // The simulator writes ci16; rewrite one recording as cf32 (as many SDR tools write) with a NaN.
    const dataIndex = files.findIndex((f) => f.name.endsWith('.sigmf-data'));
    const metaIndex = files.findIndex(
      (f) => f.name === files[dataIndex].name.replace(/data$/, 'meta'),
    );
    const ci16 = files[dataIndex].bytes as Uint8Array;
    const i16 = new DataView(ci16.buffer, ci16.byteOffset, ci16.byteLength);
    const cf32 = new Uint8Array(ci16.length * 2);
    const f32 = new DataView(cf32.buffer);
    for (let i = 0; i < ci16.length / 2; i++)
      f32.setFloat32(4 * i, i16.getInt16(2 * i, true) / 32768, true);
    f32.setFloat32(8 * 3000, NaN, true);
    const meta = JSON.parse(files[metaIndex].bytes as string);
    meta.global['core:datatype'] = 'cf32_le';
    const broken = files.map((f, i) =>
      i === dataIndex
        ? { ...f, bytes: cf32 }
        : i === metaIndex
          ? { ...f, bytes: JSON.stringify(meta) }
          : f,
    );
    const { recordings, errors } = await openRecordings(
      broken.map((f) => source(f.name, f.bytes as Uint8Array)),
    );
    expect(errors).toEqual([]);
    expect(recordings.find((r) => r.info.name === files[dataIndex].name)?.info.datatype).toBe(
      'cf32_le',
    );
    const r = await locateTdoa('test', recordings, stations);
    const bad = r.stations.find((x) => x.file === files[dataIndex].name)!;
    expect(bad.used).toBe(false);
    // The reader or the solver refuses it, naming the sample.
    expect(bad.reason).toMatch(/sample 3000 is (NaN|not a finite number)/);
    expect(r.stations.filter((x) => x.used)).toHaveLength(3);
  }, 60_000);

  it('one recording given again under another station name: left out, not counted twice', async () => {
    const { files, stations } = scene('kiwi');
    const id = stations.find((st) => files[0].name.includes(`_${st.id}_`))!;
    const copy = { ...files[0], name: files[0].name.replace(`_${id.id}_`, '_COPY_') };
    const moved = { ...id, id: 'COPY', lat: id.lat + 0.5 };
    const r = await run([...files, copy], [...stations, moved]);
    expect(excluded(r, 'COPY')).toBe(
      `${copy.name}: its samples in the common span are exactly those of ${files[0].name} (one recording under two station names?)`,
    );
    expect(r.stations.filter((x) => x.used)).toHaveLength(4);
    expect(r.lat).toBeDefined();
  }, 60_000);

  it('two stations at one place: a SceneIncompleteError saying so, not a hyperbola', async () => {
    const { files, stations } = scene('kiwi');
    const id = stations.find((st) => files[0].name.includes(`_${st.id}_`))!;
    // A second receiver beside the first (its file with the lowest bit of its samples changed:
    // noise of its own), under a station id that the list puts at the same place.
    const bytes = Uint8Array.from(files[0].bytes as Uint8Array);
    const view = new DataView(bytes.buffer);
    for (let pos = 12; pos + 8 <= bytes.length;) {
      const size = view.getUint32(pos + 4, true);
      if (String.fromCharCode(...bytes.subarray(pos, pos + 4)) === 'data')
        for (let i = pos + 8; i < pos + 8 + size; i += 6) bytes[i] ^= 1;
      pos += 8 + size + (size & 1);
    }
    const twin = { name: files[0].name.replace(`_${id.id}_`, '_TWIN_'), bytes };
    const err = await run([files[0], twin], [...stations, { ...id, id: 'TWIN' }]).catch(
      (e: unknown) => e,
    );
    expect(isHeimdallError(err, 'SceneIncompleteError')).toBe(true);
    expect((err as Error).message).toMatch(
      /the two usable stations stand 0 m apart, less than their lag's error \(\d+\.\d us, \d+\.\d km of path\): the lag fits every place alike, so it draws no line/,
    );
  }, 60_000);

  it('one station only: a SceneIncompleteError naming what is missing', async () => {
    const { files, stations } = scene('kiwi');
    const err = await run(files.slice(0, 1), stations).catch((e: unknown) => e);
    expect(isHeimdallError(err, 'SceneIncompleteError')).toBe(true);
    expect((err as Error).message).toMatch(
      /1 usable recording\(s\); TDoA needs at least two stations/,
    );
  }, 60_000);

  it('a station missing from the list says it has no position', async () => {
    const { files, stations } = scene('kiwi');
    const id = stations.find((st) => files[0].name.includes(`_${st.id}_`))!.id;
    const r = await run(
      files,
      stations.filter((st) => st.id !== id),
    );
    expect(excluded(r, id)).toMatch(new RegExp(`station "${id}" has no position`));
  }, 60_000);
});
