/**
 * Two stations, one of them echoed: the tilt between their spectra (channelSlope.ts) says one of
 * them carries an echo but not which, and the note says so. A simulated scene, so that the echo
 * is known to be there (the real DCF77 pair HB9ODP and JO51xl shows such a note too:
 * realKiwi.test.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openRecordings } from '../../src/core/readers/open';
import { NO_IMPAIRMENTS } from '../../src/core/sim/tdoa/impairments';
import { simulateTdoaScene, type TdoaSceneOptions } from '../../src/core/sim/tdoa/scene';
import { parseStationList } from '../../src/core/stations';
import { locateTdoa } from '../../src/core/tdoa/locateTdoa';
import { nodeFileSource } from '../../src/node/nodeFileSource';
import { writeSceneFiles } from '../../src/node/writeScene';
import { CLEAN_KIWI_SCENE } from '../support/tdoaSceneOptions';

const dir = mkdtempSync(join(tmpdir(), 'heimdall-two-tilt-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Two KiwiSDRs, a noise-like signal 25 dB up, every scene echoed: half the stations, 50 % at 150 us. */
const TWO_ECHOED: Partial<TdoaSceneOptions> = {
  ...CLEAN_KIWI_SCENE,
  snrDb: { lo: 25, hi: 25 },
  network: { ...CLEAN_KIWI_SCENE.network!, stationCount: { min: 2, max: 2 } },
  impairments: {
    ...NO_IMPAIRMENTS,
    multipathSceneFraction: 1,
    echoStationFraction: 0.5,
    echoRelativeAmplitude: { lo: 0.5, hi: 0.5 },
    echoDelayUs: { lo: 150, hi: 150 },
  },
};

describe('two stations, one echoed', () => {
  it('give the hyperbola and a note that two stations cannot tell which one is echoed', async () => {
    // The first index of seed 7 whose draw echoes exactly one of the two stations.
    const index = Array.from({ length: 20 }, (_, i) => i).find(
      (i) =>
        simulateTdoaScene(7, i, TWO_ECHOED).stations.filter((s) => s.echoes.length).length === 1,
    );
    if (index === undefined) throw new Error('no scene of seed 7 echoes exactly one station');
    const scene = simulateTdoaScene(7, index, TWO_ECHOED);
    const paths = await writeSceneFiles(scene, join(dir, scene.id));
    const sources = await Promise.all(paths.recordings.map((p) => nodeFileSource(p)));
    try {
      const { recordings } = await openRecordings(sources);
      const list = parseStationList(await readFile(paths.stationsJson, 'utf8'), paths.stationsJson);
      const r = await locateTdoa(scene.id, recordings, list.stations);
      expect(r.hyperbola).toBeDefined();
      const tilt = (r.notes ?? []).filter((n) => n.includes('tilted'));
      expect(tilt).toHaveLength(1);
      const [a, b] = scene.stations.map((s) => s.station.id);
      expect(tilt[0]).toMatch(
        new RegExp(
          `^(${a}, ${b}|${b}, ${a}): their spectra are tilted against each other \\(an echo at one of them\\?\\); two stations cannot tell which`,
        ),
      );
    } finally {
      await Promise.all(sources.map((s) => s.close()));
    }
  }, 60_000);
});
