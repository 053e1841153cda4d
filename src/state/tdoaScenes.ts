/**
 * Which open recordings make TDoA scenes (issue 12): recordings with a time for every sample
 * (KiwiSDR IQ WAVs with their GPS `kiwi` chunks, SigMF with `core:datetime`) on one centre
 * frequency whose spans overlap. Pure, so it is unit-tested.
 */
import type { RecordingInfo } from '../core/readers/types';
import { groupWithReasons, timedSpan, type TimedSpan } from '../core/tdoa/groupScenes';
import type { TdoaScene } from './tdoaTypes';

/** A time source fit for TDoA: KiwiSDR GPS stamps, or a SigMF capture time. */
export function hasSampleTime(info: RecordingInfo): boolean {
  if (info.format === 'kiwi-wav') return Number(info.extra.kiwiChunks ?? 0) > 0;
  return (info.format === 'sigmf' || info.format === 'sigmf-archive') && Boolean(info.captureTime);
}

/** A KiwiSDR GPS recording: its scene is located without being asked, whatever the model says. */
const locatesUnasked = (info: RecordingInfo) => info.format === 'kiwi-wav';

/**
 * Groups by frequency and overlap with the command line's rule (src/core/tdoa/groupScenes.ts
 * groupSimultaneous: a recording joins a group when it overlaps every member by the solver's
 * MIN_OVERLAP_S on the same centre frequency). A group of one is no scene.
 * `modelMatched` says which recordings the model's grouping already placed: a group is located
 * without being asked when a member is a KiwiSDR GPS recording or one the model cannot place,
 * so the model's own simulated scenes do not start a TDoA run each.
 */
export function groupTdoaScenes(
  recordings: readonly { id: string; info: RecordingInfo }[],
  modelMatched: ReadonlySet<string> = new Set(),
): TdoaScene[] {
  return tdoaGrouping(recordings, modelMatched).scenes;
}

/** A recording with a time for its samples that is in no scene, and why. */
export interface LeftOutRecording {
  recordingId: string;
  name: string;
  reason: string;
}

/**
 * groupTdoaScenes's scenes, and the recordings it leaves out of every scene though they overlap
 * others in time (another centre frequency, too short an overlap: whyAlone), so the page can say
 * why, as the command line does. A recording alone in time is in no list: it is simply no TDoA.
 */
export function tdoaGrouping(
  recordings: readonly { id: string; info: RecordingInfo }[],
  modelMatched: ReadonlySet<string> = new Set(),
): { scenes: TdoaScene[]; leftOut: LeftOutRecording[] } {
  const spans = recordings
    .filter((r) => hasSampleTime(r.info))
    .map((r) => timedSpan(r.id, r.info))
    .filter((s): s is TimedSpan<string> => s !== null);
  const grouped = groupWithReasons(spans);
  const leftOut = grouped.leftOut.map(({ span, reason }) => ({
    recordingId: span.item,
    name: span.info.name,
    reason,
  }));
  const scenes = grouped.groups
    .filter((g) => g.length >= 2)
    .map((g) => {
      const f = g[0].info.centerFrequencyHz;
      return {
        id: `${new Date(g[0].startMs).toISOString()}${f === undefined ? '' : ` ${f} Hz`}`,
        captureTimeMs: g[0].startMs,
        centerFrequencyHz: f,
        recordingIds: g.map((m) => m.item),
        auto: g.some((m) => locatesUnasked(m.info) || !modelMatched.has(m.item)),
      };
    });
  return { scenes, leftOut };
}

/**
 * Whether a scene is located without being asked whatever the model's grouping says: a member is
 * a KiwiSDR GPS recording (groupTdoaScenes). Such a scene need not wait for the grouping.
 */
export function autoWithoutGrouping(
  scene: TdoaScene,
  recordings: readonly { id: string; info: RecordingInfo }[],
): boolean {
  const members = new Set(scene.recordingIds);
  return recordings.some((r) => members.has(r.id) && locatesUnasked(r.info));
}

/** The key of a run: the same recordings (in any order) give the same key. */
export function tdoaRunKey(scene: TdoaScene): string {
  return [...scene.recordingIds].sort().join(',');
}
