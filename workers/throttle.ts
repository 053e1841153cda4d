/**
 * Progress callbacks cross the worker boundary as messages; a download reporting every chunk
 * would flood the UI thread. Emits at most once per interval, plus whenever `force` is set
 * (phase changes, the final report), which the caller uses so no milestone is ever lost.
 */
export function throttle<T>(
  emit: ((value: T) => unknown) | undefined,
  intervalMs = 100,
  now: () => number = () => performance.now(),
): (value: T, force?: boolean) => void {
  let last = -Infinity;
  return (value, force = false) => {
    if (!emit) return;
    const t = now();
    if (!force && t - last < intervalMs) return;
    last = t;
    try {
      // A proxied callback returns a promise; a closed proxy rejects. Progress is best-effort.
      void Promise.resolve(emit(value)).catch(() => undefined);
    } catch {
      // A synchronous throw from a local callback is equally ignored: progress must not fail work.
    }
  };
}
