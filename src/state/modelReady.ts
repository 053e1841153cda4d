/**
 * Waiting for the model, for work that starts by itself (the demo, a batch clicked early): it must
 * start when the later of the two, the model or the files, is ready, whichever order they come in.
 * Reads the store as it changes, so no readiness is missed between a check and a subscription.
 */
import { useStore } from './store';

/**
 * True once the engine is ready, or once it answers cached scenes while its session still starts
 * (a repeat visit: workers/cacheFirst.ts; a scene not cached then waits in the worker for the
 * session); false on an engine error or when `signal` aborts.
 */
export function waitForModel(signal?: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    let settled = false;
    const settle = (ready: boolean) => {
      settled = true;
      unsubscribe();
      signal?.removeEventListener('abort', onAbort);
      resolve(ready);
    };
    const check = () => {
      if (settled) return;
      const { engine } = useStore.getState();
      if (signal?.aborted || engine.state === 'error') settle(false);
      else if (engine.state === 'ready') settle(true);
      else if (engine.state === 'loading' && engine.cacheServes) settle(true);
    };
    const onAbort = () => check();
    const unsubscribe = useStore.subscribe(check);
    signal?.addEventListener('abort', onAbort);
    check();
  });
}
