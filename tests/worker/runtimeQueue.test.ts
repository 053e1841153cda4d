/**
 * One call at a time into a runtime (workers/ort.ts): onnxruntime-web's WebGPU build throws
 * "Session already started" when a run enters while another is suspended, whichever sessions
 * they belong to. A stand-in runtime records how many of its calls overlap; the real one cannot
 * say (the Node build has no such guard).
 */
import { describe, expect, it } from 'vitest';
import { createSession, releaseSession, runSession, type Ort } from '../../workers/ort';

/** A runtime whose calls each take a few timer turns and record the most that overlapped. */
function recordingRuntime() {
  const seen = { inFlight: 0, most: 0, order: [] as string[], failNext: false };
  const call = async (name: string) => {
    seen.inFlight++;
    seen.most = Math.max(seen.most, seen.inFlight);
    seen.order.push(`${name} start`);
    for (let i = 0; i < 3; i++) await new Promise((r) => setTimeout(r, 1));
    seen.order.push(`${name} end`);
    seen.inFlight--;
    if (seen.failNext) {
      seen.failNext = false;
      throw new Error('kernel failed');
    }
  };
  let made = 0;
  const ort = {
    InferenceSession: {
      create: async () => {
        const name = `s${made++}`;
        await call(`create ${name}`);
        return {
          run: async () => {
            await call(`run ${name}`);
            return {};
          },
          release: () => call(`release ${name}`),
        };
      },
    },
  } as unknown as Ort;
  return { ort, seen };
}

describe("a runtime's queue", () => {
  it('never overlaps creations, runs and releases, across sessions', async () => {
    const { ort, seen } = recordingRuntime();
    const [a, b] = await Promise.all([
      createSession(ort, new Uint8Array(), 'wasm'),
      createSession(ort, new Uint8Array(), 'webgpu'),
    ]);
    await Promise.all([
      runSession(a.session, {}),
      runSession(b.session, {}),
      runSession(a.session, {}),
      createSession(ort, new Uint8Array(), 'webgpu'),
      releaseSession(b.session, () => true),
    ]);
    expect(seen.most).toBe(1);
    // First come, first served: the queue keeps the callers' order.
    expect(seen.order.filter((s) => s.endsWith('start'))).toEqual([
      'create s0 start',
      'create s1 start',
      'run s0 start',
      'run s1 start',
      'run s0 start',
      'create s2 start',
      'release s1 start',
    ]);
  });

  it('goes on after a call fails', async () => {
    const { ort, seen } = recordingRuntime();
    const { session } = await createSession(ort, new Uint8Array(), 'wasm');
    seen.failNext = true;
    const failed = runSession(session, {});
    const next = runSession(session, {});
    await expect(failed).rejects.toThrow('kernel failed');
    await next;
    expect(seen.most).toBe(1);
    expect(seen.order.at(-1)).toBe('run s0 end');
  });
});
