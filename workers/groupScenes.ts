/**
 * groupScenes(): the open recordings grouped into scenes by capture time over any stations
 * (src/core/scene/groupByTime.ts), each scene with the model that will locate it (the one rule of
 * src/core/scene/servingModel.ts), each recording's placement for the operator, and the
 * recordings that fit no scene. The page keeps no grouping of its own: it shows this.
 */
import type { Constellation } from '../src/core/modelMetadata';
import { groupByCaptureTime } from '../src/core/scene/groupByTime';
import { networkView } from '../src/core/scene/network';
import { placeForModels, placeRecording } from '../src/core/scene/placement';
import { chooseServing, isNetworkReceiver, type ServingSpec } from '../src/core/scene/servingModel';
import type { Scene } from '../src/core/scene/types';
import type { RecordingInfo } from '../src/core/readers/types';
import type { Engine } from './engine';
import { errorInfo } from './errorInfo';
import type { GroupScenesOptions, GroupScenesResult, SceneSummary } from './types';

type Opened = readonly [string, { info: RecordingInfo }];
/** A recording as grouping sees it: its id and what it says about itself. */
type Item = { id: string; info: RecordingInfo };

/**
 * A scene as the page lays it out: in the fixed network's receiver order when that model serves
 * it or when every station of it is one of that network's receivers (id and position, by the
 * serving rule's isNetworkReceiver), so the operator sees which of its receivers are missing,
 * whichever model locates it; else in the order its stations were heard.
 */
function summarise(
  scene: Scene<Item>,
  constellation: Constellation | null,
  candidates: readonly ServingSpec[],
): SceneSummary {
  let model: ServingSpec | null = null;
  let problem: SceneSummary['problem'];
  try {
    model = chooseServing(
      scene,
      candidates.map((spec) => ({ spec })),
    ).spec;
  } catch (err) {
    problem = errorInfo(err);
  }
  const inFixed = (s: Scene<Item>) =>
    constellation !== null && s.members.every((m) => isNetworkReceiver(m.station, constellation));
  const base = { sceneId: scene.id, captureTimeMs: scene.captureTimeMs };
  if (constellation && (model?.kind === 'fixed' || inFixed(scene))) {
    const view = networkView(scene, constellation);
    return {
      ...base,
      recordingIds: view.byReceiver.map((rec) => rec?.id ?? null),
      receiverIds: constellation.receivers.map((r) => r.id),
      stations: constellation.receivers,
      missing: view.missing.map((r) => r.id),
      complete: model !== null,
      model: model?.version ?? null,
      ...(problem ? { problem } : {}),
    };
  }
  return {
    ...base,
    recordingIds: scene.members.map((m) => m.recording.id),
    receiverIds: scene.members.map((m) => m.station.id),
    stations: scene.members.map((m) => m.station),
    missing: [],
    complete: model !== null,
    model: model?.version ?? null,
    ...(problem ? { problem } : {}),
  };
}

/**
 * The grouping of recordings known by id. `candidates` are the models that may locate a scene,
 * in the order the rule tries them (default: the fixed network's model alone, unnamed). Recordings are
 * placed at the fixed network's receivers first, then by the station list or their own position.
 */
export function groupRecordings(
  opened: readonly Opened[],
  constellation: Constellation | null,
  options: GroupScenesOptions = {},
  candidates: readonly ServingSpec[] = constellation
    ? [{ kind: 'fixed', version: '', constellation }]
    : [],
): GroupScenesResult {
  const stations = options.stations ?? [];
  const place = ({ id, info }: Item) =>
    placeForModels(info, {
      constellation,
      stations,
      override: options.overrides?.[id],
      byStationList: candidates.some((c) => c.kind === 'any-network'),
    });
  const items = opened.map(([id, rec]): Item => ({ id, info: rec.info }));
  const grouped = groupByCaptureTime(items, place, { toleranceMs: options.toleranceMs });
  return {
    scenes: grouped.scenes.map((s) => summarise(s, constellation, candidates)),
    errors: grouped.errors.map((e) => errorInfo(e.error, e.file)),
    placements: Object.fromEntries(
      opened.map(([id, rec]) => [
        id,
        placeRecording(rec.info, { constellation, stations, override: options.overrides?.[id] }),
      ]),
    ),
  };
}

export function groupScenes(engine: Engine, options: GroupScenesOptions = {}): GroupScenesResult {
  // An override naming a recording that is not open is a ConfigError from the table.
  for (const id of Object.keys(options.overrides ?? {})) engine.recordings.get(id);
  return groupRecordings(
    engine.recordings.entries(options.recordingIds),
    engine.constellation(),
    options,
    engine.servingSpecs(),
  );
}
