import { HeimdallError } from '../src/core/errors';
import { markPhase } from '../src/core/phaseMark';
import { median } from '../src/core/stats';
import {
  createSession,
  isRuntimeReady,
  loadRuntime,
  releaseSession,
  type Ort,
  type OrtSession,
} from './ort';
import type { ExecutionProvider, ProviderAttempt } from './types';

export interface CreatedSession {
  session: OrtSession;
  /** The runtime (onnxruntime-web build) the session belongs to: its Tensor class must be used. */
  ort: Ort;
  /** Whether releasing the session is safe (see ort.ts); pass to releaseSession. */
  releaseSafe: () => boolean;
  executionProvider: ExecutionProvider;
  attempts: ProviderAttempt[];
  /** Waiting for the runtime (fetch + compile; 0 when it had loaded before), ms. */
  runtimeMs: number;
  sessionMs: number;
  warmupMs: number;
}

/** Runs of the model on each provider to compare them (after the warm-up run). */
const MEASURE_RUNS = 5;
/** A provider whose median so far exceeds this multiple of the best is not measured further. */
const CLEARLY_SLOWER = 3;

export interface SessionCallbacks {
  /** One run on the model's input shape; also checks the output against the contract. */
  warmUp: (session: OrtSession, ort: Ort) => Promise<void>;
  onTry: (ep: ExecutionProvider, phase: 'runtime' | 'session' | 'warmup' | 'measure') => void;
}

/** The entry with the smallest medianRunMs; ties and unmeasured entries keep the operator's order. */
export function fastest<T extends { medianRunMs: number }>(working: readonly T[]): T {
  return working.reduce((a, b) => (b.medianRunMs < a.medianRunMs ? b : a));
}

async function tryProvider(
  bytes: Uint8Array,
  ep: ExecutionProvider,
  wasmThreads: number,
  cb: SessionCallbacks,
): Promise<CreatedSession> {
  cb.onTry(ep, 'runtime');
  const t0 = performance.now();
  const { ort } = await loadRuntime(ep, wasmThreads);
  const t1 = performance.now();
  cb.onTry(ep, 'session');
  const { session, releaseSafe } = await createSession(ort, bytes, ep, {
    graphOptimizationLevel: 'all',
  });
  const t2 = performance.now();
  markPhase(`session-created ${ep}`);
  try {
    cb.onTry(ep, 'warmup');
    await cb.warmUp(session, ort);
    markPhase(`warmed-up ${ep}`);
    return {
      session,
      ort,
      releaseSafe,
      executionProvider: ep,
      attempts: [],
      runtimeMs: t1 - t0,
      sessionMs: t2 - t1,
      warmupMs: performance.now() - t2,
    };
  } catch (err) {
    await releaseSession(session, releaseSafe).catch(() => undefined);
    throw err;
  }
}

/**
 * Creates a session on each provider of `preference` that loads the model and passes `warmUp`,
 * tried one at a time because ORT, given a list, falls back silently and never says which one
 * runs (a provider can also create a session and then fail on the first run: WebGPU shaders
 * compile lazily, hence the warm-up inside the attempt). With one provider that works, it is
 * used. With several, each runs the model MEASURE_RUNS times and the fastest median serves; the
 * others are released. So the choice follows measured speed on this machine (a software WebGPU
 * adapter loses to WASM, a real GPU may win), not a fixed order. Providers are measured one
 * after the other, so they never compete for the CPU while being timed.
 */
export async function createSessionMeasured(
  bytes: Uint8Array,
  preference: readonly ExecutionProvider[],
  wasmThreads: number,
  cb: SessionCallbacks,
  where: string,
): Promise<CreatedSession> {
  const attempts: ProviderAttempt[] = [];
  const working: (CreatedSession & { medianRunMs: number })[] = [];
  // A runtime that is already loaded is measured first, so a slower one can stop early.
  const order = [...preference].sort(
    (a, b) => Number(isRuntimeReady(b)) - Number(isRuntimeReady(a)),
  );
  for (const ep of order) {
    try {
      const created = await tryProvider(bytes, ep, wasmThreads, cb);
      let medianRunMs = NaN;
      if (preference.length > 1) {
        cb.onTry(ep, 'measure');
        const bestMs = Math.min(...working.map((w) => w.medianRunMs));
        const runs: number[] = [];
        for (let i = 0; i < MEASURE_RUNS; i++) {
          const t0 = performance.now();
          await cb.warmUp(created.session, created.ort);
          runs.push(performance.now() - t0);
          // Clearly slower than one already measured (a software GPU): no need to go on.
          if (median(runs) > CLEARLY_SLOWER * bestMs) break;
        }
        medianRunMs = median(runs);
      }
      attempts.push({
        executionProvider: ep,
        ok: true,
        ...(Number.isFinite(medianRunMs) ? { medianRunMs } : {}),
      });
      working.push({ ...created, medianRunMs });
    } catch (err) {
      attempts.push({ executionProvider: ep, ok: false, error: (err as Error).message });
    }
  }
  // Reported in the operator's order, whatever order they were measured in.
  attempts.sort(
    (a, b) => preference.indexOf(a.executionProvider) - preference.indexOf(b.executionProvider),
  );
  working.sort(
    (a, b) => preference.indexOf(a.executionProvider) - preference.indexOf(b.executionProvider),
  );
  if (working.length === 0) {
    throw new HeimdallError(
      'ModelLoadError',
      `no execution provider could run the model (${attempts.map((a) => `${a.executionProvider}: ${a.error}`).join('; ')})`,
      where,
    );
  }
  const best = fastest(working);
  for (const other of working) {
    if (other !== best)
      await releaseSession(other.session, other.releaseSafe).catch(() => undefined);
  }
  const { medianRunMs: _medianRunMs, ...chosen } = best;
  return { ...chosen, attempts };
}
