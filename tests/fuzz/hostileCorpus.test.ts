/**
 * Every file of the committed hostile corpus (tests/fixtures/hostile, made by make_hostile.ts)
 * gives the named error its manifest states, naming the file, or opens cleanly: never a hang,
 * an unnamed error or a runaway allocation.
 */
import { describe, expect, it } from 'vitest';
import { isHeimdallError } from '../../src/core/errors';
import { corpusSource, loadManifest, runCase } from './corpusCase';

/** Each case runs under this bound; the slowest takes a few milliseconds. */
const CASE_TIMEOUT_MS = 5_000;
/** Array-buffer memory a case may leave behind at most (the files are a few KB). */
const MAX_ARRAY_BUFFERS_BYTES = 256 * 1024 * 1024;

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms (a hang)`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

const manifest = loadManifest();

describe('hostile corpus', () => {
  it('holds at least 60 cases, each with a problem and an expectation', () => {
    expect(manifest.length).toBeGreaterThanOrEqual(60);
    for (const c of manifest) expect(c.problem.length).toBeGreaterThan(5);
  });

  for (const c of manifest) {
    it(`${c.files.join(' + ')}: ${c.problem}`, { timeout: 2 * CASE_TIMEOUT_MS }, async () => {
      const outcome = await withTimeout(
        runCase(c.files.map(corpusSource)),
        CASE_TIMEOUT_MS,
        c.files[0],
      );
      if (c.expect === 'ok') {
        expect('error' in outcome ? outcome.error.message : '').toBe('');
        if ('recordings' in outcome) expect(outcome.recordings).toBeGreaterThan(0);
      } else {
        expect('error' in outcome, `expected ${c.expect}, the files opened`).toBe(true);
        const err = (outcome as { error: Error }).error;
        expect(isHeimdallError(err), `${err.name}: ${err.message}`).toBe(true);
        expect(`${err.name}: ${err.message}`).toContain(`${c.expect}: `);
        expect(err.message).toContain(c.errorFile);
        if (c.match) expect(err.message).toContain(c.match);
      }
      expect(process.memoryUsage().arrayBuffers).toBeLessThan(MAX_ARRAY_BUFFERS_BYTES);
    });
  }
});
