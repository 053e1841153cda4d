import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadStationFile, loadStationFileKeepingOthers } from '../../src/cli/stationFile';

const dir = mkdtempSync(join(tmpdir(), 'heimdall-station-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the station list file', () => {
  it('reads a list saved with a byte order mark (Windows editors), as the page does', async () => {
    const path = join(dir, 'stations.json');
    const list = { stations: [{ id: 'HB9ODP', lat: 47.1, lon: 8.2 }] };
    writeFileSync(path, `\uFEFF${JSON.stringify(list)}`);
    expect(await loadStationFile(path)).toEqual(list.stations);
    expect((await loadStationFileKeepingOthers(path)).stations).toEqual(list.stations);
  });
});
