/**
 * Groups recordings from any number of stations into scenes of simultaneous recordings. Unlike
 * src/core/grouping.ts, which fills the fixed receiver slots of a model's network, this takes any
 * set of stations, which is what TDoA needs. The command line (groupTdoaScenes) and the page
 * (src/state/tdoaScenes.ts) group by the one rule here (groupSimultaneous).
 */
import { HeimdallError } from '../errors';
import type { IqRecording, RecordingInfo } from '../readers/types';
import { NO_KIWI_DATE } from './recordingTiming';
import { MIN_OVERLAP_S } from './tdoaDefaults';

/** Centre frequencies closer than this are one channel (a KiwiSDR rounds to 1 Hz or less). */
const SAME_FREQUENCY_HZ = 10;

/** A recording's span in time: capture time plus duration. */
export interface TimedSpan<T> {
  item: T;
  info: RecordingInfo;
  startMs: number;
  endMs: number;
}

/** The span of a recording with a capture time and a sample rate, else null. */
export function timedSpan<T>(item: T, info: RecordingInfo): TimedSpan<T> | null {
  const startMs = info.captureTime ? Date.parse(info.captureTime) : NaN;
  if (!Number.isFinite(startMs) || !(info.sampleRateHz > 0)) return null;
  return { item, info, startMs, endMs: startMs + (info.totalSamples / info.sampleRateHz) * 1000 };
}

// A recording that does not say its frequency (a KiwiSDR file renamed without its kiwirecorder
// name) may be any of them: it joins by time, and the solver compares what it can.
const sameFrequency = (a: RecordingInfo, b: RecordingInfo) =>
  a.centerFrequencyHz === undefined ||
  b.centerFrequencyHz === undefined ||
  Math.abs(a.centerFrequencyHz - b.centerFrequencyHz) < SAME_FREQUENCY_HZ;

const overlapS = <T>(a: TimedSpan<T>, b: TimedSpan<T>) =>
  (Math.min(a.endMs, b.endMs) - Math.max(a.startMs, b.startMs)) / 1000;

/**
 * Recordings of one event: in order of start time (then name), each joins the first group whose
 * every member it overlaps by the solver's MIN_OVERLAP_S on the same centre frequency, else starts
 * a group of its own. Consecutive files of one station (kiwirecorder --dt-sec) overlap the next
 * stations' files by the second or two the recorders start apart, so "overlaps any member" would
 * chain a whole session into one scene, its later files each "a second recording of a station".
 */
export function groupSimultaneous<T>(spans: readonly TimedSpan<T>[]): TimedSpan<T>[][] {
  const sorted = [...spans].sort(
    (a, b) => a.startMs - b.startMs || a.info.name.localeCompare(b.info.name),
  );
  const groups: TimedSpan<T>[][] = [];
  for (const s of sorted) {
    const home = groups.find((g) =>
      g.every((m) => sameFrequency(m.info, s.info) && overlapS(m, s) >= MIN_OVERLAP_S),
    );
    if (home) home.push(s);
    else groups.push([s]);
  }
  return groups;
}

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
  const spans: TimedSpan<IqRecording>[] = [];
  for (const rec of recordings) {
    const span = timedSpan(rec, rec.info);
    if (!span) {
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
    spans.push(span);
  }
  const { groups, leftOut } = groupWithReasons(spans);
  for (const { span, reason } of leftOut) {
    errors.push({
      file: span.info.name,
      error: new HeimdallError('SceneIncompleteError', reason, span.info.name),
    });
  }
  // A group of one that overlaps nothing is still a scene: the solver says why it cannot be
  // located, naming the file.
  const scenes = groups.map((g) => ({
    id: new Date(g[0].startMs).toISOString(),
    recordings: g.map((s) => s.item),
  }));
  return { scenes, errors };
}

/**
 * groupSimultaneous's groups, less the recordings left alone in theirs though they overlap
 * others in time (whyAlone), which come back with the reason: the command line reports them as
 * errors, the page lists them beside its scenes.
 */
export function groupWithReasons<T>(spans: readonly TimedSpan<T>[]): {
  groups: TimedSpan<T>[][];
  leftOut: { span: TimedSpan<T>; reason: string }[];
} {
  const groups: TimedSpan<T>[][] = [];
  const leftOut: { span: TimedSpan<T>; reason: string }[] = [];
  for (const g of groupSimultaneous(spans)) {
    const reason = g.length === 1 ? whyAlone(g[0], spans) : undefined;
    if (reason) leftOut.push({ span: g[0], reason });
    else groups.push(g);
  }
  return { groups, leftOut };
}

/**
 * Why a recording that overlaps others in time was left in a group of its own: another centre
 * frequency, or too short an overlap (the same words the solver uses for a station it excludes).
 * Undefined when it overlaps nothing.
 */
export function whyAlone<T>(
  span: TimedSpan<T>,
  spans: readonly TimedSpan<T>[],
): string | undefined {
  const others = spans.filter((o) => o !== span && overlapS(o, span) > 0);
  const otherBand = others.find(
    (o) => overlapS(o, span) >= MIN_OVERLAP_S && !sameFrequency(o.info, span.info),
  );
  if (otherBand)
    return `centre frequency ${span.info.centerFrequencyHz} Hz differs from the other recordings' ${otherBand.info.centerFrequencyHz} Hz (${otherBand.info.name}, at the same time)`;
  if (others.length === 0) return undefined;
  const most = Math.max(...others.map((o) => overlapS(o, span)));
  if (most < MIN_OVERLAP_S)
    return `overlaps the other recordings by only ${most.toFixed(1)} s (need ${MIN_OVERLAP_S} s)`;
  // It overlaps some by enough and others, recorded at the same time as those, by too little.
  const least = others.reduce((a, b) => (overlapS(b, span) < overlapS(a, span) ? b : a));
  return `overlaps ${least.info.name} by only ${overlapS(least, span).toFixed(1)} s (need ${MIN_OVERLAP_S} s with every recording of its scene)`;
}
