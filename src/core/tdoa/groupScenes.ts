/**
 * Groups recordings from any number of stations into scenes of simultaneous recordings: two
 * recordings belong together when their spans (capture time plus duration) overlap. Unlike
 * src/core/grouping.ts, which fills the fixed receiver slots of a model's network, this takes any
 * set of stations, which is what TDoA needs.
 */
import { HeimdallError } from '../errors';
import type { IqRecording } from '../readers/types';
import { NO_KIWI_DATE } from './recordingTiming';

export interface TdoaSceneGroup {
  /** Capture time of the scene's earliest recording (ISO 8601): the scene's id. */
  id: string;
  recordings: IqRecording[];
}

export function groupTdoaScenes(recordings: readonly IqRecording[]): {
  scenes: TdoaSceneGroup[];
  errors: { file: string; error: HeimdallError }[];
} {
  const errors: { file: string; error: HeimdallError }[] = [];
  const spans: { rec: IqRecording; startMs: number; endMs: number }[] = [];
  for (const rec of recordings) {
    const startMs = rec.info.captureTime ? Date.parse(rec.info.captureTime) : NaN;
    if (!Number.isFinite(startMs)) {
      errors.push({
        file: rec.info.name,
        error: new HeimdallError(
          'MissingParameterError',
          rec.info.format === 'kiwi-wav'
            ? NO_KIWI_DATE
            : 'has no capture time, so it cannot be grouped with simultaneous recordings',
          rec.info.name,
        ),
      });
      continue;
    }
    spans.push({
      rec,
      startMs,
      endMs: startMs + (rec.info.totalSamples / rec.info.sampleRateHz) * 1000,
    });
  }
  spans.sort((a, b) => a.startMs - b.startMs);
  const scenes: TdoaSceneGroup[] = [];
  let endMs = -Infinity;
  for (const s of spans) {
    if (scenes.length === 0 || s.startMs > endMs) {
      scenes.push({ id: new Date(s.startMs).toISOString(), recordings: [] });
      endMs = s.endMs;
    }
    scenes[scenes.length - 1].recordings.push(s.rec);
    endMs = Math.max(endMs, s.endMs);
  }
  return { scenes, errors };
}
