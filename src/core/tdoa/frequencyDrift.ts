/**
 * A receiver's frequency error to a small fraction of a hertz, from the phase drift of its
 * cross-spectrum with the reference station across blocks.
 *
 * The spectral-shape estimate (frequencyOffset.ts) is good to a few tenths of a hertz: its
 * parabola through the shape correlation is biased toward whole bins (on eval:tdoa's seed 1 it
 * left 0.2-0.45 Hz of 1-2 Hz errors). That much matters where it was thought harmless: a residual
 * of a tenth of a 2.9 Hz bin moves a sharp spectrum (FSK tones, a carrier) against the other
 * stations' and bends the pairs' cross-spectrum phase. With this refinement, eval:tdoa's seed 1
 * (first 60 scenes) went from 1.11x to 0.94x the Cramer-Rao error on scenes above 10 dB without
 * echoes. It was first thought to cause the direct-path fit's false echoes on such scenes
 * (directPath.ts); it does not: they remain with exact frequencies (seed 1 scene 16, --clean).
 *
 * The drift is exact in principle: with b's signal offset by df, its block k carries
 * e^{i 2 pi df t_k}, so in C_k(f) = A_k^*(f) B_k(f + m bins) (m the whole-bin part of the coarse
 * estimate) every bin turns by 2 pi df dt from one block to the next whatever the lag and the
 * signal. Summed over bins and blocks, R = sum C_k C_{k-L}^* has phase 2 pi df L dt. Blocks one hop
 * apart (L = 1) overlap, so their noise correlates a little and pulls the phase toward zero; blocks
 * two hops apart share no samples, but their phase wraps every 1/(2 dt) (one bin): the first
 * resolves the wrap of the second. The estimate is used only where |R| stands clear of what noise
 * alone gives (its terms' phases random: |R| about the root of the sum of their squared magnitudes).
 */
import { advanceBins } from './blockSpectra';

/**
 * Measured errors below this are left (the station then keeps its pass-1 spectra): under 1 % of
 * a bin, a tenth of the residual the spectral-shape estimate left.
 */
export const MIN_DRIFT_CORRECTED_HZ = 0.02;

/** |R| must exceed this many times its noise-only scale to be trusted. */
export const DRIFT_DETECTION_Z = 5;

export interface DriftInput {
  /** Cached full block spectra (re/im interleaved, n bins per block) of the reference and the other. */
  refSpectra: Float32Array;
  otherSpectra: Float32Array;
  /** Each block's fractional-sample alignment (blockSpectra.ts), per station. */
  refDeltas: Float64Array;
  otherDeltas: Float64Array;
  blocks: number;
  blockSize: number;
  /** The band's bins (natural FFT order). */
  bins: Int32Array;
  /** Time between consecutive blocks, s. */
  hopS: number;
  /** The coarse estimate (spectral shape), Hz, and the bin width, Hz. */
  coarseHz: number;
  binHz: number;
  /**
   * The reference's band bins of every block already moved by its deltas (advanceBins of
   * refSpectra, refDeltas and bins; re/im interleaved, nb per block), when the caller has them:
   * the same for every other station, so worked out once (refBand below). Without it,
   * driftShiftHz works it out itself.
   */
  refBand?: Float64Array;
}

/** The reference's band bins of every block, moved by its deltas, as driftShiftHz reads them. */
export function refBand(
  refSpectra: Float32Array,
  refDeltas: Float64Array,
  blocks: number,
  blockSize: number,
  bins: Int32Array,
  out: Float64Array,
): Float64Array {
  const nb = bins.length;
  for (let k = 0; k < blocks; k++)
    advanceBins(refSpectra, k * blockSize, bins, blockSize, refDeltas[k], out, k * nb);
  return out;
}

const wrap = (x: number) => x - 2 * Math.PI * Math.round(x / (2 * Math.PI));

/** The other station's frequency error against the reference, Hz, or undefined (no clear drift). */
export function driftShiftHz(p: DriftInput): number | undefined {
  const { blocks, blockSize: n, bins } = p;
  const nb = bins.length;
  if (blocks < 3 || nb === 0) return undefined;
  const m = Math.round(p.coarseHz / p.binHz);
  const otherBins = bins.map((b) => (((b + m) % n) + n) % n);
  const moved =
    p.refBand ??
    refBand(p.refSpectra, p.refDeltas, blocks, n, bins, new Float64Array(2 * nb * blocks));
  const b = new Float64Array(2 * nb);
  // C of the last three blocks, cycled.
  const c = [new Float64Array(2 * nb), new Float64Array(2 * nb), new Float64Array(2 * nb)];
  // Per lag (one hop, two hops): the sum's re, im and the sum of its terms' squared magnitudes.
  const sum = new Float64Array(6);
  for (let k = 0; k < blocks; k++) {
    const ref = moved.subarray(2 * k * nb, 2 * (k + 1) * nb);
    advanceBins(p.otherSpectra, k * n, otherBins, n, p.otherDeltas[k], b, 0);
    crossLagged(ref, b, nb, c[k % 3], c[(k + 2) % 3], c[(k + 1) % 3], Math.min(k, 2), sum);
  }
  const one = { re: sum[0], im: sum[1], s2: sum[2] };
  const two = { re: sum[3], im: sum[4], s2: sum[5] };
  if (!(Math.hypot(two.re, two.im) > DRIFT_DETECTION_Z * Math.sqrt(two.s2))) return undefined;
  // Around the coarse estimate, one hop's turn resolves to within a bin...
  const step = 2 * Math.PI * p.hopS;
  const coarseTurn = p.coarseHz * step;
  const oneHz =
    Math.hypot(one.re, one.im) > DRIFT_DETECTION_Z * Math.sqrt(one.s2)
      ? (coarseTurn + wrap(Math.atan2(one.im, one.re) - coarseTurn)) / step
      : p.coarseHz;
  // ...and two hops' turn, free of the overlap's pull, refines it.
  const guess = 2 * oneHz * step;
  return (guess + wrap(Math.atan2(two.im, two.re) - guess)) / (2 * step);
}

/*
 * The per-block loops as functions of their own, called once per block: the browser's engine
 * optimises them once, where loops nested in the block loop were compiled on the stack and
 * discarded at every exit (issue 12, item 10). Same arithmetic, same order, so the same numbers.
 */

/**
 * now = conj(a) b, bin by bin, and for the last `lags` blocks (one hop: then1, two hops: then2)
 * sum[3 (lag - 1) ..] += (re, im of sum_j now_j conj(then_j), sum_j |now_j|^2 |then_j|^2). One
 * pass for the block's product and both lags (each sum takes the same terms in the same order as
 * a pass per lag would: the same numbers, with the three sums of each lag in flight together).
 */
export function crossLagged(
  a: Float64Array,
  b: Float64Array,
  nb: number,
  now: Float64Array,
  then1: Float64Array,
  then2: Float64Array,
  lags: number,
  sum: Float64Array,
): void {
  let re1 = sum[0];
  let im1 = sum[1];
  let s1 = sum[2];
  let re2 = sum[3];
  let im2 = sum[4];
  let s2 = sum[5];
  for (let j = 0; j < nb; j++) {
    const ar = a[2 * j];
    const ai = a[2 * j + 1];
    const br = b[2 * j];
    const bi = b[2 * j + 1];
    const xr = ar * br + ai * bi;
    const xi = ar * bi - ai * br;
    now[2 * j] = xr;
    now[2 * j + 1] = xi;
    if (lags === 0) continue;
    const p = xr * xr + xi * xi;
    const yr = then1[2 * j];
    const yi = then1[2 * j + 1];
    re1 += xr * yr + xi * yi;
    im1 += xi * yr - xr * yi;
    s1 += p * (yr * yr + yi * yi);
    if (lags === 1) continue;
    const zr = then2[2 * j];
    const zi = then2[2 * j + 1];
    re2 += xr * zr + xi * zi;
    im2 += xi * zr - xr * zi;
    s2 += p * (zr * zr + zi * zi);
  }
  sum[0] = re1;
  sum[1] = im1;
  sum[2] = s1;
  sum[3] = re2;
  sum[4] = im2;
  sum[5] = s2;
}
