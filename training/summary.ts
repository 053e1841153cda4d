import { kForProbability } from '../src/core/ellipse';
import type { EvaluationRow } from '../src/core/modelMetadata';

export interface Summary extends EvaluationRow {
  method: string;
}

/** The quantile p of values (nearest rank below, as the README's tables have always used). */
export function quantile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
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
    medianErrorKm: quantile(errorsKm, 0.5),
    p90ErrorKm: quantile(errorsKm, 0.9),
    coverage68: cover(0.68),
    coverage95: cover(0.95),
  };
}

export const pct = (v: number | null): string => (v === null ? 'n/a' : `${(100 * v).toFixed(1)}%`);
