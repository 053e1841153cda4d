import { HeimdallError } from '../src/core/errors';
import {
  noteWebgpuAttempt,
  noteWebgpuSession,
  ort,
  releaseGuard,
  releaseSession,
  type OrtSession,
} from './ort';
import type { ExecutionProvider, ProviderAttempt } from './types';

export interface CreatedSession {
  session: OrtSession;
  /** Whether releasing the session is safe (see ort.ts); pass to releaseSession. */
  releaseSafe: () => boolean;
  executionProvider: ExecutionProvider;
  attempts: ProviderAttempt[];
  sessionMs: number;
  warmupMs: number;
}

/**
 * Creates a session on the first provider of `preference` that both loads the model and passes
 * `warmUp`. Providers are tried one at a time because ORT, given a list, falls back silently and
 * never says which one runs; a provider can also create a session and then fail on the first run
 * (WebGPU shaders compile lazily), hence the warm-up inside the attempt.
 */
export async function createSessionOneByOne(
  bytes: Uint8Array,
  preference: readonly ExecutionProvider[],
  warmUp: (session: OrtSession) => Promise<void>,
  onTry: (ep: ExecutionProvider) => void,
  where: string,
): Promise<CreatedSession> {
  const attempts: ProviderAttempt[] = [];
  for (const ep of preference) {
    onTry(ep);
    let session: OrtSession | undefined;
    let releaseSafe = () => true;
    try {
      const t0 = performance.now();
      if (ep === 'webgpu') noteWebgpuAttempt();
      session = await ort.InferenceSession.create(bytes, {
        executionProviders: [ep],
        graphOptimizationLevel: 'all',
      });
      if (ep === 'webgpu') noteWebgpuSession(); // before the guard: this session was counted
      releaseSafe = releaseGuard();
      const t1 = performance.now();
      await warmUp(session);
      attempts.push({ executionProvider: ep, ok: true });
      return {
        session,
        releaseSafe,
        executionProvider: ep,
        attempts,
        sessionMs: t1 - t0,
        warmupMs: performance.now() - t1,
      };
    } catch (err) {
      attempts.push({ executionProvider: ep, ok: false, error: (err as Error).message });
      if (session) await releaseSession(session, releaseSafe).catch(() => undefined);
    }
  }
  throw new HeimdallError(
    'ModelLoadError',
    `no execution provider could run the model (${attempts.map((a) => `${a.executionProvider}: ${a.error}`).join('; ')})`,
    where,
  );
}
