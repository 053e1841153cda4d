/**
 * Where a TDoA drop's time goes on the page (issue 12, item 10): User Timing marks at each step
 * from the files opened to the heat map drawn, and the worker's solver stages as measures.
 * scripts/bench-tdoa.ts reads them after each drop (performance.getEntriesByType); they cost
 * microseconds and change nothing.
 */
export type TdoaStep =
  'opened' | 'solve-start' | 'solve-reply' | 'layers-built' | 'layers-set' | 'drawn';

export const TDOA_MARK_PREFIX = 'tdoa:';
export const TDOA_STAGE_PREFIX = 'tdoa-stage:';

export function markTdoa(step: TdoaStep): void {
  performance.mark(`${TDOA_MARK_PREFIX}${step}`);
}

/** The worker's stages (ms each) as measures ending now, in the order they ran. */
export function measureTdoaStages(stageMs: Record<string, number>): void {
  let end = performance.now();
  const stages = Object.entries(stageMs).reverse();
  for (const [stage, ms] of stages) {
    performance.measure(`${TDOA_STAGE_PREFIX}${stage}`, { start: end - ms, duration: ms });
    end -= ms;
  }
}
