/**
 * The offset between the relay's clock and the page's. A server time stamp is too small by however
 * long its message waited (network, a busy main thread): the largest of the recent samples is the
 * best estimate, and keeping only recent ones follows a drifting clock.
 */
/** Samples kept (the relay sends one a second). */
const OFFSET_SAMPLES = 30;

export class ClockOffset {
  private readonly samples: number[] = [];
  private offset = 0;

  constructor(readonly keep = OFFSET_SAMPLES) {}

  /** Server clock minus local clock, ms (0 before any sample). */
  get offsetMs(): number {
    return this.offset;
  }

  note(serverMs: number, localMs: number): void {
    this.samples.push(serverMs - localMs);
    if (this.samples.length > this.keep) this.samples.shift();
    this.offset = Math.max(...this.samples);
  }
}
