/**
 * A KiwiSDR file renamed without its date (HB9ODP.wav) takes the GPS week of a dated file it
 * overlaps (readers/kiwiWeek.ts). On the page files arrive in several drops: the renamed one may
 * come after the files of its event, or before them, and a restarted worker reopens each drop on
 * its own. In every order it is dated, grouped and used, as when all are dropped together.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { simulateTdoaScene } from '../../src/core/sim/tdoa/scene';
import { sceneFiles } from '../../src/core/sim/tdoa/sceneFiles';
import { parseStationList } from '../../src/core/stations';
import { CLEAN_KIWI_SCENE } from '../support/tdoaSceneOptions';
import { connect, type Connected } from './harness';

const files = sceneFiles(simulateTdoaScene(4243, 1, CLEAN_KIWI_SCENE));
const stations = parseStationList(files.stationsJson.bytes as string, 'stations.json').stations;
const dated = files.recordings.map((f) => ({
  name: f.name,
  blob: new Blob([f.bytes as Uint8Array<ArrayBuffer>]),
}));
const first = stations.find((s) => dated[0].name.includes(`_${s.id}_`))!;
/** The first station's file as an operator renamed it: no date, no frequency. */
const renamed = { name: `${first.id}.wav`, blob: dated[0].blob };
const others = dated.slice(1);

let engine: Connected | undefined;
afterEach(async () => engine?.close());

/** No model is needed: TDoA runs on the opened recordings alone. */
const noNetwork = () => connect(() => Promise.reject(new Error('no network in this test')));

async function locatesAll(e: Connected, ids: string[]) {
  const { result } = await e.api.locateTdoa({ scene: 'renamed', recordingIds: ids, stations });
  expect(result.stations.map((s) => [s.file, s.used])).toEqual(
    expect.arrayContaining([[renamed.name, true]]),
  );
  expect(result.lat).toBeDefined();
}

describe('a renamed KiwiSDR file dropped apart from the files of its event', () => {
  it('dropped after them, takes their GPS week', async () => {
    // The same files in one drop: the time they give it.
    engine = await noNetwork();
    const together = await engine.api.openFiles([renamed, ...others]);
    await engine.close();
    const expected = together.recordings.find((r) => r.info.name === renamed.name)!.info;
    expect(expected.captureTime).toMatch(/^\d{4}-\d\d-\d\dT/);

    engine = await noNetwork();
    const before = await engine.api.openFiles(others);
    const after = await engine.api.openFiles([renamed]);
    expect(after.errors).toEqual([]);
    const { info } = after.recordings[0];
    expect(info.captureTime).toBe(expected.captureTime);
    expect(info.extra.gpsWeekFrom).toMatch(/_iq\.wav$/);
    expect(after.redated).toBeUndefined();
    await locatesAll(
      engine,
      [...before.recordings, ...after.recordings].map((r) => r.id),
    );
  }, 60_000);

  it('dropped before them, is dated by them, and the page is told', async () => {
    engine = await noNetwork();
    const alone = await engine.api.openFiles([renamed]);
    expect(alone.recordings[0].info.captureTime).toBeUndefined();
    const later = await engine.api.openFiles(others);
    expect(later.redated?.map((r) => r.id)).toEqual([alone.recordings[0].id]);
    expect(later.redated![0].info.captureTime).toMatch(/^\d{4}-\d\d-\d\dT/);
    await locatesAll(
      engine,
      [...alone.recordings, ...later.recordings].map((r) => r.id),
    );
  }, 60_000);

  it('a restarted worker reopening the two drops dates it again', async () => {
    engine = await noNetwork();
    const alone = await engine.api.openFiles([renamed]);
    const later = await engine.api.openFiles(others);
    await engine.close();
    // What the page's restart journal does (bridge/restartJournal.ts): each drop reopened alone.
    engine = await noNetwork();
    const entry = (drop: typeof others, opened: typeof alone) => ({
      files: drop,
      recordings: opened.recordings.map((r) => ({ id: r.id, name: r.info.name })),
    });
    await engine.api.reopenFiles(entry([renamed], alone));
    await engine.api.reopenFiles(entry(others, later));
    await locatesAll(
      engine,
      [...alone.recordings, ...later.recordings].map((r) => r.id),
    );
  }, 60_000);
});
