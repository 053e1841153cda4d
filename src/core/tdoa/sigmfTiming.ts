/**
 * The time of every sample of a SigMF recording: each capture segment's `core:datetime` anchors
 * its first sample and the declared `core:sample_rate` times the rest. Captures whose datetimes
 * continue the previous one (within a sample) form one stretch; a jump is a gap and the longest
 * stretch is used.
 */
import type { TimingOutcome } from './kiwiTiming';
import type { SampleClock } from './sampleClock';
import { parseRfc3339Split, splitTime } from './splitTime';

export interface CaptureDatetime {
  sampleStart: number;
  datetime: string;
}

/** A capture's datetime may disagree with the previous capture's extrapolation by this much. */
const CONTINUITY_SAMPLES = 1;

export function sigmfSampleTiming(
  captures: readonly CaptureDatetime[],
  sampleRateHz: number,
  totalSamples: number,
): TimingOutcome {
  const parsed = captures
    .map((c) => ({ sample: c.sampleStart, t: parseRfc3339Split(c.datetime) }))
    .filter((c) => c.t !== undefined && c.sample < totalSamples);
  if (parsed.length === 0) {
    const first = captures[0]?.sampleStart;
    return {
      ok: false,
      reason:
        first !== undefined && first >= totalSamples
          ? `its captures with core:datetime start at sample ${first}, beyond its ${totalSamples} samples: the time of its samples is unknown`
          : 'no core:datetime in its captures: the time of its samples is unknown',
    };
  }
  const epochSec = parsed[0].t!.sec;
  const anchors = parsed.map((c) => ({
    sample: c.sample,
    timeS: c.t!.sec - epochSec + c.t!.fracS,
  }));
  // Stretches of captures that continue one another.
  const runs: { start: number; timeS: number; end: number }[] = [];
  for (let i = 0; i < anchors.length; i++) {
    const a = anchors[i];
    const end = anchors[i + 1]?.sample ?? totalSamples;
    const run = runs[runs.length - 1];
    const predicted = run && run.timeS + (a.sample - run.start) / sampleRateHz;
    if (run && Math.abs(a.timeS - predicted) * sampleRateHz <= CONTINUITY_SAMPLES) run.end = end;
    else runs.push({ start: a.sample, timeS: a.timeS, end });
  }
  const best = runs.reduce((a, b) => (b.end - b.start > a.end - a.start ? b : a));
  const notes =
    runs.length > 1
      ? [
          `${runs.length - 1} time jump(s) between captures; using samples ${best.start}..${best.end}`,
        ]
      : [];
  const clock: SampleClock = {
    epochSec,
    knotSample: Float64Array.of(best.start, best.end),
    knotTimeS: Float64Array.of(best.timeS, best.timeS + (best.end - best.start) / sampleRateHz),
    firstSample: best.start,
    endSample: best.end,
  };
  return {
    ok: true,
    clock,
    notes,
    timing: {
      t0: splitTime(epochSec, best.timeS - best.start / sampleRateHz),
      sampleRateHz,
      nominalRateHz: sampleRateHz,
      source: 'sigmf-datetime',
    },
  };
}
