/**
 * The lag of one pair of stations from their band spectra, block by block.
 *
 * Estimator (chosen from the physics; see TDOA_NOTES.md):
 * - per block, the generalised cross-correlation with the maximum-likelihood weights of
 *   bandSelect.ts: r_k(tau) = sum_f W(f) X_a^*(f) X_b(f) e^{i 2 pi f tau}, which peaks at
 *   tau = t_b - t_a (positive: the signal reached b later);
 * - across blocks, the magnitudes are summed, S(tau) = sum_k |r_k(tau)|^2 (non-coherently). The
 *   receivers' local oscillators have unknown phases and frequency errors (0.05 Hz turns the phase
 *   by 2 pi in 20 s), so only the envelope carries the delay; within a block of a few tenths of a
 *   second the phase barely moves, and with a time-bandwidth product in the hundreds per block the
 *   loss against coherent integration is small above about -15 dB input SNR;
 * - the peak: best whole-sample lag within |tau| <= d/c + margin, then S on a 1/16-sample grid
 *   around it and a parabola through the top three points;
 * - the standard error: delete-a-group jackknife over contiguous groups of blocks, from the data
 *   alone (it sees noise, fading and anything else that changes from second to second).
 */
import FFT from 'fft.js';

/** Fine lag grid: points per sample, and half-width in samples around the coarse peak. */
const FINE_STEPS_PER_SAMPLE = 16;
const FINE_HALF_WIDTH_SAMPLES = 2;
/** Jackknife groups (contiguous runs of blocks). */
export const MAX_JACKKNIFE_GROUPS = 12;
export const MIN_JACKKNIFE_GROUPS = 4;

export interface PairInput {
  /** Band spectra, [block][bin] interleaved re/im, for stations a and b. */
  specA: Float32Array;
  specB: Float32Array;
  blocks: number;
  /** Natural-order FFT bin index of each band bin. */
  bins: Int32Array;
  weights: Float64Array;
  blockSize: number;
  sampleRateHz: number;
  /** Lags beyond +-maxLagSamples are impossible for this pair. */
  maxLagSamples: number;
  /** Blocks overlap: 2 when the hop is half a block. */
  overlap: number;
}

export interface PairEstimate {
  lagS: number;
  sigmaS: number;
  /** Normalised in-band correlation at the peak, 0..1. */
  peak: number;
  /** The peak lay on the edge of the allowed lags: the lag is not trustworthy. */
  atEdge: boolean;
  curve: { lagUs: number[]; value: number[] };
  groups: number;
  /** Lag of each jackknife subset, seconds (for diagnostics). */
  jackknifeS: number[];
}

function groupCount(blocks: number, overlap: number): number {
  const independent = Math.floor(blocks / overlap);
  return Math.max(
    MIN_JACKKNIFE_GROUPS,
    Math.min(MAX_JACKKNIFE_GROUPS, Math.floor(independent / 2)),
  );
}

/** Vertex of the parabola through (-1, y0), (0, y1), (1, y2), as an offset in [-1, 1]. */
function parabolaVertex(y0: number, y1: number, y2: number): number {
  const den = y0 - 2 * y1 + y2;
  if (!(den < 0)) return 0;
  return Math.max(-1, Math.min(1, (0.5 * (y0 - y2)) / den));
}

function peakOf(values: Float64Array): { index: number; offset: number } {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  if (best === 0 || best === values.length - 1) return { index: best, offset: 0 };
  return { index: best, offset: parabolaVertex(values[best - 1], values[best], values[best + 1]) };
}

export function estimatePairLag(p: PairInput): PairEstimate {
  const { blocks, bins, weights, blockSize: n, sampleRateHz: fs } = p;
  const nb = bins.length;
  let wSum = 0;
  for (let j = 0; j < nb; j++) wSum += weights[j];
  // No bin where both stations see the signal: fall back to equal weights (plain correlation).
  const w = wSum > 0 ? weights : new Float64Array(nb).fill(1);

  // Weighted cross spectra per block.
  const cross = new Float64Array(blocks * nb * 2);
  for (let k = 0; k < blocks; k++) {
    for (let j = 0; j < nb; j++) {
      const o = 2 * (k * nb + j);
      const ar = p.specA[o];
      const ai = p.specA[o + 1];
      const br = p.specB[o];
      const bi = p.specB[o + 1];
      // conj(A) * B
      cross[o] = w[j] * (ar * br + ai * bi);
      cross[o + 1] = w[j] * (ar * bi - ai * br);
    }
  }

  // Coarse: whole-sample lags through one inverse FFT per block.
  const maxLag = Math.min(Math.floor(p.maxLagSamples), n / 2 - 1);
  const coarse = new Float64Array(2 * maxLag + 1);
  const fft = new FFT(n);
  const spec = new Float64Array(2 * n);
  const corr = new Float64Array(2 * n);
  for (let k = 0; k < blocks; k++) {
    spec.fill(0);
    for (let j = 0; j < nb; j++) {
      spec[2 * bins[j]] = cross[2 * (k * nb + j)];
      spec[2 * bins[j] + 1] = cross[2 * (k * nb + j) + 1];
    }
    fft.inverseTransform(corr, spec);
    for (let m = -maxLag; m <= maxLag; m++) {
      const i = (m + n) % n;
      coarse[m + maxLag] += corr[2 * i] ** 2 + corr[2 * i + 1] ** 2;
    }
  }
  let mStar = 0;
  for (let i = 1; i < coarse.length; i++) if (coarse[i] > coarse[mStar]) mStar = i;
  const atEdge = mStar <= 0 || mStar >= coarse.length - 1;
  const centre = mStar - maxLag;

  // Fine: S on a 1/16-sample grid around the coarse peak, per jackknife group.
  const fine = 2 * FINE_HALF_WIDTH_SAMPLES * FINE_STEPS_PER_SAMPLE + 1;
  const groups = Math.min(groupCount(blocks, p.overlap), blocks);
  const perGroup = Array.from({ length: groups }, () => new Float64Array(fine));
  const cosT = new Float64Array(fine * nb);
  const sinT = new Float64Array(fine * nb);
  for (let u = 0; u < fine; u++) {
    const tau = centre + (u - (fine - 1) / 2) / FINE_STEPS_PER_SAMPLE;
    for (let j = 0; j < nb; j++) {
      let kk = bins[j];
      if (kk >= n / 2) kk -= n;
      const ph = (2 * Math.PI * kk * tau) / n;
      cosT[u * nb + j] = Math.cos(ph);
      sinT[u * nb + j] = Math.sin(ph);
    }
  }
  for (let k = 0; k < blocks; k++) {
    const g = Math.min(groups - 1, Math.floor((k * groups) / blocks));
    const base = 2 * k * nb;
    for (let u = 0; u < fine; u++) {
      let re = 0;
      let im = 0;
      const t = u * nb;
      for (let j = 0; j < nb; j++) {
        const cr = cross[base + 2 * j];
        const ci = cross[base + 2 * j + 1];
        const c = cosT[t + j];
        const s = sinT[t + j];
        re += cr * c - ci * s;
        im += cr * s + ci * c;
      }
      perGroup[g][u] += re * re + im * im;
    }
  }
  const total = new Float64Array(fine);
  for (const s of perGroup) for (let u = 0; u < fine; u++) total[u] += s[u];
  const toLagS = (pk: { index: number; offset: number }) =>
    (centre + (pk.index + pk.offset - (fine - 1) / 2) / FINE_STEPS_PER_SAMPLE) / fs;
  const lagS = toLagS(peakOf(total));
  const jackknifeS: number[] = [];
  const leaveOut = new Float64Array(fine);
  for (let g = 0; g < groups; g++) {
    for (let u = 0; u < fine; u++) leaveOut[u] = total[u] - perGroup[g][u];
    jackknifeS.push(toLagS(peakOf(leaveOut)));
  }
  const mean = jackknifeS.reduce((a, b) => a + b, 0) / groups;
  const jackVar = ((groups - 1) / groups) * jackknifeS.reduce((a, b) => a + (b - mean) ** 2, 0);
  // Student-t with groups-1 degrees of freedom has variance (nu / (nu - 2)) times the scale's.
  const nu = groups - 1;
  const tInflation = nu > 2 ? nu / (nu - 2) : 3;
  // At least the fine grid's resolution: a jackknife that never moves still has a quantisation.
  const floorS = 1 / (FINE_STEPS_PER_SAMPLE * fs * Math.sqrt(12));
  const sigmaS = Math.sqrt(jackVar * tInflation + floorS * floorS);

  // Normalised in-band correlation (equal weights) at the lag: how alike the two signals are.
  let num = 0;
  let den = 0;
  for (let k = 0; k < blocks; k++) {
    let re = 0;
    let im = 0;
    let ea = 0;
    let eb = 0;
    for (let j = 0; j < nb; j++) {
      const o = 2 * (k * nb + j);
      const ar = p.specA[o];
      const ai = p.specA[o + 1];
      const br = p.specB[o];
      const bi = p.specB[o + 1];
      let kk = bins[j];
      if (kk >= n / 2) kk -= n;
      const ph = (2 * Math.PI * kk * lagS * fs) / n;
      const c = Math.cos(ph);
      const s = Math.sin(ph);
      const xr = ar * br + ai * bi;
      const xi = ar * bi - ai * br;
      re += xr * c - xi * s;
      im += xr * s + xi * c;
      ea += ar * ar + ai * ai;
      eb += br * br + bi * bi;
    }
    num += re * re + im * im;
    den += ea * eb;
  }
  const peak = den > 0 ? Math.min(1, Math.sqrt(num / den)) : 0;

  const top = coarse[mStar] > 0 ? coarse[mStar] : 1;
  const curve = {
    lagUs: Array.from(coarse, (_, i) => ((i - maxLag) / fs) * 1e6),
    value: Array.from(coarse, (v) => Math.sqrt(v / top)),
  };
  return { lagS, sigmaS, peak, atEdge, curve, groups, jackknifeS };
}
