/**
 * Memory read-outs for the soak: the page's JS heap and the inference worker's, each after a full
 * garbage collection (Chromium DevTools protocol), and the companion server's resident set size
 * (its own Prometheus /metrics).
 */
import type { Browser, CDPSession, Page } from '@playwright/test';

const MB = 1e6;

/** JS heap in use on the page's main thread after a full GC, MB. */
export async function pageHeapMb(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send('HeapProfiler.collectGarbage');
    const { usedSize } = await cdp.send('Runtime.getHeapUsage');
    return usedSize / MB;
  } finally {
    await cdp.detach();
  }
}

interface TargetMessage {
  sessionId: string;
  message: string;
}

/**
 * The dedicated workers' JS heaps after a full GC, MB, by worker name (the inference worker is
 * "heimdall-inference"; maplibre's are unnamed). Workers are reached through the browser-level
 * CDP session: Target.attachToTarget without flatten, then messages wrapped in
 * Target.sendMessageToTarget, because Playwright's CDPSession cannot address a flat child session.
 */
export async function workerHeapsMb(browser: Browser): Promise<Record<string, number>> {
  const cdp: CDPSession = await browser.newBrowserCDPSession();
  const out: Record<string, number> = {};
  try {
    const { targetInfos } = await cdp.send('Target.getTargets');
    const workers = targetInfos.filter((t) => t.type === 'worker');
    let nextId = 1;
    const pending = new Map<number, (result: unknown) => void>();
    cdp.on('Target.receivedMessageFromTarget', (event: TargetMessage) => {
      const reply = JSON.parse(event.message) as { id?: number; result?: unknown };
      if (reply.id !== undefined) pending.get(reply.id)?.(reply.result);
    });
    const call = (sessionId: string, method: string) =>
      new Promise<unknown>((resolve, reject) => {
        const id = nextId++;
        const timer = setTimeout(() => reject(new Error(`${method}: no answer`)), 30_000);
        pending.set(id, (result) => {
          clearTimeout(timer);
          resolve(result);
        });
        void cdp
          .send('Target.sendMessageToTarget', {
            sessionId,
            message: JSON.stringify({ id, method }),
          })
          .catch(reject);
      });
    for (const [i, w] of workers.entries()) {
      const { sessionId } = await cdp.send('Target.attachToTarget', {
        targetId: w.targetId,
        flatten: false,
      });
      try {
        await call(sessionId, 'HeapProfiler.collectGarbage');
        const usage = (await call(sessionId, 'Runtime.getHeapUsage')) as { usedSize: number };
        out[w.title || `worker-${i}`] = usage.usedSize / MB;
      } finally {
        await cdp.send('Target.detachFromTarget', { sessionId }).catch(() => {});
      }
    }
  } finally {
    await cdp.detach();
  }
  return out;
}

/** The server's resident set size and V8 heap in use, MB, from its /metrics. */
export async function serverMemoryMb(
  baseUrl: string,
): Promise<{ rssMb: number; heapMb: number; liveBufferedMb: number }> {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  const value = (name: string) => {
    const line = text.split('\n').find((l) => l.startsWith(`${name} `));
    return line ? Number(line.split(' ')[1]) : NaN;
  };
  return {
    rssMb: value('process_resident_memory_bytes') / MB,
    heapMb: value('nodejs_heap_size_used_bytes') / MB,
    liveBufferedMb: (value('heimdall_live_buffered_bytes') || 0) / MB,
  };
}

interface UaMemoryBreakdown {
  bytes: number;
  attribution: { scope: string; url?: string }[];
}

/**
 * All the page's memory as Chromium attributes it (performance.measureUserAgentSpecificMemory:
 * JS heaps, WASM memories and array buffers of the page and its workers, DOM, canvas), MB, and
 * the inference worker's share. Needs cross-origin isolation, which the app has; Chromium
 * answers after its next GC, within about 20 s. Undefined where the API is missing.
 */
export async function pageMemoryMb(
  page: Page,
): Promise<{ totalMb: number; inferenceWorkerMb: number } | undefined> {
  return page.evaluate(async () => {
    const perf = performance as Performance & {
      measureUserAgentSpecificMemory?: () => Promise<{
        bytes: number;
        breakdown: UaMemoryBreakdown[];
      }>;
    };
    if (!perf.measureUserAgentSpecificMemory) return undefined;
    const m = await perf.measureUserAgentSpecificMemory();
    const worker = m.breakdown
      .filter((b) => b.attribution.some((a) => (a.url ?? '').includes('inference.worker')))
      .reduce((sum, b) => sum + b.bytes, 0);
    return { totalMb: m.bytes / 1e6, inferenceWorkerMb: worker / 1e6 };
  });
}
