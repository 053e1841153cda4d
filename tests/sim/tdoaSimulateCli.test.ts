import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { simulateTdoaToDirectory, tdoaSceneOptions } from '../../src/cli/simulateCommand';
import { parseStationList } from '../../src/core/stations';

const defaults = { stations: '3-8', duration: '20', kind: 'any', snr: '-3:30', format: 'any' };
const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

describe('heimdall simulate-tdoa', () => {
  it('writes one folder per scene with its recordings, stations.json and truth.json', async () => {
    const out = await mkdtemp(join(tmpdir(), 'heimdall-sim-tdoa-'));
    dirs.push(out);
    const written = await simulateTdoaToDirectory({
      scenes: 2,
      seed: 4,
      out,
      scene: tdoaSceneOptions({
        ...defaults,
        stations: '3',
        duration: '4',
        format: 'kiwi',
        clean: true,
      }),
    });
    expect(written).toHaveLength(2);
    for (const { dir, recordings } of written) {
      const names = await readdir(dir);
      expect(names.filter((n) => /^\d{8}T\d{6}Z_\d+_[^_]+_iq\.wav$/.test(n))).toHaveLength(3);
      expect(recordings).toHaveLength(3);
      const list = parseStationList(
        await readFile(join(dir, 'stations.json'), 'utf8'),
        'stations.json',
      );
      expect(list.stations).toHaveLength(3);
      const truth = JSON.parse(await readFile(join(dir, 'truth.json'), 'utf8'));
      expect(truth.stations.map((s: { id: string }) => s.id)).toEqual(
        list.stations.map((s) => s.id),
      );
      for (const s of list.stations)
        expect(names.some((n) => n.includes(`_${s.id}_iq.wav`))).toBe(true);
    }
  });

  it('checks its options and names the one that is wrong', () => {
    expect(() => tdoaSceneOptions({ ...defaults, stations: '2' })).toThrow(/--stations/);
    expect(() => tdoaSceneOptions({ ...defaults, kind: 'ofdm' })).toThrow(/--kind must be/);
    expect(() => tdoaSceneOptions({ ...defaults, snr: '30:10' })).toThrow(/--snr/);
    expect(() => tdoaSceneOptions({ ...defaults, format: 'wav' })).toThrow(/--format/);
    expect(() => tdoaSceneOptions({ ...defaults, duration: '1' })).toThrow(/--duration/);
    expect(tdoaSceneOptions({ ...defaults, snr: '10', kind: 'cw' })).toMatchObject({
      snrDb: { lo: 10, hi: 10 },
      kinds: ['cw'],
    });
  });
});
