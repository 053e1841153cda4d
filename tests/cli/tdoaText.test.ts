/**
 * `heimdall tdoa` without --json: the text line names every mode of an ambiguous geometry with
 * its position, its share of the posterior and its nearest town, as the JSON's `modes` has them.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { tdoa } from '../../src/cli/tdoaCommand';
import { tdoaTextLine } from '../../src/cli/tdoaText';
import { fromLocalOffset } from '../../src/core/geodesy';
import type { Town } from '../../src/core/places/towns';
import { NO_IMPAIRMENTS } from '../../src/core/sim/tdoa/impairments';
import { simulateTdoaScene } from '../../src/core/sim/tdoa/scene';
import { sceneFiles } from '../../src/core/sim/tdoa/sceneFiles';
import type { TdoaResult } from '../../src/core/tdoa/types';

const dir = mkdtempSync(join(tmpdir(), 'heimdall-tdoa-text-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const town = (name: string, lat: number, lon: number): Town => ({
  name,
  country: 'DE',
  lat,
  lon,
  population: 20000,
});

/** What a console.log-printing run of `tdoa` printed. */
async function printed(paths: string[], stations: string, json: boolean): Promise<string[]> {
  const out: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((x: string) => void out.push(x));
  const error = vi.spyOn(console, 'error').mockImplementation(() => {});
  try {
    expect(await tdoa(paths, { stations, json })).toBe(0);
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
  return out;
}

describe('heimdall tdoa: the text line', () => {
  const result: TdoaResult = {
    scene: '2026-03-02T00:00:01.000Z',
    method: 'tdoa',
    lat: 49.893827,
    lon: 9.723379,
    stations: ['A', 'B', 'C'].map((id) => ({ id, used: true })),
    pairs: [],
    ellipses: [
      { p: 0.68, semiMajorM: 4000, semiMinorM: 2000, azimuthDeg: 10 },
      { p: 0.95, semiMajorM: 9000, semiMinorM: 4000, azimuthDeg: 10 },
    ],
    modes: [
      { lat: 49.893827, lon: 9.723379, weight: 0.687 },
      { lat: 47.982982, lon: 9.77447, weight: 0.263 },
    ],
  };

  it('names each mode with its position, share of the posterior and nearest town', () => {
    const towns = [town('Wertheim', 49.76, 9.51), town('Biberach', 48.1, 9.79)];
    expect(tdoaTextLine(result, towns)).toBe(
      '2026-03-02T00:00:01.000Z  49.8938, 9.7234 (21 km north-east of Wertheim (DE))' +
        '  95%: 9.0 x 4.0 km @ 10 deg  TDoA from A, B, C' +
        '  ambiguous geometry, 2 modes:' +
        ' 1) 49.8938, 9.7234 (21 km north-east of Wertheim (DE)) 69% of the posterior;' +
        ' 2) 47.9830, 9.7745 (13 km south of Biberach (DE)) 26% of the posterior',
    );
    // Without towns, the positions and shares alone; one mode is no ambiguity.
    expect(tdoaTextLine(result)).toMatch(
      /modes: 1\) 49\.8938, 9\.7234 69% of the posterior; 2\) 47\.9830, 9\.7745 26% of the posterior$/,
    );
    expect(tdoaTextLine({ ...result, modes: undefined })).not.toMatch(/mode/);
  });

  it('prints, for an ambiguous simulated scene, every mode the JSON has', async () => {
    // Three stations nearly in a line and a transmitter 200 km north: two intersections.
    const o = { lat: 48, lon: 9 };
    const s = simulateTdoaScene(7, 0, {
      durationS: 12,
      kinds: ['noise'],
      snrDb: { lo: 15, hi: 15 },
      formatShares: { kiwi: 1, sigmf: 0 },
      network: {
        stationCount: { min: 3, max: 3 },
        radiusKm: { lo: 100, hi: 100 },
        transmitterRadiusFactor: 0.5,
      },
      impairments: NO_IMPAIRMENTS,
      stations: [
        { id: 'A', ...fromLocalOffset(o, 0, 0) },
        { id: 'B', ...fromLocalOffset(o, 120e3, 0) },
        { id: 'C', ...fromLocalOffset(o, 60e3, 25e3) },
      ],
      transmitter: fromLocalOffset(o, 60e3, 200e3),
    });
    const files = sceneFiles(s);
    const paths = files.recordings.map((f) => {
      const p = join(dir, f.name);
      writeFileSync(p, f.bytes as Uint8Array);
      return p;
    });
    const stations = join(dir, 'stations.json');
    writeFileSync(stations, files.stationsJson.bytes as string);

    const [json] = await printed(paths, stations, true);
    const modes = (JSON.parse(json) as { modes?: { lat: number; lon: number; weight: number }[] })
      .modes;
    expect(modes?.length).toBeGreaterThanOrEqual(2);
    const [text] = await printed(paths, stations, false);
    expect(text).toContain(`ambiguous geometry, ${modes!.length} modes:`);
    modes!.forEach((m, i) => {
      // Each mode as the JSON gives it, with a town from the offline table.
      expect(text).toContain(`${i + 1}) ${m.lat.toFixed(4)}, ${m.lon.toFixed(4)} (`);
      expect(text).toMatch(
        new RegExp(
          `${i + 1}\\) [^;]* of [^;]+ \\([A-Z]{2}\\)\\) ${(m.weight * 100).toFixed(0)}% of the posterior`,
        ),
      );
    });
  }, 180_000);
});
