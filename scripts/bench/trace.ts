/**
 * A Chromium trace over CDP (Tracing domain), reduced to what the cold-start question needs:
 * how busy each thread was (top-level tasks only, so nested events are not counted twice),
 * the costliest event names, and V8's wasm compile / code-cache events
 * (v8.wasm.compiledModule, v8.wasm.cachedModule, v8.wasm.moduleCacheHit, ...).
 */
import type { BrowserContext, CDPSession, Page } from '@playwright/test';

const CATEGORIES = [
  'toplevel',
  'v8',
  'v8.wasm',
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'blink',
  'gpu',
  'loading',
  'blink.user_timing',
  '__metadata',
];

/** 400 MB: a traced visit here exports 10-30 MB of JSON. */
const TRACE_BUFFER_KB = 400 * 1024;

export interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  id?: string;
  args?: { name?: string; data?: Record<string, unknown> } & Record<string, unknown>;
}

export interface TraceSummary {
  /** Busy ms per "process / thread" (sum of top-level slices), largest first. */
  busyMsByThread: { thread: string; busyMs: number }[];
  /** Inclusive ms by event name over all threads (nested names overlap), largest first. */
  topEvents: { name: string; ms: number; count: number }[];
  /** Count of each v8.wasm.* event (code cache: cachedModule written, moduleCacheHit read). */
  wasmEvents: Record<string, number>;
  /** Wall span of the trace, ms. */
  spanMs: number;
  /**
   * The visit's timeline: each start-up phase the app marks (src/core/phaseMark.ts, page and
   * worker), the bench's first-estimate mark and V8's wasm streaming milestones, first occurrence
   * of each, in ms since the page's navigation started.
   */
  phases: { name: string; atMs: number; thread: string }[];
}

/** V8 events that bound the runtime's compile: streaming starts, bytes done, cache consumed. */
const WASM_MILESTONES = [
  'wasm.StartStreamingCompilation',
  'v8.wasm.moduleCacheHit',
  'wasm.FinishStreaming',
  'wasm.Deserialize',
  'wasm.AsyncInstantiate',
];

export async function startTrace(
  context: BrowserContext,
  page: Page,
  /** More categories, e.g. 'disabled-by-default-v8.cpu_profiler' for JavaScript samples. */
  extraCategories: readonly string[] = [],
): Promise<CDPSession> {
  const cdp = await context.newCDPSession(page);
  await cdp.send('Tracing.start', {
    transferMode: 'ReturnAsStream',
    traceConfig: {
      includedCategories: [...CATEGORIES, ...extraCategories],
      recordMode: 'recordContinuously',
      // The default ring buffer dropped a whole visit's start (navigation included) on a loaded
      // machine, where a visit lasts 15-25 s: a repeat visit's timeline came back empty.
      traceBufferSizeInKb: TRACE_BUFFER_KB,
    },
  });
  return cdp;
}

export async function readTrace(cdp: CDPSession): Promise<TraceEvent[]> {
  const done = new Promise<string>((resolve) =>
    cdp.once('Tracing.tracingComplete', (e) => resolve(e.stream!)),
  );
  await cdp.send('Tracing.end');
  const handle = await done;
  let text = '';
  for (;;) {
    const chunk = await cdp.send('IO.read', { handle, size: 1 << 20 });
    text += chunk.base64Encoded ? Buffer.from(chunk.data, 'base64').toString('utf8') : chunk.data;
    if (chunk.eof) break;
  }
  await cdp.send('IO.close', { handle });
  const parsed = JSON.parse(text) as { traceEvents?: TraceEvent[] } | TraceEvent[];
  return Array.isArray(parsed) ? parsed : (parsed.traceEvents ?? []);
}

export function summarizeTrace(events: TraceEvent[]): TraceSummary {
  const processNames = new Map<number, string>();
  const threadNames = new Map<string, string>();
  for (const e of events) {
    if (e.ph !== 'M') continue;
    if (e.name === 'process_name') processNames.set(e.pid, e.args?.name ?? String(e.pid));
    if (e.name === 'thread_name') threadNames.set(`${e.pid}:${e.tid}`, e.args?.name ?? '');
  }
  // Dedicated workers all share one thread name: tell them apart by the first script they ran.
  const scripts = new Map<string, string>();
  for (const e of events) {
    const url = e.args?.data?.url;
    const key = `${e.pid}:${e.tid}`;
    if (typeof url === 'string' && url && !scripts.has(key) && /Script|v8\.compile/.test(e.name))
      scripts.set(key, url.slice(url.lastIndexOf('/') + 1));
  }
  const label = (e: TraceEvent) => {
    const key = `${e.pid}:${e.tid}`;
    const thread = threadNames.get(key) ?? String(e.tid);
    const script = thread.startsWith('DedicatedWorker') ? scripts.get(key) : undefined;
    return `${processNames.get(e.pid) ?? e.pid} / ${thread}${script ? ` (${script})` : ''}`;
  };

  const complete = events.filter((e) => e.ph === 'X' && typeof e.dur === 'number');
  const byThread = new Map<string, TraceEvent[]>();
  for (const e of complete) {
    const key = `${e.pid}:${e.tid}`;
    if (!byThread.has(key)) byThread.set(key, []);
    byThread.get(key)!.push(e);
  }
  const busy = new Map<string, number>();
  for (const list of byThread.values()) {
    list.sort((a, b) => a.ts - b.ts);
    let end = -Infinity;
    let sumUs = 0;
    for (const e of list) {
      if (e.ts >= end) {
        sumUs += e.dur!;
        end = e.ts + e.dur!;
      }
    }
    const name = label(list[0]);
    busy.set(name, (busy.get(name) ?? 0) + sumUs / 1000);
  }
  const byName = new Map<string, { ms: number; count: number }>();
  for (const e of complete) {
    const v = byName.get(e.name) ?? { ms: 0, count: 0 };
    v.ms += e.dur! / 1000;
    v.count++;
    byName.set(e.name, v);
  }
  const wasmEvents: Record<string, number> = {};
  for (const e of events) {
    if (e.name.startsWith('v8.wasm.')) wasmEvents[e.name] = (wasmEvents[e.name] ?? 0) + 1;
  }
  let first = Infinity;
  let last = -Infinity;
  for (const e of events) {
    if (e.ph === 'M' || !(e.ts > 0)) continue;
    first = Math.min(first, e.ts);
    last = Math.max(last, e.ts + (e.dur ?? 0));
  }
  const spanMs = last > first ? (last - first) / 1000 : 0;
  return {
    phases: timeline(events, label),
    busyMsByThread: [...busy]
      .map(([thread, busyMs]) => ({ thread, busyMs: Math.round(busyMs) }))
      .sort((a, b) => b.busyMs - a.busyMs)
      .slice(0, 15),
    topEvents: [...byName]
      .map(([name, v]) => ({ name, ms: Math.round(v.ms), count: v.count }))
      .sort((a, b) => b.ms - a.ms)
      .slice(0, 25),
    wasmEvents,
    spanMs: Math.round(spanMs),
  };
}

/**
 * When the page's navigation started (trace µs): its navigationStart event, or else the page's
 * own first mark less its startTime (ms since the page's time origin, which is navigation start).
 * Some traced repeat visits of `npm run bench` came without a navigationStart the filter takes,
 * and their timeline came back empty.
 */
function navigationStartTs(events: TraceEvent[]): number | null {
  const navigation = events.find(
    (e) => e.name === 'navigationStart' && /^https?:/.test(String(e.args?.data?.documentLoaderURL)),
  );
  if (navigation) return navigation.ts;
  const pageMark = events.find(
    (e) => e.name.startsWith('heimdall:') && e.args?.data?.navigationId !== undefined,
  );
  const startTimeMs = pageMark?.args?.data?.startTime;
  return pageMark && typeof startTimeMs === 'number' ? pageMark.ts - startTimeMs * 1000 : null;
}

/** First occurrence of each marked phase and wasm milestone, ms since the page's navigation. */
function timeline(events: TraceEvent[], label: (e: TraceEvent) => string): TraceSummary['phases'] {
  const navigationTs = navigationStartTs(events);
  if (navigationTs === null) return [];
  const seen = new Map<string, TraceEvent>();
  for (const e of events) {
    const marked = /^(heimdall|bench):/.test(e.name);
    if (!marked && !WASM_MILESTONES.includes(e.name)) continue;
    if (e.ts < navigationTs) continue;
    const prior = seen.get(e.name);
    if (!prior || e.ts < prior.ts) seen.set(e.name, e);
  }
  return [...seen.values()]
    .sort((a, b) => a.ts - b.ts)
    .map((e) => ({
      name: e.name,
      atMs: Math.round((e.ts - navigationTs) / 1000),
      thread: label(e).replace(/^Renderer \/ /, ''),
    }));
}

/** The timeline as lines for a console: "   1234 ms  heimdall:worker-start  (thread)". */
export function formatPhases(phases: TraceSummary['phases']): string[] {
  return phases.map((p) => `${String(p.atMs).padStart(7)} ms  ${p.name.padEnd(36)} ${p.thread}`);
}
