import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { tdoa } from '../../src/cli/tdoaCommand';
import { NO_IMPAIRMENTS } from '../../src/core/sim/tdoa/impairments';
import { simulateTdoaScene } from '../../src/core/sim/tdoa/scene';
import { WEAK_AM_SCENE } from '../support/tdoaSceneOptions';
import { sceneFiles } from '../../src/core/sim/tdoa/sceneFiles';

const dir = mkdtempSync(join(tmpdir(), 'heimdall-tdoa-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('heimdall tdoa', () => {
  it('prints one JSON line per scene as issue 12 specifies, and names a bad file with a non-zero count', async () => {
    const s = simulateTdoaScene(4242, 1, {
      durationS: 12,
      kinds: ['noise'],
      snrDb: { lo: 20, hi: 20 },
      formatShares: { kiwi: 1, sigmf: 0 },
      network: {
        stationCount: { min: 3, max: 3 },
        radiusKm: { lo: 200, hi: 200 },
        transmitterRadiusFactor: 0.5,
      },
      impairments: NO_IMPAIRMENTS,
    });
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

  it('refuses a malformed --band and an unreadable station list, naming them', async () => {
    await expect(tdoa([], { band: '3:1' })).rejects.toThrow(/--band must be LO:HI/);
    await expect(tdoa([], { stations: join(dir, 'missing.json') })).rejects.toThrow(
      /missing\.json: cannot read the station list/,
    );
  });
});
