/**
 * One recording removed from the Files view (a wrong file dropped, a bad station): its row's
 * button removes that recording and no other, the scenes are grouped again without it, and it is
 * closed in the engine once no scene shown names it. Results of the scenes it was no part of stay;
 * those of its scene go, as does an answer still on its way for that scene.
 */
import './memoryStorage';
import { createElement, isValidElement, type ReactElement, type ReactNode } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it, vi } from 'vitest';
import { createFakeBridge, flush, MANIFEST, sceneRecordings, type FakeBridge } from './fakeBridge';
import { CONSTELLATION, prediction } from './fixtures';
import type { LocateTdoaReply } from '../../workers/locateTdoa';

let fake: FakeBridge;
vi.mock('../../src/bridge/inferenceBridge', () => ({ getInferenceBridge: () => fake }));

/**
 * Fresh modules per case, with `count` scenes of three recordings each (one per receiver),
 * grouped; each recording lasts `durationS`.
 */
async function freshApp(count = 2, durationS = 0.75) {
  vi.resetModules();
  fake = createFakeBridge();
  const { getState, getTdoaState, useStore } = await import('../../src/state/store');
  const { bootScenes, regroup } = await import('../../src/state/sceneActions');
  const { locateScenes } = await import('../../src/state/batchActions');
  const { bootTdoa, currentTdoaScenes, runTdoaScene } = await import('../../src/state/tdoaActions');
  const { RecordingsList } = await import('../../src/components/RecordingsList');
  const recordings = sceneRecordings(count).map((r) => ({
    ...r,
    info: { ...r.info, totalSamples: durationS * r.info.sampleRateHz },
  }));
  fake.knowRecordings(recordings);
  useStore.setState({
    manifest: MANIFEST,
    engine: { state: 'ready', version: '1.1.0', stagingVersion: null },
    recordings,
  });
  // As the page does once the engine starts: a change of the recordings groups them again.
  bootScenes();
  const { scenes } = await regroup();
  expect(scenes.map((sc) => sc.recordingIds)).toEqual(
    Array.from({ length: count }, (_, k) => [1, 2, 3].map((i) => String(3 * k + i))),
  );
  return {
    getState,
    getTdoaState,
    locateScenes,
    bootTdoa,
    currentTdoaScenes,
    runTdoaScene,
    RecordingsList,
    sceneIds: scenes.map((sc) => sc.id),
  };
}

type App = Awaited<ReturnType<typeof freshApp>>;

/** Every element of a rendered tree that `match` accepts. */
function findAll(node: ReactNode, match: (props: Record<string, unknown>) => boolean) {
  const found: ReactElement<Record<string, unknown>>[] = [];
  const visit = (n: ReactNode) => {
    if (Array.isArray(n)) n.forEach(visit);
    if (!isValidElement<Record<string, unknown>>(n)) return;
    if (match(n.props)) found.push(n);
    visit(n.props.children as ReactNode);
  };
  visit(node);
  return found;
}

/** The Files view as the store has it now: its markup, and its Remove buttons by name. */
function filesView(app: App) {
  const s = app.getState();
  const props = {
    recordings: s.recordings,
    receivers: CONSTELLATION.receivers,
    stations: [],
    placements: s.grouping.placements,
    errors: [],
  };
  let tree: ReactNode = null;
  // Rendered inside a component so its store hooks run; the tree it returns holds the handlers.
  const Capture = () => {
    tree = app.RecordingsList(props);
    return null;
  };
  renderToStaticMarkup(createElement(Capture));
  const buttons = findAll(tree, (p) => String(p['aria-label']).startsWith('Remove '));
  return {
    markup: renderToStaticMarkup(createElement(app.RecordingsList, props)),
    click(name: string) {
      const button = buttons.find((b) => b.props['aria-label'] === `Remove ${name}`);
      if (!button) throw new Error(`no button "Remove ${name}"`);
      (button.props.onClick as () => void)();
    },
  };
}

const MILANO_0 = 'scene0-milano-baggio.sigmf-data';
const ids = (app: App) => app.getState().recordings.map((r) => r.id);

describe('removing one recording', () => {
  it("is its row's own button, and removes that recording only", async () => {
    const app = await freshApp();
    const view = filesView(app);
    // A real button per row, named after the file it removes (keyboard and screen readers).
    for (const r of app.getState().recordings)
      expect(view.markup).toContain(
        `<button type="button" aria-label="Remove ${r.name}">Remove</button>`,
      );

    view.click(MILANO_0);
    expect(ids(app)).toEqual(['1', '3', '4', '5', '6']);
    expect(app.getState().notice).toBe(`Removed ${MILANO_0}.`);
    await flush();
    expect(app.getState().grouping.scenes.map((sc) => sc.recordingIds)).toEqual([
      ['1', null, '3'],
      ['4', '5', '6'],
    ]);
    expect(filesView(app).markup).not.toContain(MILANO_0);
  });

  it('closes it in the engine once no scene shown names it, and only it', async () => {
    const app = await freshApp();
    filesView(app).click(MILANO_0);
    // The grouping on show still names it until the worker's new one arrives: a locate started
    // from it now would still send its id.
    expect(fake.closed).toEqual([]);
    await flush();
    expect(fake.closed).toEqual([['2']]);
    filesView(app).click('scene1-genova.sigmf-data');
    await flush();
    expect(fake.closed).toEqual([['2'], ['6']]);
  });

  it("keeps other scenes' results, and shows none of its own scene's as that scene's", async () => {
    const app = await freshApp();
    const [changed, other] = app.sceneIds;
    for (const id of app.sceneIds) {
      app.getState().setPrediction(prediction(id, 45, 8));
      app.getState().setRun(id, { status: 'done', progress: 1 });
    }
    app.getState().selectScene(changed);
    const kept = app.getState().predictions[other];

    filesView(app).click(MILANO_0);
    await flush();
    // The scene without it is still there under its id, to be located again.
    expect(app.getState().grouping.scenes.map((sc) => sc.id)).toEqual([changed, other]);
    expect(app.getState().predictions).toEqual({ [other]: kept });
    expect(Object.keys(app.getState().runs)).toEqual([other]);
    expect(app.getState().selectedSceneId).toBeNull();
  });

  it('a Locate clicked before the scenes are grouped again does not send it', async () => {
    const app = await freshApp();
    const { locateDueScenes } = await import('../../src/state/batchActions');
    // The worker's grouping answers only when the test says (a real worker takes a moment).
    const groupScenes = fake.groupScenes;
    let release = () => undefined as void;
    const answered = new Promise<void>((r) => (release = r));
    fake.groupScenes = async (...args: Parameters<typeof groupScenes>) => {
      await answered;
      return groupScenes(...args);
    };
    const sent: string[] = [];
    const predictBatch = fake.predictBatch;
    fake.predictBatch = (...args: Parameters<typeof predictBatch>) => {
      for (const r of args[0]) if ('recordingIds' in r) sent.push(...r.recordingIds);
      return predictBatch(...args);
    };

    filesView(app).click(MILANO_0);
    const run = locateDueScenes();
    await flush();
    // Sent from the scenes still shown, the removed recording went with its old scene (and was
    // then located, its result shown as the regrouped scene's).
    expect(sent).toEqual([]);
    release();
    await flush();
    expect(sent.length).toBeGreaterThan(0);
    expect(sent).not.toContain('2');
    fake.answerAll();
    await flush();
    await run;
    expect(app.getState().notice).not.toMatch(/error|failed|could not/i);
  });

  it('while its scene is being located: no error, and the late answer is not shown', async () => {
    const app = await freshApp();
    const [changed, other] = app.sceneIds;
    const run = app.locateScenes(app.sceneIds);
    await flush();
    expect(fake.open().map((c) => c.sceneId)).toEqual([changed, other]);

    filesView(app).click(MILANO_0);
    await flush();
    // Closed while the batch reads it: the worker holds what a batch took (closeInFlight.test.ts).
    expect(fake.closed).toEqual([['2']]);
    fake.answerAll();
    await flush();
    await run;
    expect(Object.keys(app.getState().predictions)).toEqual([other]);
    expect(app.getState().runs[other]?.status).toBe('done');
    expect(app.getState().runs[changed]).toBeUndefined();
    expect(app.getState().batchRunning).toBe(false);
    expect(app.getState().notice).not.toMatch(/error|failed|could not/i);
  });

  it('while TDoA runs of its scenes are on their way or queued: no error, nothing stale', async () => {
    // A minute each: every scene's recordings overlap, so each is a TDoA scene too. The model's
    // network places them, so none runs unasked: the operator started these.
    const app = await freshApp(3, 60);
    await app.bootTdoa(async () => undefined);
    const [a, b, c] = app.currentTdoaScenes();
    expect([a, b, c].map((sc) => [[...sc.recordingIds].sort(), sc.auto])).toEqual([
      [['1', '2', '3'], false],
      [['4', '5', '6'], false],
      [['7', '8', '9'], false],
    ]);
    const runs = [a, b, c].map((sc) => app.runTdoaScene(sc));
    await flush();
    expect(fake.tdoaCalls.map((t) => t.request.scene)).toEqual([a.id]); // b and c wait their turn

    filesView(app).click(MILANO_0); // a's, on its way
    filesView(app).click('scene1-milano-baggio.sigmf-data'); // b's, queued
    await flush();
    const answer = (call: (typeof fake.tdoaCalls)[number]) =>
      call.reply.resolve({
        result: {
          scene: call.request.scene,
          method: 'tdoa',
          stations: [],
          pairs: [],
          ellipses: [],
        },
        solveMs: 1,
        stageMs: {},
      } as unknown as LocateTdoaReply);
    answer(fake.tdoaCalls[0]);
    await flush();
    // b's run never asks the worker for the recording closed meanwhile; c's goes on.
    expect(fake.tdoaCalls.map((t) => t.request.scene)).toEqual([a.id, c.id]);
    answer(fake.tdoaCalls[1]);
    await Promise.all(runs);
    const statuses = Object.entries(app.getTdoaState().runs).map(([id, r]) => [id, r.status]);
    expect(statuses).toEqual([[c.id, 'done']]);
  });
});
