/**
 * One life of the inference worker: the Worker, its comlink Remote, and a promise that rejects
 * with WorkerLostError when the worker dies, so a call in flight on it never hangs.
 *
 * Death is seen through a Web Lock the worker holds for as long as it lives (workers/lifeLock.ts):
 * the page asks for the same lock and is granted it only once the worker is gone. No heartbeat,
 * so a worker busy in a long computation on a loaded machine is never taken for dead. A worker
 * that fails to start (its script errors before it holds the lock) is lost too.
 */
import { releaseProxy, wrap, type Remote } from 'comlink';
import { HeimdallError } from '../core/errors';
import type { InferenceApi } from '../../workers/api';

export interface WorkerLife {
  readonly api: Remote<InferenceApi>;
  /** Resolves once the worker runs and holds its life lock (or has no Locks API). */
  readonly started: Promise<void>;
  /** Rejects with WorkerLostError when the worker dies; never resolves. */
  readonly lost: Promise<never>;
  readonly isLost: boolean;
  /** Stops the worker on purpose: `lost` rejects, and no restart should follow. */
  end(): void;
}

let nextLock = 1;

export function startWorkerLife(worker: Worker, onLost: (life: WorkerLife) => void): WorkerLife {
  const api = wrap<InferenceApi>(worker);
  let markLost!: (err: HeimdallError) => void;
  const lost = new Promise<never>((_, reject) => (markLost = reject));
  lost.catch(() => undefined); // observed by callers that race it; never unhandled
  let isLost = false;
  let running = false;
  const life: WorkerLife = {
    api,
    started: Promise.resolve(),
    lost,
    get isLost() {
      return isLost;
    },
    end: () => lose('the inference worker was stopped', false),
  };
  function lose(message: string, notify = true) {
    if (isLost) return;
    isLost = true;
    markLost(new HeimdallError('WorkerLostError', message));
    api[releaseProxy]();
    worker.terminate();
    if (notify) onLost(life);
  }
  worker.addEventListener('error', (event) => {
    // After start-up an uncaught error leaves the worker running; only a failed start is fatal.
    if (!running) lose(`the inference worker failed to start: ${event.message ?? 'script error'}`);
  });
  const lockName = `heimdall-worker-life-${Date.now()}-${nextLock++}`;
  (life as { started: Promise<void> }).started = Promise.race([
    api.holdLifeLock(lockName).then((held) => {
      running = true;
      const locks = globalThis.navigator?.locks;
      if (held && locks) {
        void locks.request(lockName, () =>
          lose('the inference worker stopped; it is being restarted'),
        );
      }
    }),
    lost,
  ]);
  return life;
}
