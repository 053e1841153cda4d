/**
 * groupScenes(): the open recordings grouped into scenes for the active model's network
 * (src/core/grouping.ts over the scene model), each recording's placement for the operator, and
 * the recordings that fit no scene. The page keeps no grouping of its own: it shows this.
 */
import type { Constellation } from '../src/core/modelMetadata';
import { groupIntoScenes } from '../src/core/grouping';
import { placeRecording } from '../src/core/scene/placement';
import type { RecordingInfo } from '../src/core/readers/types';
import type { Engine } from './engine';
import { errorInfo } from './errorInfo';
import type { GroupScenesOptions, GroupScenesResult } from './types';

/**
 * The grouping of recordings known by id. Overrides are keyed by recording id here and by file
 * name in the core, so they are translated.
 */
export function groupRecordings(
  opened: readonly (readonly [string, { info: RecordingInfo }])[],
  constellation: Constellation,
  options: GroupScenesOptions = {},
): GroupScenesResult {
  const idOf = new Map<{ info: RecordingInfo }, string>(opened.map(([id, rec]) => [rec, id]));
  const byId = new Map(opened);
  const overrides = new Map<string, string>();
  for (const [id, receiverId] of Object.entries(options.overrides ?? {})) {
    const rec = byId.get(id);
    if (rec) overrides.set(rec.info.name, receiverId);
  }
  const grouped = groupIntoScenes(
    opened.map(([, rec]) => rec),
    constellation,
    { toleranceMs: options.toleranceMs, overrides },
  );
  const stations = options.stations ?? [];
  return {
    scenes: grouped.scenes.map((s) => ({
      sceneId: s.id,
      captureTimeMs: s.captureTimeMs,
      recordingIds: s.byReceiver.map((rec) => (rec ? idOf.get(rec)! : null)),
      receiverIds: constellation.receivers.map((r) => r.id),
      missing: s.missing.map((r) => r.id),
      complete: s.missing.length === 0,
    })),
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
  const constellation = engine.constellation();
  // An override naming a recording that is not open is a ConfigError from the table.
  for (const id of Object.keys(options.overrides ?? {})) engine.recordings.get(id);
  return groupRecordings(engine.recordings.entries(options.recordingIds), constellation, options);
}
