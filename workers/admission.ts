/**
 * Admission of predictions: a few at a time, first come first served within a priority. Every
 * stage of a prediction is CPU work on the worker's one thread, so admitting all requests at
 * once only interleaves them: measured with 100 concurrent requests, each then finished near the
 * very end (p50 ~ p95 ~ the whole wall time). Admitting a few at a time keeps enough of them in
 * flight for the session runner to batch, and lets early requests finish early; total
 * throughput is the same.
 *
 * 'high' requests (live windows, which go stale within a second) take the next free slot ahead
 * of every waiting 'normal' one (a folder of files being located), so a batch delays them by at
 * most the requests already running, not by the whole queue.
 *
 * A request cancelled while it waits leaves the queue at once with CancelledError: behind a long
 * queue on a busy machine, waiting for its turn only to give up then kept cancelled scenes
 * "running" in the UI for tens of seconds.
 */
import { HeimdallError } from '../src/core/errors';
import type { CancelToken } from './requests';

export type Priority = 'normal' | 'high';

export class Admission {
  private running = 0;
  private readonly waiting: Record<Priority, (() => void)[]> = { high: [], normal: [] };

  constructor(private readonly limit: () => number) {}

  get queued(): number {
    return this.waiting.high.length + this.waiting.normal.length;
  }

  async run<T>(
    work: () => Promise<T>,
    priority: Priority = 'normal',
    token?: CancelToken,
  ): Promise<T> {
    if (this.running >= this.limit()) await this.wait(priority, token);
    else this.running++;
    try {
      return await work();
    } finally {
      // Hand the slot straight to the next in line, so a newcomer cannot overtake it.
      const next = this.waiting.high.shift() ?? this.waiting.normal.shift();
      if (next) next();
      else this.running--;
    }
  }

  /** Resolves when a slot is handed over; rejects, leaving the queue, when `token` is cancelled. */
  private wait(priority: Priority, token?: CancelToken): Promise<void> {
    const queue = this.waiting[priority];
    return new Promise<void>((resolve, reject) => {
      const admit = () => {
        stopListening?.();
        resolve();
      };
      queue.push(admit);
      const stopListening = token?.onCancel(() => {
        const at = queue.indexOf(admit);
        if (at < 0) return; // already admitted: the work itself checks the token
        queue.splice(at, 1);
        reject(new HeimdallError('CancelledError', `request ${token.id} was cancelled`));
      });
    });
  }
}
