/**
 * Scenes as the operator sees them: the recordings grouped by capture time and matched to the
 * model's receivers (src/core/grouping.ts), with the operator's overrides applied.
 */
import { HeimdallError, isErrorName } from '../core/errors';
import { groupIntoScenes, matchReceiver } from '../core/grouping';
import type { Constellation } from '../core/modelMetadata';
import type { FileError, RecordingEntry, SceneView } from './types';

export interface DerivedScenes {
  scenes: SceneView[];
  /** Recordings that fit no scene (no capture time, unknown receiver, duplicate receiver). */
  errors: FileError[];
  /** Receiver id each recording is assigned to (automatic or overridden); null when none. */
  assignment: Map<string, string | null>;
}

export function deriveScenes(
  recordings: readonly RecordingEntry[],
  constellation: Constellation | null,
): DerivedScenes {
  if (!constellation) return { scenes: [], errors: [], assignment: new Map() };
  const overrides = new Map<string, string>();
  for (const r of recordings) if (r.overrideReceiverId) overrides.set(r.name, r.overrideReceiverId);
  const assignment = new Map<string, string | null>();
  for (const r of recordings) {
    assignment.set(r.id, matchReceiver(r.info, constellation, r.overrideReceiverId)?.id ?? null);
  }
  const grouped = groupIntoScenes(recordings, constellation, { overrides });
  const scenes = grouped.scenes.map((s): SceneView => {
    const truthRec = s.byReceiver.find((r) => r?.info.truth);
    const truth = truthRec?.info.truth;
    return {
      id: s.id,
      captureTimeMs: s.captureTimeMs,
      recordingIds: s.byReceiver.map((r) => r?.id ?? null),
      missingReceiverIds: s.missing.map((m) => m.id),
      truth: truth ? { lat: truth.lat, lon: truth.lon } : undefined,
    };
  });
  const errors = grouped.errors.map(({ file, error }) => ({ file, error: toUiError(error) }));
  return { scenes, errors, assignment };
}

/** An unknown thrown value as the UI shows it; names outside the union read as 'Error'. */
export function toUiError(err: unknown): FileError['error'] {
  if (err instanceof Error) {
    const file = err instanceof HeimdallError ? err.file : undefined;
    return { name: isErrorName(err.name) ? err.name : 'Error', message: err.message, file };
  }
  return { name: 'Error', message: String(err) };
}
