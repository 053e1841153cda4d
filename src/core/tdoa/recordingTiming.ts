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

/**
 * Why a KiwiSDR recording has no time: its stamps give the time of week, the name the week
 * (readers/kiwiWeek.ts dates it from the recordings opened with it where it overlaps one).
 */
export const NO_KIWI_DATE =
  "has GPS stamps (time of week) but no date for their GPS week: its name is not kiwirecorder's " +
  'YYYYMMDDThhmmssZ_<freq Hz>_<station>_iq.wav and it overlaps no dated recording opened with it';

export function recordingTiming(info: RecordingInfo): TimingOutcome {
  const stamps = kiwiStampsOf(info.extra);
  if (stamps) {
    const near = info.captureTime ? Date.parse(info.captureTime) : NaN;
    if (!Number.isFinite(near)) {
      return {
        ok: false,
        reason: NO_KIWI_DATE,
      };
    }
    const outcome = kiwiSampleTiming(stamps, info.sampleRateHz, info.totalSamples, near);
    if (outcome.ok && typeof info.extra.gpsWeekFrom === 'string') {
      outcome.notes.push(
        `its name gives no date: the GPS week is that of ${info.extra.gpsWeekFrom}, which it overlaps`,
      );
    }
    const clockS = info.extra.nameClockErrorS;
    if (outcome.ok && typeof clockS === 'number') {
      outcome.notes.push(
        `its name's time (the recording PC's clock) is ${clockS} s off its GPS time: the GPS time is used`,
      );
    }
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
