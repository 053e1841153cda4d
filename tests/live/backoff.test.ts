import { describe, expect, it } from 'vitest';
import { backoffDelayMs, validateBackoff, type BackoffPolicy } from '../../src/core/live/backoff';

const policy: BackoffPolicy = { baseMs: 500, maxMs: 8000, factor: 2, jitter: 0.25 };

describe('reconnect backoff', () => {
  it('doubles from baseMs up to maxMs without jitter at random() = 0', () => {
    const delays = [0, 1, 2, 3, 4, 5, 6, 50, 5000].map((n) => backoffDelayMs(n, policy, () => 0));
    expect(delays).toEqual([500, 1000, 2000, 4000, 8000, 8000, 8000, 8000, 8000]);
  });

  it('stays within [cap * (1 - jitter), cap] for any random draw', () => {
    let seed = 12345;
    const rand = (): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let n = 0; n < 12; n++) {
      const cap = Math.min(policy.maxMs, policy.baseMs * 2 ** n);
      for (let k = 0; k < 200; k++) {
        const d = backoffDelayMs(n, policy, rand);
        expect(d).toBeGreaterThanOrEqual(Math.floor(cap * 0.75));
        expect(d).toBeLessThanOrEqual(cap);
      }
    }
    expect(backoffDelayMs(3, policy, () => 0.999999)).toBe(
      Math.round(4000 * (1 - 0.25 * 0.999999)),
    );
  });

  it('treats negative or fractional attempts as whole attempts from 0 and never overflows', () => {
    expect(backoffDelayMs(-3, policy, () => 0)).toBe(500);
    expect(backoffDelayMs(1.9, policy, () => 0)).toBe(1000);
    expect(backoffDelayMs(1e9, { ...policy, factor: 10 }, () => 0.5)).toBe(7000);
    expect(backoffDelayMs(7, { ...policy, factor: 1 }, () => 0)).toBe(500);
  });

  it('refuses nonsensical policies', () => {
    expect(() => validateBackoff({ ...policy, baseMs: 0 })).toThrow(/backoff/);
    expect(() => validateBackoff({ ...policy, maxMs: 100 })).toThrow(/backoff/);
    expect(() => validateBackoff({ ...policy, jitter: 1.5 })).toThrow(/backoff/);
    expect(validateBackoff(policy)).toBe(policy);
  });
});
