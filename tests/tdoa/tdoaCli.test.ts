import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { tdoa } from '../../src/cli/tdoaCommand';
import { simulateTdoaScene } from '../../src/core/sim/tdoa/scene';
import { CLEAN_KIWI_SCENE, WEAK_AM_SCENE } from '../support/tdoaSceneOptions';
import { sceneFiles } from '../../src/core/sim/tdoa/sceneFiles';

const dir = mkdtempSync(join(tmpdir(), 'heimdall-tdoa-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('heimdall tdoa', () => {
  it('prints one JSON line per scene as issue 12 specifies, and names a bad file with a non-zero count', async () => {
    const s = simulateTdoaScene(4242, 1, CLEAN_KIWI_SCENE);
    const files = sceneFiles(s);
    const paths = files.recordings.map((f) => {
      const p = join(dir, f.name);
      writeFileSync(p, f.bytes as Uint8Array);
      return p;
    });
    writeFileSync(join(dir, 'stations.json'), files.stationsJson.bytes as string);
    writeFileSync(join(dir, 'broken.wav'), 'not a wav');
    const out: string[] = [];
    const err: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((x: string) => void out.push(x));
    const error = vi.spyOn(console, 'error').mockImplementation((x: string) => void err.push(x));
    try {
      const failures = await tdoa([...paths, join(dir, 'broken.wav')], {
        stations: join(dir, 'stations.json'),
        json: true,
      });
      expect(failures).toBe(1);
    } finally {
      log.mockRestore();
      error.mockRestore();
    }
    expect(err.join('\n')).toMatch(/broken\.wav: /);
    expect(out).toHaveLength(1);
    const line = JSON.parse(out[0]);
    expect(Object.keys(line)).toEqual([
      'scene',
      'lat',
      'lon',
      'method',
      'stations',
      'pairs',
      'ellipses',
    ]);
    expect(line.method).toBe('tdoa');
    expect(line.stations).toHaveLength(3);
    expect(line.pairs).toHaveLength(3);
    for (const p of line.pairs) expect(Object.keys(p)).toEqual(['a', 'b', 'lagUs', 'sigmaUs']);
    expect(line.ellipses.map((e: { p: number }) => e.p)).toEqual([0.68, 0.95]);
    // Sign convention: lagUs of (a, b) is the true delay at b minus that at a.
    const delay = new Map(s.stations.map((st) => [st.station.id, st.delayS * 1e6]));
    for (const p of line.pairs)
      expect(Math.abs(p.lagUs - (delay.get(p.b)! - delay.get(p.a)!))).toBeLessThan(5 * p.sigmaUs);

    // The folder itself: every recording inside is found (the station list and other JSON are
    // not recordings), the same scene is printed, and the broken file is still named.
    const again: string[] = [];
    const errAgain: string[] = [];
    const log2 = vi.spyOn(console, 'log').mockImplementation((x: string) => void again.push(x));
    const error2 = vi
      .spyOn(console, 'error')
      .mockImplementation((x: string) => void errAgain.push(x));
    try {
      expect(await tdoa([dir], { stations: join(dir, 'stations.json'), json: true })).toBe(1);
    } finally {
      log2.mockRestore();
      error2.mockRestore();
    }
    // The folder is walked in name order, so the stations (and pairs) may come in another order.
    expect(again).toHaveLength(1);
    const fromFolder = JSON.parse(again[0]);
    expect(fromFolder.scene).toBe(line.scene);
    expect(fromFolder.stations.map((u: { id: string }) => u.id).sort()).toEqual(
      line.stations.map((u: { id: string }) => u.id).sort(),
    );
    expect(Math.abs(fromFolder.lat - line.lat)).toBeLessThan(1e-3);
    expect(Math.abs(fromFolder.lon - line.lon)).toBeLessThan(1e-3);
    expect(errAgain.join('\n')).toMatch(/broken\.wav: /);
  }, 180_000);

  it("says on stderr what the page notes about a result (a carrier's sidebands read against it)", async () => {
    const s = simulateTdoaScene(4242, 3, WEAK_AM_SCENE);
    const files = sceneFiles(s);
    // A folder of its own: the first test walks `dir`.
    const sub = mkdtempSync(join(dir, '..', 'heimdall-tdoa-cli-am-'));
    for (const f of files.recordings) writeFileSync(join(sub, f.name), f.bytes as Uint8Array);
    writeFileSync(join(sub, 'stations.json'), files.stationsJson.bytes as string);
    const out: string[] = [];
    const err: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((x: string) => void out.push(x));
    const error = vi.spyOn(console, 'error').mockImplementation((x: string) => void err.push(x));
    try {
      expect(await tdoa([sub], { stations: join(sub, 'stations.json'), json: true })).toBe(0);
    } finally {
      log.mockRestore();
      error.mockRestore();
    }
    expect(out).toHaveLength(1);
    expect(err.join('\n')).toContain(
      `note: scene ${JSON.parse(out[0]).scene}: the stations share only a steady carrier, its ` +
        'modulation under the noise: the lags are its sidebands read against it',
    );
    rmSync(sub, { recursive: true, force: true });
  }, 180_000);

  it('says so when the folders it is given hold no recording, and counts it a problem', async () => {
    const empty = mkdtempSync(join(dir, 'empty-'));
    writeFileSync(join(empty, 'README.md'), 'not a recording');
    const err: string[] = [];
    const error = vi.spyOn(console, 'error').mockImplementation((x: string) => void err.push(x));
    try {
      expect(await tdoa([empty], {})).toBe(1);
    } finally {
      error.mockRestore();
    }
    expect(err).toEqual([`error (ConfigError): no recording found in ${empty}`]);
  });

  it('refuses a malformed --band and an unreadable station list, naming them', async () => {
    await expect(tdoa([], { band: '3:1' })).rejects.toThrow(/--band must be LO:HI/);
    await expect(tdoa([], { stations: join(dir, 'missing.json') })).rejects.toThrow(
      /missing\.json: cannot read the station list/,
    );
  });

  it('pairs SigMF files within their folder: like-named pairs in per-station folders, no pair across folders', async () => {
    const files = sceneFiles(
      simulateTdoaScene(4243, 1, { ...CLEAN_KIWI_SCENE, formatShares: { kiwi: 0, sigmf: 1 } }),
    );
    const pairs = files.recordings
      .filter((f) => f.name.endsWith('.sigmf-meta'))
      .map((meta) => ({
        meta: meta.bytes,
        data: files.recordings.find((f) => f.name === meta.name.replace(/meta$/, 'data'))!.bytes,
      }));
    const root = mkdtempSync(join(dir, 'sigmf-folders-'));
    writeFileSync(join(root, 'stations.json'), files.stationsJson.bytes as string);
    // Each station's recorder writes capture.sigmf-meta/-data into a folder of its own.
    const folders = pairs.map((p, k) => {
      const folder = join(root, `station${k}`);
      mkdirSync(folder);
      writeFileSync(join(folder, 'capture.sigmf-meta'), p.meta);
      writeFileSync(join(folder, 'capture.sigmf-data'), p.data);
      return folder;
    });
    // One station's metadata and another's samples under one name in two folders.
    mkdirSync(join(root, 'a'));
    mkdirSync(join(root, 'b'));
    writeFileSync(join(root, 'a', 'x.sigmf-meta'), pairs[0].meta);
    writeFileSync(join(root, 'b', 'x.sigmf-data'), pairs[1].data);
    const run = async (inputs: string[]) => {
      const out: string[] = [];
      const err: string[] = [];
      const log = vi.spyOn(console, 'log').mockImplementation((x: string) => void out.push(x));
      const error = vi.spyOn(console, 'error').mockImplementation((x: string) => void err.push(x));
      try {
        const failures = await tdoa(inputs, { stations: join(root, 'stations.json'), json: true });
        return { failures, out, err };
      } finally {
        log.mockRestore();
        error.mockRestore();
      }
    };
    const perStation = await run(folders);
    expect(perStation.err).toEqual([]);
    expect(perStation.failures).toBe(0);
    expect(perStation.out).toHaveLength(1);
    const line = JSON.parse(perStation.out[0]);
    expect(line.stations.map((s: { used: boolean }) => s.used)).toEqual([true, true, true]);
    expect(line.lat).toBeDefined();

    const across = await run([join(root, 'a', 'x.sigmf-meta'), join(root, 'b', 'x.sigmf-data')]);
    expect(across.out).toEqual([]);
    expect(across.failures).toBe(2);
    expect(across.err.join('\n')).toMatch(/x\.sigmf-meta: SigMF needs both files of a recording/);
    expect(across.err.join('\n')).toMatch(/x\.sigmf-data: SigMF needs both files of a recording/);
  }, 120_000);
});
