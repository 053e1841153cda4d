/**
 * A file dropped again replaces its recording in the store, and the copy it replaced is closed in
 * the engine: the worker kept every earlier copy open (and reopened it after a restart) for the
 * life of the page. Results shown stay, and a close that fails does not fail the open. Another
 * file that only shares the name (another folder's recording.sigmf-data) replaces nothing.
 */
import './memoryStorage';
import { describe, expect, it, vi } from 'vitest';
import { createFakeBridge, flush, type FakeBridge } from './fakeBridge';
import type { RecordingEntry, SceneView } from '../../src/state/types';
import { prediction, recording } from './fixtures';

let fake: FakeBridge;
vi.mock('../../src/bridge/inferenceBridge', () => ({ getInferenceBridge: () => fake }));

/** Fresh modules per case: the store starts empty. */
async function freshApp() {
  vi.resetModules();
  fake = createFakeBridge();
  const { openFiles } = await import('../../src/state/fileActions');
  const { getState, useStore } = await import('../../src/state/store');
  return { openFiles, getState, useStore };
}

type App = Awaited<ReturnType<typeof freshApp>>;
const useStoreOf = (app: App) => app.useStore;

/** When the files on disk were last saved (a File made here would be stamped now). */
const SAVED_MS = Date.parse('2026-01-01T12:00:00Z');

/**
 * Drops files of these names (8 bytes, saved at SAVED_MS, unless said); the engine opens them under
 * these ids.
 */
async function drop(
  app: App,
  opened: { id: string; name: string; sizeBytes?: number; lastModifiedMs?: number }[],
  redated?: { id: string; info: RecordingEntry['info'] }[],
): Promise<string[]> {
  const ids = app.openFiles(
    opened.map(
      (r) =>
        new File([new Uint8Array(r.sizeBytes ?? 8)], r.name, {
          lastModified: r.lastModifiedMs ?? SAVED_MS,
        }),
    ),
  );
  await flush();
  const recordings = opened.map((r) => recording(r.id, r.name));
  fake.opened[fake.opened.length - 1].resolve({
    recordings: recordings.map((r) => ({ id: r.id, info: r.info })),
    errors: [],
    ...(redated ? { redated } : {}),
  });
  const result = await ids;
  await flush();
  return result;
}

describe('a file dropped again', () => {
  it('closes the copy it replaced in the engine, and keeps the results shown', async () => {
    const app = await freshApp();
    await drop(app, [
      { id: 'rec-1', name: 'a.sigmf-data' },
      { id: 'rec-2', name: 'b.sigmf-data' },
    ]);
    expect(fake.closed).toEqual([]);
    app.getState().setPrediction(prediction('scene-1', 45, 8));

    expect(await drop(app, [{ id: 'rec-3', name: 'a.sigmf-data' }])).toEqual(['rec-3']);
    expect(fake.closed).toEqual([['rec-1']]);
    expect(app.getState().recordings.map((r) => r.id)).toEqual(['rec-2', 'rec-3']);
    expect(Object.keys(app.getState().predictions)).toEqual(['scene-1']);

    // Another file replaces nothing: nothing more is closed.
    await drop(app, [{ id: 'rec-4', name: 'c.sigmf-data' }]);
    expect(fake.closed).toEqual([['rec-1']]);
  });

  it('waits until the scenes shown stop naming the replaced copy before it closes it', async () => {
    const app = await freshApp();
    await drop(app, [
      { id: 'rec-1', name: 'a.sigmf-data' },
      { id: 'rec-2', name: 'b.sigmf-data' },
    ]);
    const shown = (ids: string[]): SceneView => ({
      id: 'scene-1',
      captureTimeMs: 0,
      recordingIds: ids,
      receivers: [],
      missingReceiverIds: [],
      model: null,
    });
    const grouping = (ids: string[]) => ({ scenes: [shown(ids)], errors: [], placements: {} });
    // The scene on show still names rec-1: a locate started from it now sends rec-1.
    useStoreOf(app).setState({ grouping: grouping(['rec-1', 'rec-2']) });

    await drop(app, [{ id: 'rec-3', name: 'a.sigmf-data' }]);
    expect(fake.closed).toEqual([]);
    // The grouping that follows the open names the new copy: now rec-1 is closed, once.
    useStoreOf(app).setState({ grouping: grouping(['rec-3', 'rec-2']) });
    await flush();
    expect(fake.closed).toEqual([['rec-1']]);
    useStoreOf(app).setState({ grouping: grouping(['rec-2']) });
    await flush();
    expect(fake.closed).toEqual([['rec-1']]);
  });

  it('opens even when the engine cannot close the replaced copy, and says so', async () => {
    const app = await freshApp();
    await drop(app, [{ id: 'rec-1', name: 'a.sigmf-data' }]);
    fake.failCloses(Object.assign(new Error('the worker stopped'), { name: 'WorkerLostError' }));

    expect(await drop(app, [{ id: 'rec-2', name: 'a.sigmf-data' }])).toEqual(['rec-2']);
    expect(fake.closed).toEqual([['rec-1']]);
    expect(app.getState().recordings.map((r) => r.id)).toEqual(['rec-2']);
    expect(app.getState().notice).toContain('Could not close the earlier copy of a.sigmf-data');
  });
});

describe('another file of the same name', () => {
  it('is kept beside the first, numbered, and nothing is closed or lost', async () => {
    const app = await freshApp();
    await drop(app, [
      { id: 'rec-1', name: 'recording.sigmf-data' },
      { id: 'rec-2', name: 'b.sigmf-data' },
    ]);
    app.getState().setPrediction(prediction('scene-1', 45, 8));
    app.getState().overrideReceiver('rec-1', 'genova');

    // Another folder's recording: same name, saved at another time.
    const later = SAVED_MS + 60_000;
    await drop(app, [{ id: 'rec-3', name: 'recording.sigmf-data', lastModifiedMs: later }]);
    expect(fake.closed).toEqual([]);
    const shown = () =>
      app.getState().recordings.map((r) => [r.id, r.copy, r.overrideReceiverId] as const);
    expect(shown()).toEqual([
      ['rec-1', undefined, 'genova'],
      ['rec-2', undefined, undefined],
      ['rec-3', 2, undefined],
    ]);
    expect(Object.keys(app.getState().predictions)).toEqual(['scene-1']);

    // Both stay usable: each takes its own receiver, and both go to the grouping (as
    // sceneActions.ts sends them) into one scene, one column each.
    app.getState().overrideReceiver('rec-3', 'milano-baggio');
    const recs = app.getState().recordings;
    const overrides = Object.fromEntries(
      recs.flatMap((r) => (r.overrideReceiverId ? [[r.id, r.overrideReceiverId]] : [])),
    );
    expect(overrides).toEqual({ 'rec-1': 'genova', 'rec-3': 'milano-baggio' });
    const grouped = await fake.groupScenes({ recordingIds: recs.map((r) => r.id), overrides });
    expect(grouped.scenes.map((sc) => sc.recordingIds)).toEqual([[null, 'rec-3', 'rec-1']]);

    // The first file dropped again replaces its own copy only, and keeps its (lack of a) number.
    await drop(app, [{ id: 'rec-4', name: 'recording.sigmf-data' }]);
    expect(fake.closed).toEqual([['rec-1']]);
    expect(shown().map(([id, copy]) => [id, copy])).toEqual([
      ['rec-2', undefined],
      ['rec-3', 2],
      ['rec-4', undefined],
    ]);
  });

  it('is another file when only its size differs', async () => {
    const app = await freshApp();
    await drop(app, [{ id: 'rec-1', name: 'a.sigmf-data' }]);
    await drop(app, [{ id: 'rec-2', name: 'a.sigmf-data', sizeBytes: 16 }]);
    expect(fake.closed).toEqual([]);
    expect(app.getState().recordings.map((r) => r.id)).toEqual(['rec-1', 'rec-2']);
  });
});

describe('a drop that dates a recording opened earlier', () => {
  it('takes its new capture time, and keeps its place, override and the results shown', async () => {
    const app = await freshApp();
    // A KiwiSDR file renamed without its date, dropped alone: no capture time yet.
    await drop(app, [{ id: 'rec-1', name: 'HB9ODP.wav' }]);
    useStoreOf(app).setState((s) => ({
      recordings: s.recordings.map((r) => ({ ...r, info: { ...r.info, captureTime: undefined } })),
    }));
    app.getState().overrideReceiver('rec-1', 'HB9ODP');
    app.getState().setPrediction(prediction('scene-1', 45, 8));
    const dated = {
      ...recording('rec-1', 'HB9ODP.wav').info,
      format: 'kiwi-wav' as const,
      captureTime: '2020-08-13T06:52:20.105Z',
      extra: { gpsWeekFrom: '20200813T065220Z_77500_pa0rdt_iq.wav' },
    };
    await drop(
      app,
      [{ id: 'rec-2', name: '20200813T065220Z_77500_pa0rdt_iq.wav' }],
      [{ id: 'rec-1', info: dated }],
    );
    const recs = app.getState().recordings;
    expect(recs.map((r) => [r.id, r.info.captureTime, r.overrideReceiverId])).toEqual([
      ['rec-1', dated.captureTime, 'HB9ODP'],
      ['rec-2', '2026-01-01T12:00:00.000Z', undefined],
    ]);
    expect(recs[0].info.extra.gpsWeekFrom).toBe(dated.extra.gpsWeekFrom);
    expect(fake.closed).toEqual([]);
    expect(Object.keys(app.getState().predictions)).toEqual(['scene-1']);
  });
});
