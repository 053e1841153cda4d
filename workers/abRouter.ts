/**
 * A/B routing between the production and the staging version. The arm is a pure function of the
 * scene's content hash and the weights, so the same scene always goes to the same arm (a user
 * re-running a scene sees the same model), and over many scenes the staging share approaches
 * staging / (production + staging).
 */

/** The hash's first 32 bits as a fraction in [0, 1): SHA-256 bits are uniform. */
export function hashFraction(sha256Hex: string): number {
  return parseInt(sha256Hex.slice(0, 8), 16) / 2 ** 32;
}

export function chooseArm(
  sceneHash: string,
  weights: { production: number; staging: number | null },
): 'production' | 'staging' {
  const staging = weights.staging ?? 0;
  const total = weights.production + staging;
  if (!(staging > 0) || !(total > 0)) return 'production';
  return hashFraction(sceneHash) < staging / total ? 'staging' : 'production';
}
