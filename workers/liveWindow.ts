/**
 * One live window: log-mel features once, the squelch on them, and only when some receiver hears
 * a signal the model. The page sends raw windows (src/core/live/livePipeline.ts) and computes no
 * features itself. Live windows never repeat (no cache) and go stale within a second (they go
 * ahead of any files being located).
 */
import { Squelch, type SquelchDecision } from '../src/core/live/squelch';
import type { Engine } from './engine';
import { predictScreened } from './predict';
import type { PredictionResult, PredictOptions, PredictRequest } from './types';

export interface LiveWindowOptions extends Pick<PredictOptions, 'requestId'> {
  /** Peak over noise a receiver needs to count as hearing a signal (squelch.ts's default). */
  squelchDb?: number;
}

export interface LiveWindowResult {
  squelch: SquelchDecision;
  /** The model's estimate; absent when the squelch kept the window from the model. */
  result?: PredictionResult;
}

/** Squelches by preprocessing and threshold: building one computes the mel bank. */
const squelches = new Map<string, Squelch>();

function squelchFor(p: ConstructorParameters<typeof Squelch>[0], thresholdDb?: number): Squelch {
  const key = JSON.stringify([p.nMels, p.nFrames, p.nFft, p.sampleRateHz, thresholdDb]);
  let s = squelches.get(key);
  if (!s) squelches.set(key, (s = new Squelch(p, thresholdDb)));
  return s;
}

export async function locateLiveWindow(
  engine: Engine,
  request: PredictRequest,
  options: LiveWindowOptions = {},
): Promise<LiveWindowResult> {
  let squelch: SquelchDecision | undefined;
  const result = await predictScreened(
    engine,
    request,
    { ...options, cache: 'bypass', priority: 'high' },
    undefined,
    (logMels, p) => {
      squelch = squelchFor(p, options.squelchDb).decide(logMels);
      return squelch.open;
    },
  );
  // The screen runs on every request that reaches the features, and results come only after it.
  return { squelch: squelch!, ...(result ? { result } : {}) };
}
