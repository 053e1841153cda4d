/**
 * Start-up phases on the performance timeline (`performance.mark`), page and worker alike. A
 * Chromium trace carries them with one clock for every thread, so `npm run bench` can print where
 * a visit's time went (navigation, worker start, runtime, model, demo files, first estimate).
 * Only once-per-start events are marked; per-request marks would grow the timeline without bound.
 */
export const PHASE_PREFIX = 'heimdall:';

/** src/core has no DOM types; performance exists in pages, workers and Node alike. */
const timeline = (globalThis as { performance?: { mark?: (name: string) => unknown } }).performance;

export function markPhase(phase: string): void {
  timeline?.mark?.(`${PHASE_PREFIX}${phase}`);
}
