import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { tdoa } from '../../src/cli/tdoaCommand';
import { NO_IMPAIRMENTS } from '../../src/core/sim/tdoa/impairments';
import { simulateTdoaScene } from '../../src/core/sim/tdoa/scene';
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
  }, 120_000);

  it('refuses a malformed --band and an unreadable station list, naming them', async () => {
    await expect(tdoa([], { band: '3:1' })).rejects.toThrow(/--band must be LO:HI/);
    await expect(tdoa([], { stations: join(dir, 'missing.json') })).rejects.toThrow(
      /missing\.json: cannot read the station list/,
    );
  });
});
