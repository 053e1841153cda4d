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
 * - the peak: best whole-sample lag within |tau| <= d/c + margin, a parabola through it and its
 *   neighbours, then Newton's method on S(tau) itself (exact derivatives of the weighted sums);
 * - the standard error: delete-a-group jackknife over contiguous groups of blocks, from the data
 *   alone (it sees noise, fading and anything else that changes from second to second);
 * - read against a carrier (`lineBins`, measureLags.ts): when all the stations share is a steady
 *   carrier with its modulation under the noise (a weak AM broadcast), each block's correlation is
 *   r_k = c_k + s_k, the carrier's bins c_k (no timing: a steady line's delay is a phase, and the
 *   receivers' phases are unknown) and the rest s_k. S(tau) then sums |r_k|^2 - |c_k|^2 =
 *   |s_k|^2 + 2 Re(c_k^* s_k): the second term is the sidebands read against each station's own
 *   carrier (synchronous detection, in which the oscillators' phases cancel), which adds up over
 *   the blocks where |s_k|^2 alone is buried in the noise, and the carrier's own term, which only
 *   says where the windows stand, is gone.
 */
import { complexFft } from '../dsp/complexFft';
import { signedBin } from './blockSpectra';
import { scratchFloat64 } from './bufferPool';

/** Newton iterations on the correlation peak, and when a step is small enough to stop. */
const NEWTON_ITERATIONS = 8;
const NEWTON_TOLERANCE_SAMPLES = 1e-5;
const MIN_SIGMA_S = 1e-9;
/**
 * placePairLag reads every other block: half-overlapping blocks share half their samples, so
 * the others add little to a window's place (its jackknife error grows by about as much).
 */
const PLACE_BLOCK_STRIDE = 2;
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
  /** Room for blocks * bins * 2 doubles, reused from pair to pair (no garbage per pair). */
  scratch?: Float64Array;
  /**
   * Band positions (indices into `bins`) of a steady carrier whose own term is left out of S(tau)
   * (see the top); absent, nothing is left out.
   */
  lineBins?: Int32Array;
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
  /**
   * How far the peak stands out, group by group: the jackknife groups' excess at the peak over
   * their own mean over the allowed lags, as a t statistic (mean over its standard error). Noise
   * alone gives about sqrt(2 ln M) for M independent lags in the window: 1-4 on pure carriers.
   */
  significance: number;
}

/**
 * Points of the coarse inverse FFT: twice the band's bins (the envelope's peak then falls between
 * grid points no more than a quarter of its width away), at least 16 points across the allowed
 * lags, never more than the block (whole-sample lags).
 */
function coarseSize(n: number, spanBins: number, maxLagSamples: number): number {
  const wanted = Math.max(2 * spanBins, (8 * n) / Math.max(maxLagSamples, 1), 16);
  return Math.min(n, 2 ** Math.ceil(Math.log2(wanted)));
}

function groupCount(blocks: number, overlap: number): number {
  const independent = Math.floor(blocks / overlap);
  return Math.max(
    MIN_JACKKNIFE_GROUPS,
    Math.min(MAX_JACKKNIFE_GROUPS, Math.floor(independent / 2)),
  );
}

/** The jackknife groups: how many, and each block's (contiguous runs). */
function blockGroups(blocks: number, overlap: number) {
  const groups = Math.min(groupCount(blocks, overlap), blocks);
  const groupOfBlock = new Int32Array(blocks);
  for (let k = 0; k < blocks; k++)
    groupOfBlock[k] = Math.min(groups - 1, Math.floor((k * groups) / blocks));
  return { groups, groupOfBlock };
}

/** Vertex of the parabola through (-1, y0), (0, y1), (1, y2), as an offset in [-1, 1]. */
function parabolaVertex(y0: number, y1: number, y2: number): number {
  const den = y0 - 2 * y1 + y2;
  if (!(den < 0)) return 0;
  return Math.max(-1, Math.min(1, (0.5 * (y0 - y2)) / den));
}

/*
 * estimatePairLag is a sequence of steps, each loop nest in a function of its own (issue 12,
 * item 10): the browser's engine compiled the one large function anew in the background about
 * twice per solve (Chromium's --trace-opt: 12 compiles in 6 drops, 2.7 s of compiler time on the
 * loaded 2-core machine), each of its loops compiled on the stack and left at a bail-out; small
 * functions are compiled once and kept. The arithmetic and its order are unchanged.
 */
export function estimatePairLag(p: PairInput): PairEstimate {
  const { blocks, bins, blockSize: n, sampleRateHz: fs, specA, specB } = p;
  const nb = bins.length;
  const c = coarseSearch(p);
  const { cross, coarse, coarseByGroup, groups, groupOfBlock, mStar, maxIdx, h, atEdge } = c;

  // Fine: Newton's method on S(tau) from the coarse peak's parabola, with exact derivatives.
  // Scratch reused from pair to pair (bufferPool.ts), each written in full before it is read.
  const [omega, cosT, sinT, omega2] = scratchFloat64('pairLag.bins', nb, 4);
  binFrequencies(bins, n, omega, omega2);
  const fine: FineInput = {
    cross,
    blocks,
    nb,
    omega,
    omega2,
    groupOfBlock,
    cosT,
    sinT,
  };
  if (p.lineBins) fine.line = lineInput(fine, p.lineBins);
  /** S, S' and S'' (per sample, per sample^2) at tau, per jackknife group: [3 g + q]. */
  const derivatives = (tau: number) => groupDerivatives(fine, tau, new Float64Array(3 * groups));
  let tau = c.vertex;
  let d = derivatives(tau);
  for (let it = 0; it < NEWTON_ITERATIONS; it++) {
    const s1 = groupSum(d, groups, 1);
    const s2 = groupSum(d, groups, 2);
    // Not at a maximum's concave part: stay at the parabola's vertex.
    if (!(s2 < 0)) break;
    const step = Math.max(-0.5 * h, Math.min(0.5 * h, -s1 / s2));
    tau += step;
    d = derivatives(tau);
    if (Math.abs(step) < NEWTON_TOLERANCE_SAMPLES) break;
  }
  const lagS = tau / fs;
  const jackknifeS = jackknife(
    { coarse, coarseByGroup, d, groups, mStar, maxIdx, h, fs },
    tau,
    new Float64Array(coarse.length),
  );
  const sigmaS = jackknifeSigmaS(jackknifeS);

  const peak = inBandPeak(specA, specB, cosT, sinT, blocks, nb);
  const significance = peakSignificance(coarseByGroup, mStar);
  const top = coarse[mStar] > 0 ? coarse[mStar] : 1;
  const curve = {
    lagUs: Array.from(coarse, (_, i) => (((i - maxIdx) * h) / fs) * 1e6),
    // Read against a carrier S can dip below zero away from the peak (its cross term is signed).
    value: Array.from(coarse, (v) => Math.sqrt(Math.max(v, 0) / top)),
  };
  return { lagS, sigmaS, peak, atEdge, curve, groups, jackknifeS, significance };
}

/**
 * A pair's lag from the coarse search alone (the coarse grid's peak and the parabola through it,
 * good to a fraction of a sample), its standard error from the same jackknife groups' coarse
 * peaks, over every PLACE_BLOCK_STRIDE-th block: what windowAlign.ts needs to place a window, at
 * a quarter of estimatePairLag's cost (no Newton refinement, no in-band peak, no curve).
 */
export function placePairLag(p: PairInput): Pick<PairEstimate, 'lagS' | 'sigmaS' | 'atEdge'> {
  const c = coarseSearch(p, PLACE_BLOCK_STRIDE);
  const rest = new Float64Array(c.coarse.length);
  const jackknifeS: number[] = [];
  for (let g = 0; g < c.groups; g++) {
    const best = restArgMax(c.coarse, c.coarseByGroup[g], rest);
    const off =
      best > 0 && best < rest.length - 1
        ? parabolaVertex(rest[best - 1], rest[best], rest[best + 1])
        : 0;
    jackknifeS.push(((best - c.maxIdx + off) * c.h) / p.sampleRateHz);
  }
  return {
    lagS: c.vertex / p.sampleRateHz,
    sigmaS: jackknifeSigmaS(jackknifeS),
    atEdge: c.atEdge,
  };
}

/** PairEstimate.significance: each group's excess at index `at` over its mean, as a t statistic. */
function peakSignificance(byGroup: readonly Float64Array[], at: number): number {
  const g = byGroup.length;
  const excess = byGroup.map((curve) => {
    let mean = 0;
    for (let i = 0; i < curve.length; i++) mean += curve[i];
    return curve[at] - mean / curve.length;
  });
  const mean = excess.reduce((a, b) => a + b, 0) / g;
  const variance = excess.reduce((a, b) => a + (b - mean) ** 2, 0) / (g - 1);
  return variance > 0 ? mean / Math.sqrt(variance / g) : mean > 0 ? Infinity : 0;
}

/** The jackknife's standard error from the leave-one-group-out lags, seconds. */
function jackknifeSigmaS(jackknifeS: readonly number[]): number {
  const groups = jackknifeS.length;
  const mean = jackknifeS.reduce((a, b) => a + b, 0) / groups;
  const jackVar = ((groups - 1) / groups) * jackknifeS.reduce((a, b) => a + (b - mean) ** 2, 0);
  // Student-t with groups-1 degrees of freedom has variance (nu / (nu - 2)) times the scale's.
  const nu = groups - 1;
  const tInflation = nu > 2 ? nu / (nu - 2) : 3;
  // A nanosecond at least: noise-free test signals would otherwise give zero and infinite weight.
  return Math.max(Math.sqrt(jackVar * tInflation), MIN_SIGMA_S);
}

/**
 * The weighted cross spectra of every `stride`-th block (in the caller's scratch buffer when it
 * lends one; the blocks between are left as they were).
 */
function crossOf(p: PairInput, stride: number): Float64Array {
  // Locals, not p.specA in the loops: V8 reloads a field of the argument on every pass of a hot
  // loop that also writes a typed array (several times slower; issue 12, item 10).
  const { blocks, bins, weights, specA, specB } = p;
  const nb = bins.length;
  let wSum = 0;
  for (let j = 0; j < nb; j++) wSum += weights[j];
  // No bin where both stations see the signal: fall back to equal weights (plain correlation).
  const w = wSum > 0 ? weights : new Float64Array(nb).fill(1);
  const cross =
    p.scratch && p.scratch.length >= blocks * nb * 2
      ? p.scratch.subarray(0, blocks * nb * 2)
      : new Float64Array(blocks * nb * 2);
  if (stride === 1) weightedCross(specA, specB, w, blocks, nb, cross);
  else {
    // Only the blocks the coarse search reads, one call each (no loop nest; see weightedCross).
    for (let k = 0; k < blocks; k += stride) {
      const o = 2 * k * nb;
      const end = o + 2 * nb;
      weightedCross(
        specA.subarray(o, end),
        specB.subarray(o, end),
        w,
        1,
        nb,
        cross.subarray(o, end),
      );
    }
  }
  return cross;
}

/**
 * The weighted cross spectra and the correlation's envelope on the coarse lag grid (in total and
 * per jackknife group), its peak, and the parabola's vertex through it (samples); from every
 * `stride`-th block only where a window's place is all that is wanted.
 */
function coarseSearch(p: PairInput, stride = 1) {
  const { blocks, bins, blockSize: n } = p;
  const nb = bins.length;
  const cross = crossOf(p, stride);

  // Coarse: the correlation's envelope on a lag grid through one inverse FFT per block. The band
  // is moved to baseband first (the envelope does not care), so the FFT needs only as many
  // points as the band has bins, not the block's: grid step h = n / m samples, at most one.
  const q0 = lowestBin(bins, n);
  const span = nb ? highestBin(bins, n) - q0 + 1 : 1;
  const m = coarseSize(n, span, p.maxLagSamples);
  const h = n / m;
  const maxIdx = Math.min(Math.floor(p.maxLagSamples / h), m / 2 - 1);
  const width = 2 * maxIdx + 1;
  const coarse = new Float64Array(width);
  const { groups, groupOfBlock } = blockGroups(blocks, p.overlap);
  const coarseByGroup = Array.from({ length: groups }, () => new Float64Array(width));
  // PFFFT in float32 once loaded (dsp/complexFft.ts; measureLags loads it): the coarse grid only
  // places the peak, which Newton's method then refines in float64.
  const band: BandInput = { cross, bins, n, q0, nb, fft: complexFft(m) };
  for (let k = 0; k < blocks; k += stride) {
    coarseBlock(band, k, m, maxIdx, coarse, coarseByGroup[groupOfBlock[k]]);
    if (p.lineBins) {
      coarseBlock(band, k, m, maxIdx, coarse, coarseByGroup[groupOfBlock[k]], p.lineBins);
    }
  }
  const mStar = argMax(coarse);
  const atEdge = mStar <= 0 || mStar >= coarse.length - 1;
  const vertex =
    (mStar - maxIdx) * h +
    h * (atEdge ? 0 : parabolaVertex(coarse[mStar - 1], coarse[mStar], coarse[mStar + 1]));
  return { cross, coarse, coarseByGroup, groups, groupOfBlock, mStar, maxIdx, h, atEdge, vertex };
}

/** cross = w * conj(A) * B, bin by bin of every block. */
function weightedCross(
  specA: Float32Array,
  specB: Float32Array,
  w: Float64Array,
  blocks: number,
  nb: number,
  cross: Float64Array,
): void {
  // One flat loop over every block's bins (j counts the bin): a nested loop here is compiled on
  // the stack at its inner loop and thrown away at each exit, once per block, in the browser.
  for (let o = 0, j = 0; o < 2 * blocks * nb; o += 2) {
    const ar = specA[o];
    const ai = specA[o + 1];
    const br = specB[o];
    const bi = specB[o + 1];
    // conj(A) * B
    cross[o] = w[j] * (ar * br + ai * bi);
    cross[o + 1] = w[j] * (ar * bi - ai * br);
    if (++j === nb) j = 0;
  }
}

function lowestBin(bins: Int32Array, n: number): number {
  let q0 = Infinity;
  for (let j = 0; j < bins.length; j++) q0 = Math.min(q0, signedBin(bins[j], n));
  return q0;
}

function highestBin(bins: Int32Array, n: number): number {
  let qTop = -Infinity;
  for (let j = 0; j < bins.length; j++) qTop = Math.max(qTop, signedBin(bins[j], n));
  return qTop;
}

/** The weighted cross spectra and where their band lies (bins from q0 up). */
interface BandInput {
  cross: Float64Array;
  bins: Int32Array;
  n: number;
  q0: number;
  nb: number;
  fft: ReturnType<typeof complexFft>;
}

/**
 * Block k's correlation envelope at the lags -maxIdx .. maxIdx of an m-point grid, added to the
 * total and to its jackknife group's; with `only`, the envelope of those band positions alone,
 * taken away (a carrier's own term, PairInput.lineBins).
 */
function coarseBlock(
  band: BandInput,
  k: number,
  m: number,
  maxIdx: number,
  coarse: Float64Array,
  byGroup: Float64Array,
  only?: Int32Array,
): void {
  const { cross, bins, n, q0, nb, fft } = band;
  const spec = fft.input;
  spec.fill(0);
  // transform(conj(C)) = conj(unscaled inverse transform of C): the same magnitudes.
  const count = only ? only.length : nb;
  for (let t = 0; t < count; t++) {
    const j = only ? only[t] : t;
    const i = signedBin(bins[j], n) - q0;
    spec[2 * i] = cross[2 * (k * nb + j)];
    spec[2 * i + 1] = -cross[2 * (k * nb + j) + 1];
  }
  fft.run();
  const corr = fft.output;
  const sign = only ? -1 : 1;
  for (let g = -maxIdx; g <= maxIdx; g++) {
    const i = g < 0 ? g + m : g;
    const v = sign * (corr[2 * i] ** 2 + corr[2 * i + 1] ** 2);
    coarse[g + maxIdx] += v;
    byGroup[g + maxIdx] += v;
  }
}

/** Index of the largest value (the first of equals). */
function argMax(a: Float64Array): number {
  let best = 0;
  for (let i = 1; i < a.length; i++) if (a[i] > a[best]) best = i;
  return best;
}

/** Each band bin's frequency, rad/sample, and its square. */
function binFrequencies(bins: Int32Array, n: number, omega: Float64Array, omega2: Float64Array) {
  for (let j = 0; j < bins.length; j++)
    omega[j] = (2 * Math.PI * (bins[j] >= n / 2 ? bins[j] - n : bins[j])) / n;
  for (let j = 0; j < bins.length; j++) omega2[j] = omega[j] * omega[j];
}

/** The sum over jackknife groups of derivative q (0: S, 1: S', 2: S''). */
function groupSum(d: Float64Array, groups: number, q: number): number {
  let total = 0;
  for (let g = 0; g < groups; g++) total += d[3 * g + q];
  return total;
}

interface JackknifeInput {
  coarse: Float64Array;
  coarseByGroup: Float64Array[];
  /** The derivatives per group at the optimum tau. */
  d: Float64Array;
  groups: number;
  mStar: number;
  maxIdx: number;
  h: number;
  fs: number;
}

/**
 * Each leave-one-group-out optimum, seconds. Near the full optimum one Newton step finds it; a
 * subset whose best whole-sample lag lies elsewhere (a broad or ambiguous peak) keeps that lag,
 * so a peak the data do not pin down gets the large error it deserves.
 */
function jackknife(j: JackknifeInput, tau: number, rest: Float64Array): number[] {
  const { coarse, coarseByGroup, d, groups, mStar, maxIdx, h, fs } = j;
  const s1 = groupSum(d, groups, 1);
  const s2 = groupSum(d, groups, 2);
  const jackknifeS: number[] = [];
  for (let g = 0; g < groups; g++) {
    const best = restArgMax(coarse, coarseByGroup[g], rest);
    const a1 = s1 - d[3 * g + 1];
    const a2 = s2 - d[3 * g + 2];
    const step = a2 < 0 ? -a1 / a2 : Infinity;
    if (Math.abs(best - mStar) <= 1 && Math.abs(step) <= h) jackknifeS.push((tau + step) / fs);
    else {
      const off =
        best > 0 && best < rest.length - 1
          ? parabolaVertex(rest[best - 1], rest[best], rest[best + 1])
          : 0;
      jackknifeS.push(((best - maxIdx + off) * h) / fs);
    }
  }
  return jackknifeS;
}

/** rest = coarse - group, and the index of its largest value. */
function restArgMax(coarse: Float64Array, group: Float64Array, rest: Float64Array): number {
  let best = 0;
  for (let i = 0; i < coarse.length; i++) {
    rest[i] = coarse[i] - group[i];
    if (rest[i] > rest[best]) best = i;
  }
  return best;
}

/** Normalised in-band correlation (equal weights) at the lag: how alike the two signals are. */
function inBandPeak(
  specA: Float32Array,
  specB: Float32Array,
  cosT: Float64Array,
  sinT: Float64Array,
  blocks: number,
  nb: number,
): number {
  let num = 0;
  let den = 0;
  const sums = new Float64Array(4);
  for (let k = 0; k < blocks; k++) {
    blockCorrelation(specA, specB, cosT, sinT, 2 * k * nb, nb, sums);
    num += sums[0] * sums[0] + sums[1] * sums[1];
    den += sums[2] * sums[3];
  }
  return den > 0 ? Math.min(1, Math.sqrt(num / den)) : 0;
}

/** What the fine search reads: the weighted cross spectra and each bin's frequency. */
interface FineInput {
  cross: Float64Array;
  blocks: number;
  nb: number;
  /** rad/sample per band bin, and its square. */
  omega: Float64Array;
  omega2: Float64Array;
  groupOfBlock: Int32Array;
  /** Scratch: cos and sin of omega * tau. */
  cosT: Float64Array;
  sinT: Float64Array;
  /** The same over PairInput.lineBins alone: its term is taken away (a carrier's own). */
  line?: FineInput;
}

/** FineInput over the band positions `lines` alone (a few bins: a line and its leakage). */
function lineInput(f: FineInput, lines: Int32Array): FineInput {
  const nl = lines.length;
  const cross = new Float64Array(2 * f.blocks * nl);
  for (let k = 0; k < f.blocks; k++) {
    for (let t = 0; t < nl; t++) {
      cross[2 * (k * nl + t)] = f.cross[2 * (k * f.nb + lines[t])];
      cross[2 * (k * nl + t) + 1] = f.cross[2 * (k * f.nb + lines[t]) + 1];
    }
  }
  return {
    cross,
    blocks: f.blocks,
    nb: nl,
    omega: Float64Array.from(lines, (j) => f.omega[j]),
    omega2: Float64Array.from(lines, (j) => f.omega2[j]),
    groupOfBlock: f.groupOfBlock,
    cosT: new Float64Array(nl),
    sinT: new Float64Array(nl),
  };
}

/**
 * S(tau) = sum_k |r_k(tau)|^2 and its first two derivatives, summed per jackknife group into
 * out[3 g], out[3 g + 1], out[3 g + 2] (times `sign`: -1 takes a carrier's own term away). The hottest loop of a solve: a plain function over typed
 * arrays (no closure, no arrays of arrays), which V8 optimises early; the arithmetic and its order
 * are those of the closure it replaces, so the numbers are the same (issue 12, item 10).
 */
function groupDerivatives(f: FineInput, tau: number, out: Float64Array, sign = 1): Float64Array {
  const { cross, blocks, nb, omega, omega2, groupOfBlock, cosT, sinT } = f;
  for (let j = 0; j < nb; j++) {
    cosT[j] = Math.cos(omega[j] * tau);
    sinT[j] = Math.sin(omega[j] * tau);
  }
  const sums = new Float64Array(6);
  for (let k = 0; k < blocks; k++) {
    blockDerivatives(cross, 2 * k * nb, nb, omega, omega2, cosT, sinT, sums);
    const r0 = sums[0];
    const i0 = sums[1];
    const r1 = sums[2];
    const i1 = sums[3];
    const r2 = sums[4];
    const i2 = sums[5];
    const g = 3 * groupOfBlock[k];
    out[g] += sign * (r0 * r0 + i0 * i0);
    out[g + 1] += sign * 2 * (r0 * r1 + i0 * i1);
    out[g + 2] += sign * 2 * (r1 * r1 + i1 * i1 + r0 * r2 + i0 * i2);
  }
  // A carrier's own term |c(tau)|^2, taken away (PairInput.lineBins).
  if (f.line) groupDerivatives(f.line, tau, out, -1);
  return out;
}

/**
 * One block's r(tau) and its first two derivatives, sums[0..5] = r0, i0, r1, i1, r2, i2. A
 * function of its own, called once per block: the browser's engine optimises it once and keeps
 * it, where an inner loop is compiled on the stack and discarded at every exit.
 */
function blockDerivatives(
  cross: Float64Array,
  base: number,
  nb: number,
  omega: Float64Array,
  omega2: Float64Array,
  cosT: Float64Array,
  sinT: Float64Array,
  sums: Float64Array,
): void {
  let r0 = 0;
  let i0 = 0;
  let r1 = 0;
  let i1 = 0;
  let r2 = 0;
  let i2 = 0;
  for (let j = 0; j < nb; j++) {
    const cr = cross[base + 2 * j];
    const ci = cross[base + 2 * j + 1];
    const c = cosT[j];
    const s = sinT[j];
    const re = cr * c - ci * s;
    const im = cr * s + ci * c;
    const w = omega[j];
    const w2 = omega2[j];
    r0 += re;
    i0 += im;
    // d/dtau of e^{i w tau} brings i w: (re, im) -> (-w im, w re); twice: -w^2 (re, im).
    r1 -= w * im;
    i1 += w * re;
    r2 -= w2 * re;
    i2 -= w2 * im;
  }
  sums[0] = r0;
  sums[1] = i0;
  sums[2] = r1;
  sums[3] = i1;
  sums[4] = r2;
  sums[5] = i2;
}

/**
 * One block's equal-weight correlation at the lag (sums[0], sums[1]) and its two stations'
 * energies in the band (sums[2], sums[3]).
 */
function blockCorrelation(
  specA: Float32Array,
  specB: Float32Array,
  cosT: Float64Array,
  sinT: Float64Array,
  base: number,
  nb: number,
  sums: Float64Array,
): void {
  let re = 0;
  let im = 0;
  let ea = 0;
  let eb = 0;
  for (let j = 0; j < nb; j++) {
    const o = base + 2 * j;
    const ar = specA[o];
    const ai = specA[o + 1];
    const br = specB[o];
    const bi = specB[o + 1];
    const c = cosT[j];
    const s = sinT[j];
    const xr = ar * br + ai * bi;
    const xi = ar * bi - ai * br;
    re += xr * c - xi * s;
    im += xr * s + xi * c;
    ea += ar * ar + ai * ai;
    eb += br * br + bi * bi;
  }
  sums[0] = re;
  sums[1] = im;
  sums[2] = ea;
  sums[3] = eb;
}
