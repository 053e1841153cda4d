/**
 * TDoA runs as the UI drives them (issue 12): the GPS-stamped recordings the operator opened are
 * grouped into TDoA scenes, each located in the worker (workers/locateTdoa.ts), one at a time;
 * a changed station list locates them again. Talks to the worker only through the bridge.
 */
import { getInferenceBridge } from '../bridge/inferenceBridge';
import { townsFromFile } from '../core/places/towns';
import { markTdoa, measureTdoaStages } from '../ui/tdoaTimeline';
import type { TdoaResult } from '../core/tdoa/types';
import { modelPlaced, toUiError } from './scenes';
import { activeEntry } from './selectors';
import { getState, getTdoaState, useStore, useTdoaStore } from './store';
import { autoWithoutGrouping, groupTdoaScenes, tdoaRunKey } from './tdoaScenes';
import type { TdoaScene } from './tdoaTypes';

/** The TDoA scenes of the open recordings, as the store holds them now. */
export function currentTdoaScenes(): TdoaScene[] {
  const s = getState();
  return groupTdoaScenes(s.recordings, modelPlaced(s.grouping));
}

/** A run is current when the same recordings met the same station list. */
function runKey(scene: TdoaScene): string {
  return `${tdoaRunKey(scene)}|${JSON.stringify(getTdoaState().stations)}`;
}

let queue: Promise<void> = Promise.resolve();

/** Locates one scene in the worker (queued behind any running one). */
export function runTdoaScene(scene: TdoaScene): Promise<void> {
  const key = runKey(scene);
  getTdoaState().setTdoaRun(scene.id, { status: 'queued', key });
  const job = queue.then(async () => {
    // A newer request for the same scene supersedes this one.
    if (getTdoaState().runs[scene.id]?.key !== key) return;
    getTdoaState().setTdoaRun(scene.id, { status: 'running', key });
    const t0 = performance.now();
    markTdoa('solve-start');
    try {
      const reply = await getInferenceBridge().locateTdoa({
        scene: scene.id,
        recordingIds: scene.recordingIds,
        stations: getTdoaState().stations,
      });
      markTdoa('solve-reply');
      measureTdoaStages(reply.stageMs);
      if (getTdoaState().runs[scene.id]?.key !== key) return;
      getTdoaState().setTdoaRun(scene.id, {
        status: 'done',
        key,
        result: reply.result,
        timings: {
          solveMs: reply.solveMs,
          roundTripMs: performance.now() - t0,
          stageMs: reply.stageMs,
        },
      });
      useStore.setState({ notice: tdoaNotice(scene, reply.result) });
      // Nothing from the model to look at: show the TDoA result.
      if (!getState().selectedSceneId && getState().panel === 'result') {
        useStore.setState({ panel: 'tdoa' });
      }
      void loadTowns();
    } catch (err) {
      if (getTdoaState().runs[scene.id]?.key !== key) return;
      const error = toUiError(err);
      getTdoaState().setTdoaRun(scene.id, { status: 'error', key, error });
      useStore.setState({ notice: `TDoA ${scene.id}: ${error.name}: ${error.message}` });
    }
  });
  queue = job.catch(() => undefined);
  return job;
}

function tdoaNotice(scene: TdoaScene, r: TdoaResult): string {
  const used = r.stations.filter((s) => s.used).length;
  return r.lat !== undefined
    ? `TDoA ${scene.id}: located from ${used} stations.`
    : `TDoA ${scene.id}: ${used} usable stations give a hyperbola, not a point.`;
}

/**
 * Locates the scenes that locate without being asked and are not current; with `onlyCertain`,
 * only those that do so whatever the model's grouping (still on its way) will say.
 */
export async function syncTdoa(onlyCertain = false): Promise<void> {
  const runs = getTdoaState().runs;
  const recordings = getState().recordings;
  const stale = currentTdoaScenes().filter(
    (sc) =>
      sc.auto &&
      runs[sc.id]?.key !== runKey(sc) &&
      (!onlyCertain || autoWithoutGrouping(sc, recordings)),
  );
  await Promise.all(stale.map(runTdoaScene));
}

/** After a station-list change: every scene that was located (or would be) runs again. */
export async function relocateTdoa(): Promise<void> {
  const runs = getTdoaState().runs;
  const again = currentTdoaScenes().filter(
    (sc) => (sc.auto || runs[sc.id]) && runs[sc.id]?.key !== runKey(sc),
  );
  await Promise.all(again.map(runTdoaScene));
}

/**
 * Forgets the runs of the TDoA scenes a recording is part of (it is being removed): their results
 * were made from it, and a run still queued or on its way for them is dropped when it sees its
 * run gone, instead of asking the worker for a recording that is closed by then.
 */
export function forgetTdoaRunsOf(recordingId: string): void {
  const changed = new Set(
    currentTdoaScenes()
      .filter((sc) => sc.recordingIds.includes(recordingId))
      .map((sc) => sc.id),
  );
  if (changed.size === 0) return;
  const runs = Object.fromEntries(
    Object.entries(getTdoaState().runs).filter(([id]) => !changed.has(id)),
  );
  useTdoaStore.setState({ runs });
}

let townsLoading: Promise<void> | null = null;

/** The offline towns (public/places/towns.json, written by the build), once. */
export function loadTowns(): Promise<void> {
  townsLoading ??= (async () => {
    try {
      const res = await fetch(new URL('places/towns.json', document.baseURI));
      if (!res.ok) throw new Error(`places/towns.json: HTTP ${res.status}`);
      useTdoaStore.setState({ towns: townsFromFile(await res.json()) });
    } catch (err) {
      // Names are a convenience: the result stands without them; say why they are missing.
      useStore.setState({ notice: `Town names unavailable: ${toUiError(err).message}` });
      useTdoaStore.setState({ towns: [] });
    }
  })();
  return townsLoading;
}

let booted = false;

/** Once per page: the saved stations, then a TDoA pass whenever the open recordings change. */
export async function bootTdoa(initStations: () => Promise<void>): Promise<void> {
  if (booted) return;
  booted = true;
  await initStations();
  useStore.subscribe((s, prev) => {
    if (s.recordings !== prev.recordings) {
      // Recordings closed: forget their runs, so nothing stale is drawn.
      const live = new Set(currentTdoaScenes().map((sc) => sc.id));
      const runs = Object.fromEntries(
        Object.entries(getTdoaState().runs).filter(([id]) => live.has(id)),
      );
      const selected = getTdoaState().selectedTdoaSceneId;
      useTdoaStore.setState({
        runs,
        selectedTdoaSceneId: selected && live.has(selected) ? selected : null,
      });
    }
    // Which scenes run by themselves depends on what the model's network places, so a run waits
    // for the worker's grouping of the new recordings; with no model there is none to wait for.
    const groupingPending = s.recordings !== prev.recordings && activeEntry(s) !== null;
    if (s.grouping !== prev.grouping || (s.recordings !== prev.recordings && !groupingPending)) {
      void syncTdoa();
    } else if (groupingPending) {
      // KiwiSDR GPS recordings are located whatever the grouping says: they start now, not a
      // round trip to the worker later (issue 12, item 10: drop to heat map); the run the
      // grouping would start is then current and not repeated.
      void syncTdoa(true);
    }
  });
  await syncTdoa();
}
