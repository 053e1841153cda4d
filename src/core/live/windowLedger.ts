/**
 * What became of each live window, counted and listed for the timeline: located, squelched (no
 * receiver heard a signal), incomplete (a receiver lacked samples), dropped (inference fell
 * behind) or failed. Marks accumulate until the view takes them (a few times a second).
 */
export type WindowOutcome = 'located' | 'squelched' | 'incomplete' | 'dropped' | 'failed';

export interface WindowMark {
  startMs: number;
  outcome: WindowOutcome;
  /** Skipped windows this mark stands for (an outage skips many at once). */
  count: number;
}

export interface LiveCounters {
  /** Windows decided (each outcome below counts its windows). */
  windows: number;
  located: number;
  squelched: number;
  incomplete: number;
  /** Dropped because inference fell behind (stale or too old). */
  dropped: number;
  failed: number;
  /** Frames the relay dropped for this page (its socket buffer was full). */
  relayDropped: number;
}

export const EMPTY_COUNTERS: LiveCounters = {
  windows: 0,
  located: 0,
  squelched: 0,
  incomplete: 0,
  dropped: 0,
  failed: 0,
  relayDropped: 0,
};

export class WindowLedger {
  private current: LiveCounters = { ...EMPTY_COUNTERS };
  private marks: WindowMark[] = [];

  get counters(): LiveCounters {
    return this.current;
  }

  mark(startMs: number, outcome: WindowOutcome, count = 1): void {
    this.current = {
      ...this.current,
      windows: this.current.windows + count,
      [outcome]: this.current[outcome] + count,
    };
    this.marks.push({ startMs, outcome, count });
  }

  relayDropped(frames: number): void {
    this.current = { ...this.current, relayDropped: frames };
  }

  /** The marks since the last call (and the counters now). */
  take(): { marks: WindowMark[]; counters: LiveCounters } {
    const marks = this.marks;
    this.marks = [];
    return { marks, counters: this.current };
  }
}
