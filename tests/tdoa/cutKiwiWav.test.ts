/**
 * Cutting a KiwiSDR recording into parts of whole blocks (src/node/cutKiwiWav.ts), as
 * training/sliceRealTdoa.ts does to the real DCF77 set: each part is a KiwiSDR WAV the readers
 * open, holding the same samples at the same GPS times, and the parts of a scene are located.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { geodesicInverse } from '../../src/core/geodesy';
import { openRecordings } from '../../src/core/readers/open';
import { simulateTdoaScene } from '../../src/core/sim/tdoa/scene';
import { parseStationList } from '../../src/core/stations';
import { locateTdoa } from '../../src/core/tdoa/locateTdoa';
import { recordingTiming } from '../../src/core/tdoa/recordingTiming';
import { secondsSince } from '../../src/core/tdoa/splitTime';
import { cutKiwiWav } from '../../src/node/cutKiwiWav';
import { nodeFileSource } from '../../src/node/nodeFileSource';
import { writeSceneFiles } from '../../src/node/writeScene';
import { CLEAN_KIWI_SCENE } from '../support/tdoaSceneOptions';

const dir = mkdtempSync(join(tmpdir(), 'heimdall-cut-kiwi-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function open(paths: string[]) {
  const sources = await Promise.all(paths.map((p) => nodeFileSource(p)));
  const { recordings, errors } = await openRecordings(sources);
  expect(errors).toEqual([]);
  return { recordings, close: () => Promise.all(sources.map((s) => s.close())) };
}

describe('a KiwiSDR recording cut into parts of whole blocks', () => {
  it('keeps the samples and their GPS times, and each part of a scene is located', async () => {
    // 30 s, as the real set: each 15 s part keeps a few fresh fixes (every 2-5 s).
    const scene = simulateTdoaScene(4242, 1, { ...CLEAN_KIWI_SCENE, durationS: 30 });
    const paths = await writeSceneFiles(scene, join(dir, 'whole'));
    const parts = 2;
    const partPaths: string[][] = [];
    for (let part = 0; part < parts; part++) {
      const sub = join(dir, `part-${part}`);
      await mkdir(sub);
      partPaths.push(
        await Promise.all(
          paths.recordings.map(async (p) => {
            const out = join(sub, basename(p));
            writeFileSync(out, await cutKiwiWav(p, part, parts));
            return out;
          }),
        ),
      );
    }
    const whole = await open(paths.recordings);
    const cut = await Promise.all(partPaths.map((p) => open(p)));
    try {
      whole.recordings.forEach((w, i) => {
        const blocks = Math.floor(w.info.totalSamples / 512);
        const per = Math.floor(blocks / parts);
        cut.forEach((c) => expect(c.recordings[i].info.totalSamples).toBe(per * 512));
      });
      // The second part of the first recording: its samples and its times are the whole's,
      // from block `per` on.
      const w = whole.recordings[0];
      const second = cut[1].recordings[0];
      const offset = Math.floor(Math.floor(w.info.totalSamples / 512) / parts) * 512;
      expect(Array.from(await second.readSamples(0, 2048))).toEqual(
        Array.from(await w.readSamples(offset, 2048)),
      );
      const tw = recordingTiming(w.info);
      const tc = recordingTiming(second.info);
      if (!tw.ok || !tc.ok) throw new Error(`no timing: ${JSON.stringify([tw, tc]).slice(0, 400)}`);
      const epoch = tw.timing.t0.sec;
      const wholeAt = secondsSince(tw.timing.t0, epoch) + offset / tw.timing.sampleRateHz;
      // Fitted from its own stamps (half as many): the same time to well under a microsecond.
      expect(Math.abs(secondsSince(tc.timing.t0, epoch) - wholeAt)).toBeLessThan(0.5e-6);

      const list = parseStationList(await readFile(paths.stationsJson, 'utf8'), 'stations.json');
      for (const c of cut) {
        const r = await locateTdoa('part', c.recordings, list.stations);
        expect(r.stations.every((s) => s.used)).toBe(true);
        const errorM = geodesicInverse({ lat: r.lat!, lon: r.lon! }, scene.transmitter).distanceM;
        console.log(`part of a clean simulated scene: ${errorM.toFixed(0)} m off`);
        // Measured: 6 and 11 m. A part timed a sample off would be kilometres off.
        expect(errorM).toBeLessThan(200);
      }
    } finally {
      await whole.close();
      await Promise.all(cut.map((c) => c.close()));
    }
  }, 60_000);

  it('names the file and the problem for a part that cannot be cut', async () => {
    const scene = simulateTdoaScene(4242, 1, CLEAN_KIWI_SCENE);
    const paths = await writeSceneFiles(scene, join(dir, 'bad'));
    const file = paths.recordings[0];
    await expect(cutKiwiWav(file, 2, 2)).rejects.toThrow(/part 2 of 2: no such part/);
    await expect(cutKiwiWav(file, 0, 100_000)).rejects.toThrow(
      /blocks cannot make 100000 parts of at least one/,
    );
    await expect(cutKiwiWav(paths.stationsJson, 0, 2)).rejects.toThrow(/not a WAV file/);
  });
});
