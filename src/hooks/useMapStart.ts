import { useEffect, useState } from 'react';
import { useStore, type AppState } from '../state/store';

/**
 * Longest the map waits, once the model is ready, for a first scene to finish (no files, scenes
 * that never form, a batch that stalls): it then starts anyway.
 */
const MAP_GRACE_AFTER_READY_MS = 2000;

type Gate = 'wait' | 'grace' | 'start';

/**
 * Where the map's start stands. Without a GPU the browser draws WebGL in software, and the map's
 * first frames take whole cores: a Chromium trace of a first visit on the 2-core machine
 * (`npx tsx scripts/trace-start.ts`) had the map's worker tiling the basemap for 15-16 s of CPU
 * and the page's thread blocked 11 s reading frames back for compositing, while the runtime
 * compiled and the first scenes were located. So the map waits for the engine: it starts once
 * the model is ready (at once if it failed) and a first scene has finished, or the grace after
 * ready has passed. Even with no recording open yet the grace is waited: files being opened
 * (the demo, clicked at load) reach the store only after the worker has read them.
 */
function gate(s: AppState): Gate {
  if (s.engine.state === 'error') return 'start';
  if (s.engine.state !== 'ready') return 'wait';
  const settled = Object.values(s.runs).some((r) => r.status === 'done' || r.status === 'error');
  return settled ? 'start' : 'grace';
}

/** Whether the map may start; once true it stays true. */
export function useMapStart(): boolean {
  const now = useStore(gate);
  const [started, setStarted] = useState(now === 'start');
  // Latched during render (React's pattern for state derived from a change), not in an effect.
  if (now === 'start' && !started) setStarted(true);
  useEffect(() => {
    if (started || now !== 'grace') return;
    const timer = setTimeout(() => setStarted(true), MAP_GRACE_AFTER_READY_MS);
    return () => clearTimeout(timer);
  }, [started, now]);
  return started || now === 'start';
}
