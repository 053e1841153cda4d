import { useEffect, useRef, useState } from 'react';
import { useStore, type AppState } from '../state/store';

/**
 * Longest the map waits, once the model is ready, for a first scene to finish when nothing is
 * being opened or located (no files, scenes that never form): it then starts anyway.
 */
const MAP_GRACE_AFTER_READY_MS = 2000;
/** Longest it waits for files being opened or located (a stalled batch, a huge file). */
const MAP_HOLD_AFTER_READY_MS = 10_000;

type Gate = 'wait' | 'grace' | 'hold' | 'start';

/**
 * Where the map's start stands. Without a GPU the browser draws WebGL in software, and the map's
 * first frames take whole cores: a Chromium trace of a first visit on the 2-core machine
 * (`npx tsx scripts/trace-start.ts`) had the map's worker tiling the basemap for 15-16 s of CPU
 * and the page's thread blocked 11 s reading frames back for compositing, while the runtime
 * compiled and the first scenes were located. So the map waits for the engine: it starts once
 * a first scene has finished (on a repeat visit that can come from the prediction cache before
 * the model's session is ready), at once if the model failed. Once the model is ready, while
 * files are being opened or scenes located (the demo, clicked at load) it holds for them, up to
 * MAP_HOLD_AFTER_READY_MS; with nothing in progress it waits MAP_GRACE_AFTER_READY_MS, since
 * files being opened reach the store only after the worker has read them. Traces of repeat
 * visits had the 2 s grace alone run out while the demo's scenes were still being grouped, and
 * the map's start (its 1 MB module, then its first frames) land before the first estimate.
 */
function gate(s: AppState): Gate {
  if (s.engine.state === 'error') return 'start';
  // A first estimate is on screen: the map costs it nothing now. On a repeat visit that comes
  // from the prediction cache before the model's session is ready (workers/cacheFirst.ts).
  const settled = Object.values(s.runs).some((r) => r.status === 'done' || r.status === 'error');
  if (settled) return 'start';
  if (s.engine.state !== 'ready') return 'wait';
  return s.filesOpening > 0 || s.batchRunning ? 'hold' : 'grace';
}

/** What the map waits for, in words, for the loading state in its place (MapView). */
const WAITING_FOR: Record<Exclude<Gate, 'start'>, string> = {
  wait: 'The map starts once the model is loaded, so the two do not compete for the processor.',
  hold: 'The map starts once the first scenes are located.',
  grace: 'The map starts in a moment.',
};

export interface MapStart {
  /** Whether the map may start; once true it stays true. */
  start: boolean;
  /** While it may not: what it waits for. */
  waitingFor: string | null;
}

/**
 * Runs `start` once the browser has painted the frame being prepared (a task queued from the
 * next animation frame runs after that frame). Returns the cancel.
 */
function afterNextPaint(start: () => void): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const frame = requestAnimationFrame(() => (timer = setTimeout(start, 0)));
  return () => {
    cancelAnimationFrame(frame);
    clearTimeout(timer);
  };
}

export function useMapStart(): MapStart {
  const now = useStore(gate);
  const [started, setStarted] = useState(false);
  /** When the engine was first seen ready (or failed): both limits count from there. */
  const readyAtMs = useRef<number | null>(null);
  useEffect(() => {
    if (started || now === 'wait') return;
    // The first estimate (or the engine's error) is painted before the map's start: zustand's
    // updates render synchronously and flush effects with them, so starting the map in that
    // commit held the estimate's paint for the map's own first work (its engine's module and
    // set-up), in traces of repeat visits.
    if (now === 'start') return afterNextPaint(() => setStarted(true));
    readyAtMs.current ??= performance.now();
    const limitMs = now === 'hold' ? MAP_HOLD_AFTER_READY_MS : MAP_GRACE_AFTER_READY_MS;
    const leftMs = Math.max(0, readyAtMs.current + limitMs - performance.now());
    const timer = setTimeout(() => setStarted(true), leftMs);
    return () => clearTimeout(timer);
  }, [started, now]);
  if (started) return { start: true, waitingFor: null };
  return { start: false, waitingFor: WAITING_FOR[now === 'start' ? 'grace' : now] };
}
