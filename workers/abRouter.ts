/**
 * A/B routing between the production and the staging version. The arm is a pure function of the
 * scene's content hash and the weights, so the same scene always goes to the same arm (a user
 * re-running a scene sees the same model), and over many scenes the staging share approaches
 * stagingShare (src/core/abSplit.ts).
 */
import { stagingShare, type ArmWeights } from '../src/core/abSplit';

/** The hash's first 32 bits as a fraction in [0, 1): SHA-256 bits are uniform. */
export function hashFraction(sha256Hex: string): number {
  return parseInt(sha256Hex.slice(0, 8), 16) / 2 ** 32;
}

export function chooseArm(sceneHash: string, weights: ArmWeights): 'production' | 'staging' {
  return hashFraction(sceneHash) < stagingShare(weights) ? 'staging' : 'production';
}
