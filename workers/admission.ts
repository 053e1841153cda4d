/**
 * First come, first served admission of predictions. Every stage of a prediction is CPU work on
 * the worker's one thread, so admitting all requests at once only interleaves them: measured with
 * 100 concurrent requests, each then finished near the very end (p50 ~ p95 ~ the whole wall
 * time). Admitting a few at a time keeps enough of them in flight for the session runner to
 * batch, and lets early requests finish early; total throughput is the same.
 */
export class Admission {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limit: () => number) {}

  get queued(): number {
    return this.waiting.length;
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.limit())
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.running++;
    try {
      return await work();
    } finally {
      // Hand the slot straight to the next in line, so a newcomer cannot overtake it.
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}
