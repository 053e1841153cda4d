/**
 * Real-world variants of KiwiSDR recordings (an operator's acceptance audit): files that
 * kiwirecorder writes in its other modes, or that a recording or a copy leaves behind, each
 * made from a clean simulated scene and run the way the CLI and the worker run them (open,
 * group into scenes, locate). A recording that cannot take part is left out with its reason,
 * naming its file; the others go on.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { tdoa } from '../../src/cli/tdoaCommand';
import { openRecordings } from '../../src/core/readers/open';
import { simulateTdoaScene } from '../../src/core/sim/tdoa/scene';
import { sceneFiles } from '../../src/core/sim/tdoa/sceneFiles';
import { parseStationList } from '../../src/core/stations';
import { groupTdoaScenes } from '../../src/core/tdoa/groupScenes';
import { locateTdoa } from '../../src/core/tdoa/locateTdoa';
import type { Station } from '../../src/core/tdoa/types';
import { source } from '../readers/builders';
import { CLEAN_KIWI_SCENE } from '../support/tdoaSceneOptions';

const dir = mkdtempSync(join(tmpdir(), 'heimdall-kiwi-variants-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface File {
  name: string;
  bytes: Uint8Array;
}

function scene(durationS = 12): { files: File[]; stations: Station[] } {
  const files = sceneFiles(simulateTdoaScene(4243, 1, { ...CLEAN_KIWI_SCENE, durationS }));
  const stations = parseStationList(files.stationsJson.bytes as string, 'stations.json').stations;
  return {
    files: files.recordings.map((f) => ({ name: f.name, bytes: f.bytes as Uint8Array })),
    stations,
  };
}

/** The chunks of a kiwirecorder WAV after its 36-byte header: [id, start, end) in the file. */
function chunksOf(bytes: Uint8Array): { id: string; start: number; end: number }[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: { id: string; start: number; end: number }[] = [];
  for (let pos = 36; pos + 8 <= bytes.length;) {
    const size = view.getUint32(pos + 4, true);
    out.push({
      id: String.fromCharCode(...bytes.subarray(pos, pos + 4)),
      start: pos,
      end: pos + 8 + size,
    });
    pos += 8 + size + (size & 1);
  }
  return out;
}

/** As the CLI (tdoaCommand.ts) and the page do: open, group by time, locate each scene. */
async function locateAll(files: File[], stations: Station[]) {
  const opened = await openRecordings(files.map((f) => source(f.name, f.bytes)));
  const grouped = groupTdoaScenes(opened.recordings);
  const results = [];
  for (const g of grouped.scenes) results.push(await locateTdoa(g.id, g.recordings, stations));
  return { errors: [...opened.errors, ...grouped.errors], results };
}

describe('KiwiSDR recordings as real receivers and recorders leave them', () => {
  it('kiwirecorder without --kiwi-wav: grouped by its name, left out for its missing GPS stamps', async () => {
    const { files, stations } = scene();
    // The same samples in one plain data chunk (what kiwirecorder -m iq writes without --kiwi-wav).
    const kiwi = files[0].bytes;
    const samples = chunksOf(kiwi).filter((c) => c.id === 'data');
    const body = new Uint8Array(samples.reduce((n, c) => n + c.end - c.start - 8, 0));
    let at = 0;
    for (const c of samples) {
      body.set(kiwi.subarray(c.start + 8, c.end), at);
      at += c.end - c.start - 8;
    }
    const plain = new Uint8Array(44 + body.length);
    plain.set(kiwi.subarray(0, 36));
    plain.set([0x64, 0x61, 0x74, 0x61], 36);
    new DataView(plain.buffer).setUint32(40, body.length, true);
    plain.set(body, 44);
    const { errors, results } = await locateAll(
      [{ name: files[0].name, bytes: plain }, ...files.slice(1)],
      stations,
    );
    expect(errors).toEqual([]);
    expect(results).toHaveLength(1);
    const left = results[0].stations.find((s) => s.file === files[0].name)!;
    expect(left.used).toBe(false);
    expect(left.reason).toMatch(
      /no GPS time .*kiwirecorder writes the GPS stamps only with --kiwi-wav/,
    );
    expect(results[0].stations.filter((s) => s.used)).toHaveLength(2);
    expect(results[0].hyperbola).toBeDefined();
  }, 60_000);

  it('a recording stopped mid-write (cut inside its last block) still takes part, with a note', async () => {
    const { files, stations } = scene();
    const whole = files[0].bytes;
    const last = chunksOf(whole).at(-1)!;
    const cut = [
      { name: files[0].name, bytes: whole.subarray(0, last.end - 1001) },
      ...files.slice(1),
    ];
    const { errors, results } = await locateAll(cut, stations);
    expect(errors).toEqual([]);
    expect(results).toHaveLength(1);
    const use = results[0].stations.find((s) => s.file === files[0].name)!;
    expect(use.used).toBe(true);
    expect(use.notes?.join(' ')).toMatch(
      /the file ends 1001 bytes short of the end of its last block/,
    );
    expect(results[0].stations.every((s) => s.used)).toBe(true);
    expect(results[0].lat).toBeDefined();
  }, 60_000);

  it("files renamed to their station (HB9ODP.wav) or by kiwirecorder's --fn (NAME_ID.wav): dated by the others, placed by the list", async () => {
    const { files, stations } = scene();
    const idOf = (f: File) => stations.find((st) => f.name.includes(`_${st.id}_`))!.id;
    const renamed = [
      { name: `${idOf(files[0])}.wav`, bytes: files[0].bytes },
      { name: `dcf77_${idOf(files[1])}.wav`, bytes: files[1].bytes },
      files[2],
    ];
    const { errors, results } = await locateAll(renamed, stations);
    expect(errors).toEqual([]);
    expect(results).toHaveLength(1);
    expect(results[0].stations.map((s) => [s.file, s.id, s.used])).toEqual(
      expect.arrayContaining([
        [renamed[0].name, idOf(files[0]), true],
        [renamed[1].name, idOf(files[1]), true],
      ]),
    );
    const notes = results[0].stations.find((s) => s.file === renamed[0].name)!.notes!.join(' ');
    expect(notes).toContain(`its name gives no date: the GPS week is that of ${files[2].name}`);
    expect(results[0].lat).toBeDefined();
  }, 60_000);

  it('undated files with no dated file beside them, and a kiwirecorder name without a station, say what to do', async () => {
    const { files, stations } = scene();
    const undated = files.slice(0, 2).map((f, i) => ({ name: `rx${i}.wav`, bytes: f.bytes }));
    const { errors } = await locateAll(undated, stations);
    expect(errors.map((e) => [e.file, e.error.message])).toEqual(
      undated.map((f) => [
        f.name,
        expect.stringMatching(/no date for their GPS week: its name is not kiwirecorder's/),
      ]),
    );
    const noStation = {
      name: files[0].name.replace(/_[^_]+_iq\.wav$/, '_iq.wav'),
      bytes: files[0].bytes,
    };
    const { results } = await locateAll([noStation, ...files.slice(1)], stations);
    expect(results[0].stations.find((s) => s.file === noStation.name)!.reason).toMatch(
      /its kiwirecorder name has no station part \(recorded without --station\)/,
    );
  }, 60_000);

  it('the command line says what it noted about a file that took part (cut short), without counting it a problem', async () => {
    const { files, stations } = scene();
    const last = chunksOf(files[0].bytes).at(-1)!;
    const cut = [{ name: files[0].name, bytes: files[0].bytes.subarray(0, last.end - 1001) }];
    const paths = [...cut, ...files.slice(1)].map((f) => {
      writeFileSync(join(dir, f.name), f.bytes);
      return join(dir, f.name);
    });
    writeFileSync(join(dir, 'stations.json'), JSON.stringify({ stations }));
    const out: string[] = [];
    const err: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((x: string) => void out.push(x));
    const error = vi.spyOn(console, 'error').mockImplementation((x: string) => void err.push(x));
    try {
      expect(await tdoa(paths, { stations: join(dir, 'stations.json') })).toBe(0);
    } finally {
      log.mockRestore();
      error.mockRestore();
    }
    expect(out).toHaveLength(1);
    expect(err).toContainEqual(
      expect.stringMatching(
        new RegExp(
          `^note: ${files[0].name}: the file ends 1001 bytes short of the end of its last block`,
        ),
      ),
    );
  }, 60_000);

  it("a recording PC whose clock is off (the name's time) joins its scene by its GPS time", async () => {
    const { files, stations } = scene();
    /** The file's name with its time moved by `s` seconds (what a PC clock that far off writes). */
    const shifted = (f: File, s: number) => {
      const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z/.exec(f.name)!;
      const t = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]) + s * 1000);
      const stamp = t
        .toISOString()
        .replace(/[-:]/g, '')
        .replace(/\.\d+Z$/, 'Z');
      return { name: f.name.replace(m[0], stamp), bytes: f.bytes };
    };
    const moved = [shifted(files[0], 120), shifted(files[1], -86_400), files[2]];
    const { errors, results } = await locateAll(moved, stations);
    expect(errors).toEqual([]);
    expect(results).toHaveLength(1);
    expect(results[0].stations.every((s) => s.used)).toBe(true);
    const notesOf = (f: File) =>
      results[0].stations.find((s) => s.file === f.name)!.notes!.join(' ');
    expect(notesOf(moved[0])).toMatch(
      /its name's time \(the recording PC's clock\) is 1(19|20) s off/,
    );
    expect(notesOf(moved[1])).toMatch(/is -86(399|400) s off its GPS time/);
    expect(results[0].lat).toBeDefined();
  }, 60_000);

  it('consecutive files of a session (kiwirecorder --dt-sec) are one scene each, not one chain', async () => {
    const { files, stations } = scene(24);
    /** The file's blocks before and after its middle, each a kiwirecorder file of its own. */
    const halves = (f: File): File[] => {
      const blocks = chunksOf(f.bytes);
      const mid = blocks.filter((c) => c.id === 'kiwi')[Math.floor(blocks.length / 4)].start;
      const m = /^(\d{8}T\d{4})(\d{2})Z/.exec(f.name)!;
      // The second file's name: its PC-clock time, 12 s later (the scene is 24 s long).
      const later = f.name.replace(m[0], `${m[1]}${String(+m[2] + 12).padStart(2, '0')}Z`);
      const second = new Uint8Array(36 + f.bytes.length - mid);
      second.set(f.bytes.subarray(0, 36));
      second.set(f.bytes.subarray(mid), 36);
      return [
        { name: f.name, bytes: f.bytes.subarray(0, mid) },
        { name: later, bytes: second },
      ];
    };
    const { errors, results } = await locateAll(files.flatMap(halves), stations);
    expect(errors).toEqual([]);
    expect(results).toHaveLength(2);
    for (const r of results) {
      expect(r.stations).toHaveLength(3);
      expect(r.stations.every((s) => s.used)).toBe(true);
      expect(r.lat).toBeDefined();
    }
  }, 60_000);

  it('a recording on another centre frequency at the same time says so, and the others go on', async () => {
    const { files, stations } = scene();
    const other = {
      name: files[0].name.replace(/Z_(\d+)_/, (_, f: string) => `Z_${Number(f) + 5000}_`),
      bytes: files[0].bytes,
    };
    const { errors, results } = await locateAll([other, ...files.slice(1)], stations);
    expect(errors.map((e) => [e.file, e.error.message])).toEqual([
      [
        other.name,
        expect.stringMatching(
          /: centre frequency \d+ Hz differs from the other recordings' \d+ Hz \(.+, at the same time\)/,
        ),
      ],
    ]);
    expect(results).toHaveLength(1);
    expect(results[0].stations).toHaveLength(2);
  }, 60_000);

  it('a scene left with one usable recording names it', async () => {
    const { files, stations } = scene();
    const { recordings } = await openRecordings([source(files[0].name, files[0].bytes)]);
    await expect(locateTdoa('alone', recordings, stations)).rejects.toThrow(
      `scene alone: 1 usable recording(s); TDoA needs at least two stations (usable: ${files[0].name})`,
    );
  }, 60_000);
});
