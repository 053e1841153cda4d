import { HeimdallError } from '../errors';

/**
 * Reconnect delays: exponential growth capped at maxMs, with random jitter so that sources
 * dropped together (a relay restart, a receiver reboot) do not all retry in the same instant.
 * The delay for attempt n (0-based) lies in [c * (1 - jitter), c] with c = min(maxMs, baseMs *
 * factor^n).
 */
export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
  factor: number;
  /** Fraction of the delay that is random, 0..1. */
  jitter: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = {
  baseMs: 1000,
  maxMs: 60_000,
  factor: 2,
  jitter: 0.3,
};

export function validateBackoff(p: BackoffPolicy): BackoffPolicy {
  if (!(p.baseMs > 0 && p.maxMs >= p.baseMs && p.factor >= 1 && p.jitter >= 0 && p.jitter <= 1)) {
    throw new HeimdallError(
      'ConfigError',
      `backoff needs 0 < baseMs <= maxMs, factor >= 1, 0 <= jitter <= 1; got ${JSON.stringify(p)}`,
    );
  }
  return p;
}

/** Delay before reconnect attempt `attempt` (0 = the first retry). `random` returns [0, 1). */
export function backoffDelayMs(
  attempt: number,
  policy: BackoffPolicy = DEFAULT_BACKOFF,
  random: () => number = Math.random,
): number {
  const n = Math.max(0, Math.floor(attempt));
  // Compare in log space so a large attempt count cannot overflow to Infinity * 0 = NaN.
  const capped =
    n * Math.log(policy.factor) >= Math.log(policy.maxMs / policy.baseMs)
      ? policy.maxMs
      : policy.baseMs * policy.factor ** n;
  return Math.round(capped * (1 - policy.jitter * random()));
}
