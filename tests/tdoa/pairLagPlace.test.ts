/**
 * The cheap lags that place the analysis windows (windowAlign.ts via measureLags): the coarse
 * search alone (placePairLag) against the full estimator on the same band spectra.
 */
import { describe, expect, it } from 'vitest';
import { loadComplexFft } from '../../src/core/dsp/complexFft';
import { Rng } from '../../src/core/rng';
import { estimatePairLag, placePairLag, type PairInput } from '../../src/core/tdoa/pairLag';

const N = 1024;
const BLOCKS = 48;
const RATE_HZ = 12000;

/**
 * Band spectra of a noise-like signal (bins -200..200) that reaches b `lagSamples` after a, each
 * station with its own noise at `snr` per bin.
 */
function pair(lagSamples: number, snr: number, seed: number): PairInput {
  const rng = new Rng(seed);
  const bins = Int32Array.from({ length: 401 }, (_, j) => (j - 200 + N) % N);
  const nb = bins.length;
  const specA = new Float32Array(2 * BLOCKS * nb);
  const specB = new Float32Array(2 * BLOCKS * nb);
  const noise = 1 / Math.sqrt(snr);
  for (let k = 0; k < BLOCKS; k++)
    for (let j = 0; j < nb; j++) {
      const q = j - 200;
      const re = rng.normal();
      const im = rng.normal();
      // B = A e^{-i w lag}: b holds the same signal lagSamples later.
      const ph = (-2 * Math.PI * q * lagSamples) / N;
      const o = 2 * (k * nb + j);
      specA[o] = re + noise * rng.normal();
      specA[o + 1] = im + noise * rng.normal();
      specB[o] = re * Math.cos(ph) - im * Math.sin(ph) + noise * rng.normal();
      specB[o + 1] = re * Math.sin(ph) + im * Math.cos(ph) + noise * rng.normal();
    }
  return {
    specA,
    specB,
    blocks: BLOCKS,
    bins,
    weights: new Float64Array(nb).fill(1),
    blockSize: N,
    sampleRateHz: RATE_HZ,
    maxLagSamples: 40,
    overlap: 2,
  };
}

describe('window-placing lags', () => {
  it('the coarse search places the lag within a tenth of a sample of the full estimate', async () => {
    await loadComplexFft();
    for (const [lag, seed] of [
      [7.3, 1],
      [-12.8, 2],
      [0.45, 3],
    ]) {
      const p = pair(lag, 0.5, seed);
      const full = estimatePairLag(p);
      const placed = placePairLag(p);
      expect(placed.atEdge).toBe(false);
      expect(Math.abs(placed.lagS - full.lagS) * RATE_HZ).toBeLessThan(0.1);
      expect(Math.abs(full.lagS * RATE_HZ - lag)).toBeLessThan(0.05);
      // Its error, from every other block's coarse peaks, is of the full estimate's order.
      expect(placed.sigmaS / full.sigmaS).toBeGreaterThan(0.3);
      expect(placed.sigmaS / full.sigmaS).toBeLessThan(5);
    }
  });
});
