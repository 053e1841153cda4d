import { useState } from 'react';
import { useStore, type AppState } from '../state/store';

/**
 * Whether the map may start yet. Without a GPU the browser draws WebGL in software, and the map's
 * first frames then take whole cores: a Chromium trace of a first visit on the 2-core machine
 * (`npx tsx scripts/trace-start.ts`) had the map worker tiling the basemap for 15-16 s of CPU and
 * the page's thread blocked 11 s reading frames back for compositing, all while the runtime
 * compiled and the first scenes were located. So the map waits for the engine: it starts once the
 * model is ready (or failed) and either nothing is being located or a first estimate is shown.
 * Once started it stays.
 */
function mayStart(s: AppState): boolean {
  if (s.engine.state === 'error') return true;
  if (s.engine.state !== 'ready') return false;
  return !s.batchRunning || Object.keys(s.predictions).length > 0;
}

export function useMapStart(): boolean {
  const ready = useStore(mayStart);
  const [started, setStarted] = useState(ready);
  // Latched during render (React's pattern for state derived from a change), not in an effect.
  if (ready && !started) setStarted(true);
  return started || ready;
}
