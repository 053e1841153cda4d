/**
 * The A/B split between the production and the staging version, from their traffic weights:
 * the worker routes scenes by it and the model panel shows it, so both say the same share.
 */
export interface ArmWeights {
  production: number;
  /** Null when there is no staging version. */
  staging: number | null;
}

/** staging / (production + staging); 0 without a staging version of positive weight. */
export function stagingShare(weights: ArmWeights): number {
  const staging = weights.staging ?? 0;
  const total = weights.production + staging;
  return staging > 0 && total > 0 ? staging / total : 0;
}
