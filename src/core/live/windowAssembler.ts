/**
 * Cuts the receivers' live streams into model windows that cover the same time span at every
 * receiver. Windows lie on a fixed grid of the UTC clock (start = k * windowMs), one after the
 * other without overlap, so each span of time is located once. A window is emitted once every
 * receiver holds all of its samples; when some receiver cannot deliver them (its stream restarted
 * after the window began, or it is late by more than maxWaitMs) the window is reported as
 * incomplete and skipped, so one dead receiver never holds the others up.
 */
import { planResampledSpan, resampleSpan } from '../dsp/resampledSpan';
import type { ReceiverStream } from './receiverStream';

export interface WindowSpec {
  /** Samples per window at the model's rate (windowSamples(preprocessing)). */
  windowSamples: number;
  modelRateHz: number;
  /** How long after a window's end a late receiver is waited for. */
  maxWaitMs: number;
  /** More windows than this behind the newest data are skipped in one step, not one by one. */
  maxBacklogWindows?: number;
}

export type WindowEvent =
  | {
      kind: 'window';
      startMs: number;
      endMs: number;
      /** One array per receiver, model order, windowSamples at the model's rate. */
      iq: Float32Array[];
    }
  | {
      kind: 'incomplete';
      startMs: number;
      endMs: number;
      /** Windows skipped by this event (more than one after a long outage). */
      windows: number;
      /** Receivers (indices) that lacked samples. */
      missing: number[];
    };

const DEFAULT_MAX_BACKLOG = 8;

export class WindowAssembler {
  readonly windowMs: number;
  private nextStartMs: number | undefined;

  constructor(private readonly spec: WindowSpec) {
    this.windowMs = (spec.windowSamples / spec.modelRateHz) * 1000;
  }

  /** Where the next window starts (undefined before any data). */
  get nextWindowStartMs(): number | undefined {
    return this.nextStartMs;
  }

  /** Emits every window that can be decided now. `streams` are in model receiver order. */
  poll(streams: readonly (ReceiverStream | undefined)[], nowMs: number): WindowEvent[] {
    const events: WindowEvent[] = [];
    const ends = streams.map((s) => s?.endMs).filter((t): t is number => t !== undefined);
    if (ends.length === 0) return events;
    const newestEnd = Math.max(...ends);
    if (this.nextStartMs === undefined) {
      const starts = streams.map((s) => s?.startMs).filter((t): t is number => t !== undefined);
      this.nextStartMs = this.gridCeil(Math.max(...starts));
    }
    const backlog = Math.floor((newestEnd - this.nextStartMs) / this.windowMs);
    const maxBacklog = this.spec.maxBacklogWindows ?? DEFAULT_MAX_BACKLOG;
    if (backlog > maxBacklog) {
      const skipped = backlog - 1;
      const startMs = this.nextStartMs;
      this.nextStartMs += skipped * this.windowMs;
      events.push({
        kind: 'incomplete',
        startMs,
        endMs: this.nextStartMs,
        windows: skipped,
        missing: [],
      });
    }
    for (;;) {
      const startMs: number = this.nextStartMs;
      const endMs: number = startMs + this.windowMs;
      // Nothing has arrived for this window yet, from any receiver.
      if (startMs >= newestEnd) break;
      const iq = streams.map((s) => (s ? this.extract(s, startMs) : undefined));
      const missing = iq.flatMap((x, i) => (x ? [] : [i]));
      if (missing.length === 0) {
        events.push({ kind: 'window', startMs, endMs, iq: iq as Float32Array[] });
      } else {
        const hopeless = missing.some((i) => {
          const first = streams[i]?.startMs;
          // The stream restarted after this window began: its samples for it will never come.
          return first === undefined || first > startMs + 1;
        });
        if (!hopeless && nowMs - endMs <= this.spec.maxWaitMs) break;
        events.push({ kind: 'incomplete', startMs, endMs, windows: 1, missing });
      }
      this.nextStartMs = endMs;
    }
    return events;
  }

  private gridCeil(ms: number): number {
    return Math.ceil(ms / this.windowMs) * this.windowMs;
  }

  /** The window's samples at the model rate, resampled when the stream's rate differs. */
  private extract(s: ReceiverStream, startMs: number): Float32Array | undefined {
    const n = this.spec.windowSamples;
    const to = this.spec.modelRateHz;
    const from = s.sampleRateHz;
    // The same plan as a recording's window (sceneInput): the lead-in is read before startMs,
    // so the first kept output lies at startMs or within one output sample after it, far finer
    // than the model's time resolution (one hop).
    const plan = planResampledSpan(n, from, to);
    const input = s.read(startMs - (plan.leadInSamples / from) * 1000, plan.inputSamples);
    return input && resampleSpan(input, n, from, to);
  }
}
