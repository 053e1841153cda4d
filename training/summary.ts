import { kForProbability } from '../src/core/ellipse';
import type { EvaluationRow } from '../src/core/modelMetadata';
import { median, percentile } from '../src/core/stats';

export interface Summary extends EvaluationRow {
  method: string;
}

/** One evaluation row: error quantiles and the share of truths inside the 68 % / 95 % ellipses. */
export function summarise(
  method: string,
  set: string,
  errorsKm: number[],
  d2: number[] | null,
): Summary {
  const cover = (p: number) =>
    d2 ? d2.filter((v) => v <= kForProbability(p) ** 2).length / d2.length : null;
  return {
    method,
    set,
    scenes: errorsKm.length,
    medianErrorKm: median(errorsKm),
    p90ErrorKm: percentile(errorsKm, 0.9),
    coverage68: cover(0.68),
    coverage95: cover(0.95),
  };
}

export const pct = (v: number | null): string => (v === null ? 'n/a' : `${(100 * v).toFixed(1)}%`);
