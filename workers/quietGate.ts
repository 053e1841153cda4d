/**
 * Work the worker gives itself after start-up (preparing the any-network model, the tier-up
 * burst of a new WASM session) waits until the page's own calls have stopped for a moment.
 *
 * Why: both used to start the moment the production model was ready, which is exactly when a
 * demo clicked at load (or files dropped early) opens, groups and locates its scenes. A Chromium
 * trace of a repeat visit on the 2-core machine (`npx tsx scripts/trace-start.ts`) had the
 * any-network session created and 96 tier-up runs (6-110 ms each while V8 still ran baseline
 * code) on the worker's thread between the model being ready and the first estimate, the tier-up
 * alone for over 2 s. Neither is needed for that estimate.
 *
 * A call in flight keeps the gate shut; so does one that ended less than quietMs ago. A caller
 * that needs the deferred work (a scene for the any-network model) opens it with hurry(), and the
 * gate opens by itself maxWaitMs after it was first asked, so steady traffic (the live view, a
 * long batch) never starves the background work.
 */
export class QuietGate {
  private inFlight = 0;
  private lastEndMs: number;
  private waiting: { resolve: () => void; sinceMs: number }[] = [];
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly quietMs: number,
    private readonly maxWaitMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.lastEndMs = now();
  }

  /** Counts `work` as a call of the page while it runs. */
  async track<T>(work: () => Promise<T>): Promise<T> {
    this.inFlight++;
    try {
      return await work();
    } finally {
      this.inFlight--;
      this.lastEndMs = this.now();
      this.check();
    }
  }

  /** Resolves once the page's calls have been quiet for quietMs (or hurry(), or maxWaitMs). */
  whenQuiet(): Promise<void> {
    return new Promise((resolve) => {
      this.waiting.push({ resolve, sinceMs: this.now() });
      this.check();
    });
  }

  /** Lets everything waiting go now. */
  hurry(): void {
    this.release(() => true);
  }

  private release(due: (w: { sinceMs: number }) => boolean): void {
    const go = this.waiting.filter(due);
    if (go.length === 0) return;
    this.waiting = this.waiting.filter((w) => !due(w));
    for (const w of go) w.resolve();
  }

  private check(): void {
    if (this.waiting.length === 0) return;
    const now = this.now();
    if (this.inFlight === 0 && now - this.lastEndMs >= this.quietMs) return this.hurry();
    this.release((w) => now - w.sinceMs >= this.maxWaitMs);
    if (this.waiting.length === 0 || this.timer) return;
    const quietIn = this.inFlight === 0 ? this.quietMs - (now - this.lastEndMs) : this.quietMs;
    const oldest = Math.min(...this.waiting.map((w) => w.sinceMs));
    const capIn = this.maxWaitMs - (now - oldest);
    this.timer = setTimeout(
      () => {
        this.timer = null;
        this.check();
      },
      Math.max(0, Math.min(quietIn, capIn)),
    );
  }
}
