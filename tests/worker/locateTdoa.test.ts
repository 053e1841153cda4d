import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeFileSource } from '../../src/node/nodeFileSource';
import { openRecordings } from '../../src/core/readers/open';
import { parseStationList } from '../../src/core/stations';
import { locateTdoa } from '../../src/core/tdoa/locateTdoa';
import type { Station } from '../../src/core/tdoa/types';
import { connect, type Connected } from './harness';

const DIR = join(process.cwd(), '..', 'shared', 'data', 'kiwi-dcf77-2020');
const IDS = ['HB9ODP', 'JO51xl', 'pa0rdt'];
const names = IDS.map((id) => `20200813T065220Z_77500_${id}_iq.wav`);
const present = existsSync(join(DIR, 'stations.json'));

// The real KiwiSDR set is shared data, not part of the repository: say so when it is absent.
describe.skipIf(!present)(`worker locateTdoa on the real KiwiSDR set (${DIR})`, () => {
  let engine: Connected;
  let stations: Station[];
  let ids: string[];

  beforeAll(async () => {
    // No model is needed: TDoA runs on the opened recordings alone.
    engine = await connect(() => Promise.reject(new Error('no network in this test')));
    stations = parseStationList(
      await readFile(join(DIR, 'stations.json'), 'utf8'),
      'stations.json',
    ).stations;
    const opened = await engine.api.openFiles(
      await Promise.all(
        names.map(async (name) => ({ name, blob: new Blob([await readFile(join(DIR, name))]) })),
      ),
    );
    expect(opened.errors).toEqual([]);
    ids = opened.recordings.map((r) => r.id);
  }, 60_000);
  afterAll(async () => engine?.close());

  it('gives across the worker boundary exactly what the solver gives in Node', async () => {
    const reply = await engine.api.locateTdoa({ scene: 'dcf77', recordingIds: ids, stations });
    const sources = await Promise.all(names.map((n) => nodeFileSource(join(DIR, n))));
    const direct = await locateTdoa('dcf77', (await openRecordings(sources)).recordings, stations);
    expect(reply.result.lat).toBe(direct.lat);
    expect(reply.result.lon).toBe(direct.lon);
    expect(reply.result.stations.map((s) => [s.id, s.used])).toEqual(IDS.map((id) => [id, true]));
    // The posterior grid crossed as a Float32Array (transferred, not turned into a plain object).
    expect(reply.result.grid?.prob).toBeInstanceOf(Float32Array);
    expect(Array.from(reply.result.grid!.prob)).toEqual(Array.from(direct.grid!.prob));
    expect(reply.solveMs).toBeGreaterThan(0);
  }, 120_000);

  it('rejects one recording alone with a named error the page can switch on', async () => {
    await expect(
      engine.api.locateTdoa({ scene: 'one', recordingIds: ids.slice(0, 1), stations }),
    ).rejects.toMatchObject({ name: 'SceneIncompleteError' });
    await expect(
      engine.api.locateTdoa({ scene: 'gone', recordingIds: ['rec-999'], stations }),
    ).rejects.toMatchObject({ name: 'ConfigError' });
  }, 60_000);
});
