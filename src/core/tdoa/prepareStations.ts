/**
 * Which recordings of a scene can take part, and the time of their samples. Each excluded one
 * gets the reason the operator reads; the others go on.
 */
import { distanceKm } from '../geodesy';
import type { IqRecording } from '../readers/types';
import { matchStation } from '../stations';
import { recordingTiming } from './recordingTiming';
import { MAX_RESAMPLE_RATIO, resampleOnClock } from './resampleOnClock';
import { clockSpan, rebaseClock, type SampleClock } from './sampleClock';
import { MAX_BASELINE_M, MAX_CENTER_FREQUENCY_DIFFERENCE_HZ, MIN_OVERLAP_S } from './tdoaDefaults';
import type { Station, StationUse } from './types';

export interface Candidate {
  use: StationUse;
  station: Station;
  recording: IqRecording;
  clock: SampleClock;
}

export interface Prepared {
  uses: StationUse[];
  candidates: Candidate[];
  epochSec: number;
  overlap: { startS: number; endS: number };
}

/** Nominal rates closer than this (relative) are one rate: a 12001 Hz KiwiSDR and a 12000 Hz SigMF recorder. */
const SAME_RATE_TOLERANCE = 1e-3;

const exclude = (c: { use: StationUse }, reason: string) => {
  c.use.used = false;
  c.use.reason = reason;
};

/** The most common value of key among items (ties: the first seen). */
function majority<T>(
  items: T[],
  key: (t: T) => number | undefined,
  same: (a: number, b: number) => boolean,
): number | undefined {
  let best: number | undefined;
  let bestCount = 0;
  for (const it of items) {
    const v = key(it);
    if (v === undefined) continue;
    const count = items.filter((o) => {
      const w = key(o);
      return w !== undefined && same(v, w);
    }).length;
    if (count > bestCount) [best, bestCount] = [v, count];
  }
  return best;
}

function overlapOf(cands: readonly Candidate[]): { startS: number; endS: number } {
  let startS = -Infinity;
  let endS = Infinity;
  for (const c of cands) {
    const s = clockSpan(c.clock);
    startS = Math.max(startS, s.startS);
    endS = Math.min(endS, s.endS);
  }
  return { startS, endS };
}

export function prepareStations(
  recordings: readonly IqRecording[],
  stations: readonly Station[],
): Prepared {
  const uses: StationUse[] = [];
  let cands: Candidate[] = [];
  const seen = new Map<string, string>();
  for (const recording of recordings) {
    const info = recording.info;
    const match = matchStation(info, stations);
    const use: StationUse = {
      id: match.id ?? match.station?.id ?? info.name,
      used: false,
      file: info.name,
    };
    uses.push(use);
    if (!match.station) {
      use.reason = match.reason;
      continue;
    }
    const previous = seen.get(use.id);
    if (previous) {
      use.reason = `a second recording of station ${use.id} in this scene (the first is ${previous})`;
      continue;
    }
    seen.set(use.id, info.name);
    const timing = recordingTiming(info);
    if (!timing.ok) {
      use.reason = timing.reason;
      continue;
    }
    use.timing = timing.timing;
    if (timing.notes.length) use.notes = timing.notes;
    use.used = true;
    cands.push({ use, station: match.station, recording, clock: timing.clock });
  }

  // One centre frequency per scene (the majority's) and one sample rate: the lowest. A recording
  // at a higher rate (a KiwiSDR in its 20.25 kHz mode beside 12 kHz ones) is read at the lowest
  // on its own clock (resampleOnClock.ts); the band the lags use is common to every station, so
  // it lies within the narrowest one's anyway.
  const freq = majority(
    cands,
    (c) => c.recording.info.centerFrequencyHz,
    (a, b) => Math.abs(a - b) <= MAX_CENTER_FREQUENCY_DIFFERENCE_HZ,
  );
  cands = cands.filter((c) => {
    const f = c.recording.info.centerFrequencyHz;
    if (
      freq !== undefined &&
      f !== undefined &&
      Math.abs(f - freq) > MAX_CENTER_FREQUENCY_DIFFERENCE_HZ
    ) {
      exclude(c, `centre frequency ${f} Hz differs from the other recordings' ${freq} Hz`);
      return false;
    }
    return true;
  });
  const rate = Math.min(...cands.map((c) => c.recording.info.sampleRateHz));
  cands = cands.filter((c) => {
    const r = c.recording.info.sampleRateHz;
    if (r / rate - 1 < SAME_RATE_TOLERANCE) return true;
    if (r / rate > MAX_RESAMPLE_RATIO) {
      exclude(
        c,
        `sample rate ${r} Hz is more than ${MAX_RESAMPLE_RATIO} times the scene's lowest, ${rate} Hz (decimate it first)`,
      );
      return false;
    }
    const resampled = resampleOnClock(c.recording, c.clock, rate);
    if (resampled.clock.endSample <= 0) {
      exclude(c, `too short to be read at ${rate} Hz`);
      return false;
    }
    c.recording = resampled.recording;
    c.clock = resampled.clock;
    (c.use.notes ??= []).push(
      `read at ${rate} Hz, the scene's lowest sample rate (resampled from ${r} Hz on its own clock)`,
    );
    return true;
  });

  // A station thousands of kilometres from all others is most likely misplaced.
  if (cands.length >= 2) {
    cands = cands.filter((c) => {
      const nearestKm = Math.min(
        ...cands.filter((o) => o !== c).map((o) => distanceKm(c.station, o.station)),
      );
      if (nearestKm * 1000 > MAX_BASELINE_M) {
        exclude(
          c,
          `station ${c.use.id} at ${c.station.lat}, ${c.station.lon} is ${nearestKm.toFixed(0)} km from the nearest other station (more than ${MAX_BASELINE_M / 1000} km: check its position)`,
        );
        return false;
      }
      return true;
    });
  }

  const epochSec = cands.length ? Math.min(...cands.map((c) => c.clock.epochSec)) : 0;
  for (const c of cands) c.clock = rebaseClock(c.clock, epochSec);
  // Drop, one at a time, the station whose removal lengthens the common span most.
  let overlap = overlapOf(cands);
  while (cands.length >= 2 && overlap.endS - overlap.startS < MIN_OVERLAP_S) {
    if (cands.length === 2) {
      const [a, b] = cands;
      const s = (overlap.endS - overlap.startS).toFixed(1);
      for (const c of cands)
        exclude(
          c,
          `does not overlap in time with ${(c === a ? b : a).use.file} (common span ${s} s; need ${MIN_OVERLAP_S} s)`,
        );
      cands = [];
      break;
    }
    let bestI = 0;
    let bestLen = -Infinity;
    cands.forEach((_, i) => {
      const o = overlapOf(cands.filter((__, j) => j !== i));
      if (o.endS - o.startS > bestLen) [bestI, bestLen] = [i, o.endS - o.startS];
    });
    const dropped = cands[bestI];
    const span = clockSpan(dropped.clock);
    const rest = overlapOf(cands.filter((_, j) => j !== bestI));
    const common = Math.max(0, Math.min(span.endS, rest.endS) - Math.max(span.startS, rest.startS));
    exclude(
      dropped,
      `overlaps the other recordings by only ${common.toFixed(1)} s (need ${MIN_OVERLAP_S} s)`,
    );
    cands = cands.filter((_, j) => j !== bestI);
    overlap = overlapOf(cands);
  }
  return { uses, candidates: cands, epochSec, overlap };
}
