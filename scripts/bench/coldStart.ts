/**
 * The cold-start figures of `npm run bench`: a page opened in a Chromium profile, *Load demo
 * scenes* clicked as soon as it can be, and the time from navigation to the first estimate on
 * screen (a scene row marked done). A first visit uses a fresh profile; the repeat visit a new
 * browser on the same profile, so it gets what a real browser keeps: the HTTP cache, V8's wasm
 * code cache and IndexedDB. What was reused is measured, not assumed: the server logs every path
 * it serves, and a Chromium trace records V8's wasm compile and code-cache events.
 */
import { chromium, type Page } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../e2e/support/browser';
import { readTrace, startTrace, summarizeTrace, type TraceEvent, type TraceSummary } from './trace';

export interface VisitFigures {
  /** Navigation start to the first scene row marked done, ms. */
  firstEstimateMs: number;
  /** Why there is no figure, when no estimate arrived. */
  failure?: string;
  /** What the engine chip said, with the time it first said it (ms since navigation). */
  chip: { atMs: number; text: string }[];
  /** The page's own start-up marks (src/core/phaseMark.ts), ms since navigation, first of each. */
  pageMarks: Record<string, number>;
  /** Paths the server answered during the visit, with the count of each. */
  served: Record<string, number>;
  wasmRequests: string[];
  modelRequests: number;
  trace: TraceSummary | null;
}

/** Watches the DOM from the first instant: the chip's texts and the first finished scene. */
const OBSERVER = `
  globalThis.__name = globalThis.__name || ((f) => f);
  window.__bench = { chip: [], firstEstimateMs: null };
  new MutationObserver(() => {
    const b = window.__bench;
    const chip = document.querySelector('[data-testid=engine-status]');
    const text = chip ? chip.textContent.trim() : null;
    if (text && (b.chip.length === 0 || b.chip[b.chip.length - 1].text !== text))
      b.chip.push({ atMs: performance.now(), text });
    if (b.firstEstimateMs === null && document.querySelector('[data-testid=run-status][data-status=done]')) {
      b.firstEstimateMs = performance.now();
      performance.mark('bench:first-estimate');
    }
  }).observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
`;

export async function visit(
  origin: string,
  profileDir: string,
  servedLog: string[],
  opts: {
    trace: boolean;
    timeoutMs?: number;
    onTrace?: (events: TraceEvent[]) => void;
    /** Chromium arguments instead of the e2e ones (an A/B of browser settings). */
    args?: string[];
  },
): Promise<VisitFigures> {
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM_PATH,
    args: opts.args ?? CHROMIUM_ARGS,
  });
  try {
    const page: Page = context.pages()[0] ?? (await context.newPage());
    await page.addInitScript({ content: OBSERVER });
    const tracing = opts.trace ? await startTrace(context, page) : null;
    servedLog.length = 0;
    await page.goto(origin, { waitUntil: 'commit' });
    // "Clicked at load": as soon as the button is there and enabled.
    await page.getByRole('button', { name: 'Load demo scenes' }).click();
    // No estimate in time is a figure too (reported as not measured, with what the page said).
    const arrived = await page
      .waitForFunction(() => window.__bench?.firstEstimateMs != null, undefined, {
        timeout: opts.timeoutMs ?? 90_000,
        polling: 50,
      })
      .then(
        () => true,
        () => false,
      );
    const bench = await page.evaluate(() => window.__bench!);
    const notice = await page.locator('.notice').textContent();
    const pageMarks = await page.evaluate(() => {
      const marks: Record<string, number> = {};
      for (const m of performance.getEntriesByType('mark'))
        if (/^(heimdall|bench):/.test(m.name) && !(m.name in marks))
          marks[m.name.replace(/^heimdall:/, '')] = m.startTime;
      return marks;
    });
    // Let V8 finish writing its code cache (it does so after tier-up, on a timer) before closing.
    await page.waitForTimeout(3000);
    const events = tracing ? await readTrace(tracing) : null;
    if (events) opts.onTrace?.(events);
    const trace = events ? summarizeTrace(events) : null;
    const served: Record<string, number> = {};
    for (const p of servedLog) served[p] = (served[p] ?? 0) + 1;
    return {
      firstEstimateMs: arrived ? bench.firstEstimateMs! : NaN,
      ...(arrived ? {} : { failure: `no estimate on screen; the page said: ${notice}` }),
      chip: bench.chip,
      pageMarks,
      served,
      wasmRequests: servedLog.filter((p) => p.endsWith('.wasm')),
      modelRequests: servedLog.filter((p) => /^\/models\/.+\.onnx$/.test(p)).length,
      trace,
    };
  } finally {
    await context.close();
  }
}

declare global {
  interface Window {
    __bench?: { chip: { atMs: number; text: string }[]; firstEstimateMs: number | null };
  }
}
