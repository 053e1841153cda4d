/** The time of every sample of a recording, whatever its format, or why it has none. */
import { parseKiwiFileName } from '../readers/fileNameMetadata';
import type { RecordingInfo } from '../readers/types';
import { kiwiStampsOf } from './kiwiStamps';
import { kiwiSampleTiming, type TimingOutcome } from './kiwiTiming';
import { sigmfSampleTiming, type CaptureDatetime } from './sigmfTiming';

function captureDatetimes(extra: Record<string, unknown>): CaptureDatetime[] | undefined {
  const list = extra.captureDatetimes;
  if (!Array.isArray(list)) return undefined;
  return list.filter(
    (c): c is CaptureDatetime =>
      typeof c === 'object' &&
      c !== null &&
      typeof (c as CaptureDatetime).sampleStart === 'number' &&
      typeof (c as CaptureDatetime).datetime === 'string',
  );
}

export function recordingTiming(info: RecordingInfo): TimingOutcome {
  const stamps = kiwiStampsOf(info.extra);
  if (stamps) {
    const near = info.captureTime ? Date.parse(info.captureTime) : NaN;
    if (!Number.isFinite(near)) {
      return {
        ok: false,
        reason: 'has GPS stamps but no date (file name) to place their GPS week',
      };
    }
    const outcome = kiwiSampleTiming(stamps, info.sampleRateHz, info.totalSamples, near);
    const cutBytes = info.extra.cutBytes;
    if (outcome.ok && typeof cutBytes === 'number') {
      outcome.notes.push(
        `the file ends ${cutBytes} bytes short of the end of its last block (recording stopped mid-write, or copied while it recorded): the samples before the cut are used`,
      );
    }
    return outcome;
  }
  const captures = captureDatetimes(info.extra);
  if (captures) return sigmfSampleTiming(captures, info.sampleRateHz, info.totalSamples);
  const what =
    info.format === 'sigmf' || info.format === 'sigmf-archive'
      ? 'SigMF without core:datetime'
      : info.format !== 'kiwi-wav' && parseKiwiFileName(info.name)
        ? 'a WAV under a kiwirecorder name but without its kiwi chunks: kiwirecorder writes the GPS stamps only with --kiwi-wav'
        : `a ${info.format} recording without KiwiSDR GPS stamps`;
  return { ok: false, reason: `no GPS time for its samples (${what})` };
}
