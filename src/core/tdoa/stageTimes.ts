/**
 * Where a TDoA solve spends its time (issue 12, item 10): milliseconds per stage, summed when a
 * stage runs more than once. The benchmark prints them for the browser's worker and for Node side
 * by side; nothing in the result depends on them.
 */
export type StageTimes = Record<string, number>;

/**
 * A lap clock: each call charges the time since the previous call (or since the clock was made)
 * to `stage`. Without a record to fill it does nothing.
 */
export function stageClock(into: StageTimes | undefined): (stage: string) => void {
  if (!into) return () => undefined;
  let last = performance.now();
  return (stage) => {
    const now = performance.now();
    into[stage] = (into[stage] ?? 0) + (now - last);
    last = now;
  };
}
