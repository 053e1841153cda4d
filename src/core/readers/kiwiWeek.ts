/**
 * The capture time of a KiwiSDR recording from its GPS stamps. They carry the GPS time of week;
 * the week comes from the kiwirecorder name's date (wav.ts, kiwiStartUtcMs), whose own time is
 * only the recording PC's clock. A file renamed by hand
 * (`HB9ODP.wav`) or written with kiwirecorder's `--fn` (`<name>_<station>.wav`) has no date, so
 * it could not be timed, grouped or located. Files opened together are most often one event's
 * recordings: such a file takes the week of a dated recording among them that its stamps then
 * overlap in time, and names it (`extra.gpsWeekFrom`), so the operator can see where it came from.
 * A time of week is 1 s of 604,800: overlapping a dated recording's span by chance is unlikely.
 */
import { gpsTimeOfWeekToUtcMs, GPS_WEEK_S, isGpsStampUsable } from '../kiwi/gpsTime';
import { median } from '../stats';
import { kiwiStampsOf } from '../tdoa/kiwiStamps';
import type { IqRecording, RecordingInfo } from './types';

// A stamp whose start lies further than this from the median start is stale or broken (real
// ones are minutes or hours off); the nominal rate's error moves a good one by milliseconds.
const START_AGREEMENT_S = 1;

/**
 * GPS time of week (s) of the recording's first sample: from the earliest usable stamp that
 * agrees with the median of them all (a first block's stamp is often blank or minutes stale),
 * back by its sample index at the nominal rate; undefined if none.
 */
function startTimeOfWeekS(info: RecordingInfo): number | undefined {
  const table = kiwiStampsOf(info.extra);
  if (!table) return undefined;
  const starts: number[] = [];
  for (let i = 0; i < table.sampleIndex.length; i++) {
    const stamp = {
      lastSolution: table.lastSolution[i],
      gpsSec: table.gpsSec[i],
      gpsNsec: table.gpsNsec[i],
    };
    if (!isGpsStampUsable(stamp) || stamp.gpsNsec >= 1e9) continue;
    let s = stamp.gpsSec + stamp.gpsNsec * 1e-9 - table.sampleIndex[i] / info.sampleRateHz;
    // One recording's starts agree to well under half a week: unwrap a week boundary inside it.
    if (starts.length && s - starts[0] > GPS_WEEK_S / 2) s -= GPS_WEEK_S;
    else if (starts.length && starts[0] - s > GPS_WEEK_S / 2) s += GPS_WEEK_S;
    starts.push(s);
  }
  if (starts.length === 0) return undefined;
  const m = median(starts);
  return starts.find((s) => Math.abs(s - m) <= START_AGREEMENT_S);
}

/**
 * UTC (ms) of the recording's first sample from its GPS stamps (startTimeOfWeekS: a first
 * block's stamp is mostly blank or minutes stale), in the GPS week nearest `nearMs`; undefined
 * when no stamp is usable.
 */
export function kiwiStartUtcMs(info: RecordingInfo, nearMs: number): number | undefined {
  const towS = startTimeOfWeekS(info);
  if (towS === undefined) return undefined;
  const wholeS = Math.floor(towS);
  return gpsTimeOfWeekToUtcMs(
    ((wholeS % GPS_WEEK_S) + GPS_WEEK_S) % GPS_WEEK_S,
    Math.round((towS - wholeS) * 1e9),
    nearMs,
  );
}

const durationMs = (info: RecordingInfo) => (info.totalSamples / info.sampleRateHz) * 1000;

/**
 * Gives each undated KiwiSDR recording the capture time its stamps have in the week of the dated
 * recording it overlaps most; one that overlaps none keeps no time (the grouping says so).
 * Returns the recordings it dated. The page calls it again over every recording open when more
 * are dropped (workers/openFiles.ts), so files dropped one at a time date each other too.
 */
export function dateKiwiRecordingsByPeers<R extends IqRecording>(recordings: readonly R[]): R[] {
  const dated = recordings
    .map((r) => r.info)
    .filter((info) => info.captureTime && Number.isFinite(Date.parse(info.captureTime)));
  const newlyDated: R[] = [];
  if (dated.length === 0) return newlyDated;
  for (const recording of recordings) {
    const { info } = recording;
    if (info.format !== 'kiwi-wav' || info.captureTime) continue;
    let best: { startMs: number; overlapMs: number; peer: string } | undefined;
    for (const peer of dated) {
      const peerStartMs = Date.parse(peer.captureTime!);
      const startMs = kiwiStartUtcMs(info, peerStartMs);
      if (startMs === undefined) break;
      const overlapMs =
        Math.min(startMs + durationMs(info), peerStartMs + durationMs(peer)) -
        Math.max(startMs, peerStartMs);
      if (overlapMs > 0 && (!best || overlapMs > best.overlapMs))
        best = { startMs, overlapMs, peer: peer.name };
    }
    if (!best) continue;
    info.captureTime = new Date(best.startMs).toISOString();
    info.extra.captureTimeSource = 'gps';
    info.extra.gpsWeekFrom = best.peer;
    newlyDated.push(recording);
  }
  return newlyDated;
}
