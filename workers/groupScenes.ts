import { groupIntoScenes } from '../src/core/grouping';
import type { IqRecording } from '../src/core/readers/types';
import type { Engine } from './engine';
import { errorInfo } from './errorInfo';
import type { GroupScenesOptions, GroupScenesResult } from './types';

/**
 * Groups open recordings into scenes (src/core/grouping.ts) for the serving model's receivers.
 * Manual overrides are keyed by recording id here and by file name in the core, so they are
 * translated; an override naming an unknown recording is a ConfigError from the table.
 */
export function groupScenes(engine: Engine, options: GroupScenesOptions = {}): GroupScenesResult {
  const constellation = engine.constellation();
  const opened = engine.recordings.entries(options.recordingIds);
  const idOf = new Map<IqRecording, string>(opened.map(([id, rec]) => [rec, id]));
  const overrides = new Map<string, string>();
  for (const [id, receiverId] of Object.entries(options.overrides ?? {})) {
    overrides.set(engine.recordings.get(id).info.name, receiverId);
  }
  const grouped = groupIntoScenes(
    opened.map(([, rec]) => rec),
    constellation,
    { toleranceMs: options.toleranceMs, overrides },
  );
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
  };
}
