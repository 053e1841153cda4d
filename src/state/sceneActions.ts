/**
 * Keeps the store's grouping (the worker's groupScenes) in step with what it depends on: the
 * open recordings and the operator's receiver choices, the active model, and the station list.
 * Only the latest request's answer is kept, so a slow answer never overwrites a newer one.
 */
import { getInferenceBridge } from '../bridge/inferenceBridge';
import { sceneViews, toUiError } from './scenes';
import { activeEntry } from './selectors';
import { EMPTY_GROUPING, getState, getTdoaState, useStore, useTdoaStore } from './store';
import type { SceneGrouping } from './types';

let generation = 0;
let latest: Promise<SceneGrouping> = Promise.resolve(EMPTY_GROUPING);

/**
 * Asks the worker to group the open recordings now; resolves with the grouping in the store
 * (a call overtaken by a newer one resolves with the newer one's).
 */
export function regroup(): Promise<SceneGrouping> {
  const mine = ++generation;
  latest = groupNow(mine);
  return latest;
}

/**
 * The grouping once the latest regroup has answered: what a Locate must read, since a change
 * just made (a recording removed, a receiver reassigned) is grouped anew only when it does.
 */
export function groupingSettled(): Promise<SceneGrouping> {
  return latest;
}

async function groupNow(mine: number): Promise<SceneGrouping> {
  const s = getState();
  // No model known yet: nothing to group for (the worker would say so with a ConfigError).
  if (s.recordings.length === 0 || !activeEntry(s)) {
    useStore.setState({ grouping: EMPTY_GROUPING });
    return EMPTY_GROUPING;
  }
  const overrides: Record<string, string> = {};
  for (const r of s.recordings) if (r.overrideReceiverId) overrides[r.id] = r.overrideReceiverId;
  try {
    const result = await getInferenceBridge().groupScenes({
      recordingIds: s.recordings.map((r) => r.id),
      overrides,
      stations: getTdoaState().stations,
    });
    if (mine !== generation) return latest;
    const grouping = sceneViews(result, getState().recordings);
    useStore.setState({ grouping });
    return grouping;
  } catch (err) {
    // Recordings closed meanwhile, or a worker that is being restarted: the next change regroups.
    if (mine === generation) {
      useStore.setState({ notice: `Could not group the recordings: ${toUiError(err).message}` });
      return getState().grouping;
    }
    return latest;
  }
}

let booted = false;

/** Once per page: regroup whenever what the grouping depends on changes. */
export function bootScenes(): void {
  if (booted) return;
  booted = true;
  // The models serving decide which scenes each locates (the any-network one, a pinned one).
  const modelKey = () => {
    const s = getState();
    const serving =
      s.engine.state === 'ready' ? `${s.engine.version}|${s.engine.networkVersion}` : '';
    return `${activeEntry(s)?.version ?? ''}|${serving}`;
  };
  let lastModel = modelKey();
  useStore.subscribe((s, prev) => {
    const model = modelKey();
    if (s.recordings !== prev.recordings || model !== lastModel) {
      lastModel = model;
      void regroup();
    }
  });
  useTdoaStore.subscribe((s, prev) => {
    if (s.stations !== prev.stations) void regroup();
  });
}
