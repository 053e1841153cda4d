/**
 * A pair's cross-spectrum averaged coherently over the blocks, in a few sub-bands: what the
 * direct-path fit (directPath.ts) reads each station's channel from.
 *
 * The lag estimator (pairLag.ts) sums the blocks' correlations non-coherently: the receivers'
 * oscillator phases wander from block to block. Here each block's cross-spectrum
 * C_k(f) = X_a^*(f) X_b(f) is first turned back by the measured lag (e^{i w tau}) and by its own
 * phase at that lag (theta_k, the phase of sum_f W(f) C_k(f) e^{i w tau}), so what is left of its
 * phase is the part that changes across the band: arg H_b(f) - arg H_a(f) plus a residual slope,
 * the signature of an echo. Summing the bins of each sub-band keeps the shape (an echo of at most
 * a few hundred microseconds changes the phase over kilohertz, not over a sub-band's width).
 *
 * The noise of each sub-band's phase comes from the data: the scatter of the blocks' own
 * sub-band sums around the average (a sum of K blocks whose errors are independent apart from the
 * window overlap).
 */
import { signedBin } from './blockSpectra';
import { scratchFloat64 } from './bufferPool';
import type { PairInput } from './pairLag';

export interface SubbandCross {
  /** Sub-band centre, rad/s (baseband): its bins' frequencies weighted by their magnitude. */
  omegaRadS: Float64Array;
  /** Coherent sum per sub-band, re/im interleaved. */
  cross: Float64Array;
  /** Variance of each sub-band's phase, rad^2 (Infinity where the sub-band holds nothing). */
  phaseVar: Float64Array;
}

/** Bins of the band split into `count` contiguous sub-bands of (nearly) equal numbers of bins. */
export function subbandOf(binCount: number, count: number): Int32Array {
  const of = new Int32Array(binCount);
  for (let j = 0; j < binCount; j++)
    of[j] = Math.min(count - 1, Math.floor((j * count) / binCount));
  return of;
}

/** The pair's band spectra as the lag estimator reads them, its measured lag, the sub-bands. */
export type CoherentCrossInput = Pick<
  PairInput,
  'specA' | 'specB' | 'blocks' | 'bins' | 'weights' | 'blockSize' | 'sampleRateHz' | 'overlap'
> & {
  /** The measured lag of the pair, samples. */
  lagSamples: number;
  subbands: number;
};

export function coherentCross(p: CoherentCrossInput): SubbandCross {
  const { blocks, bins, blockSize: n, subbands: m, specA, specB, weights } = p;
  const nb = bins.length;
  const of = subbandOf(nb, m);
  const starts = subbandStarts(of, m);
  // Scratch reused from pair to pair (bufferPool.ts): written in full, or zeroed, before use.
  const [cosT, sinT, omegaBin, power] = scratchFloat64('coherentCross.bins', nb, 4);
  power.fill(0);
  binTables(bins, n, p.lagSamples, p.sampleRateHz, cosT, sinT, omegaBin);
  const [perBlock] = scratchFloat64('coherentCross.blocks', blocks * m * 2);
  perBlock.fill(0);
  const cross = new Float64Array(2 * m);
  const [rot] = scratchFloat64('coherentCross.rot', 2 * nb);
  const turn = new Float64Array(2 * m);
  // Per block: the turned-back bins and each sub-band's weighted share of the block's phase sum.
  const weighted = new Float64Array(2 * m);
  const sums = new Float64Array(2);
  for (let k = 0; k < blocks; k++) {
    turnBack(specA, specB, cosT, sinT, weights, starts, m, 2 * k * nb, rot, power, weighted, sums);
    const tr = sums[0];
    const ti = sums[1];
    // The average is turned by the block's phase over all sub-bands. The noise is measured on
    // the blocks turned by their phase on the OTHER sub-bands: turned by itself, a sub-band's own
    // noise would partly cancel and its phase look falsely precise (a carrier that dominates the
    // sum most of all). Used for the phase too, that would bend it: leaving a sub-band out moves
    // the block's phase by that sub-band's own share of the channel's phase.
    const base = 2 * k * m;
    const mag = Math.hypot(tr, ti);
    if (!(mag > 0)) continue;
    leftOutTurns(weighted, tr, ti, turn, m);
    addTurned(rot, starts, m, tr / mag, -ti / mag, turn, cross, perBlock, base);
  }
  return {
    omegaRadS: subbandCentres(of, power, omegaBin, m),
    cross,
    phaseVar: phaseVariances(perBlock, blocks, m, p.overlap),
  };
}

/** Per bin: the turn back by the lag (cos, sin) and the bin's angular frequency, rad/s. */
function binTables(
  bins: Int32Array,
  n: number,
  lagSamples: number,
  sampleRateHz: number,
  cosT: Float64Array,
  sinT: Float64Array,
  omegaBin: Float64Array,
): void {
  for (let j = 0; j < bins.length; j++) {
    const w = (2 * Math.PI * signedBin(bins[j], n)) / n;
    cosT[j] = Math.cos(w * lagSamples);
    sinT[j] = Math.sin(w * lagSamples);
    omegaBin[j] = w * sampleRateHz;
  }
}

/**
 * Each sub-band's turn: the conjugate direction of the block's weighted sum without that
 * sub-band's own share (tr, ti: the whole sum), as a unit vector (0 where nothing is left).
 */
function leftOutTurns(
  weighted: Float64Array,
  tr: number,
  ti: number,
  turn: Float64Array,
  m: number,
): void {
  for (let q = 0; q < m; q++) {
    const or = tr - weighted[2 * q];
    const oi = ti - weighted[2 * q + 1];
    const om = Math.hypot(or, oi);
    turn[2 * q] = om > 0 ? or / om : 0;
    turn[2 * q + 1] = om > 0 ? -oi / om : 0;
  }
}

/**
 * Each sub-band's frequency: its bins' mean, weighted by what they put into the sum (a carrier
 * in a sub-band is where that sub-band's phase is measured).
 */
function subbandCentres(
  of: Int32Array,
  power: Float64Array,
  omegaBin: Float64Array,
  m: number,
): Float64Array {
  const omegaRadS = new Float64Array(m);
  const held = new Float64Array(m);
  const plain = new Float64Array(m);
  const count = new Float64Array(m);
  for (let j = 0; j < of.length; j++) {
    omegaRadS[of[j]] += power[j] * omegaBin[j];
    held[of[j]] += power[j];
    plain[of[j]] += omegaBin[j];
    count[of[j]]++;
  }
  for (let q = 0; q < m; q++)
    omegaRadS[q] = held[q] > 0 ? omegaRadS[q] / held[q] : plain[q] / Math.max(1, count[q]);
  return omegaRadS;
}

/** Each sub-band's phase variance, rad^2, from the blocks' left-out-turned sub-band sums. */
function phaseVariances(
  perBlock: Float64Array,
  blocks: number,
  m: number,
  overlap: number,
): Float64Array {
  const phaseVar = new Float64Array(m);
  for (let q = 0; q < m; q++) {
    // The left-out turning's average, the direction the blocks scatter around.
    let gr = 0;
    let gi = 0;
    for (let k = 0; k < blocks; k++) {
      gr += perBlock[2 * (k * m + q)];
      gi += perBlock[2 * (k * m + q) + 1];
    }
    const g2 = gr * gr + gi * gi;
    if (!(g2 > 0)) {
      phaseVar[q] = Infinity;
      continue;
    }
    const g = Math.sqrt(g2);
    // Each block's sub-band sum across the average's direction (its phase error times |G|).
    let across = 0;
    for (let k = 0; k < blocks; k++) {
      const o = 2 * (k * m + q);
      across += ((perBlock[o + 1] * gr - perBlock[o] * gi) / g) ** 2;
    }
    phaseVar[q] = (overlap * across) / g2;
  }
  return phaseVar;
}

/** Where each sub-band's bins begin (of is non-decreasing), and where the last one ends. */
export function subbandStarts(of: Int32Array, count: number): Int32Array {
  const starts = new Int32Array(count + 1);
  let j = 0;
  for (let q = 0; q <= count; q++) {
    while (j < of.length && of[j] < q) j++;
    starts[q] = j;
  }
  return starts;
}

/*
 * The per-block loops as functions of their own, called once per block: the browser's engine
 * optimises them once, where loops nested in the block loop were compiled on the stack and
 * discarded at every exit, in every solve (issue 12, item 10). Each sub-band's sums run in local
 * variables over its contiguous bins: the same additions in the same order as summing into the
 * arrays bin by bin, without a store and a load per bin (about twice as fast).
 */

/**
 * One block's bins, conj(A) B turned back by the lag, into rot; each bin's magnitude added to
 * power, each sub-band's weighted sum to weighted, and the whole weighted sum to sums[0..1].
 */
function turnBack(
  specA: Float32Array,
  specB: Float32Array,
  cosT: Float64Array,
  sinT: Float64Array,
  weights: Float64Array,
  starts: Int32Array,
  m: number,
  from: number,
  rot: Float64Array,
  power: Float64Array,
  weighted: Float64Array,
  sums: Float64Array,
): void {
  let tr = 0;
  let ti = 0;
  for (let q = 0; q < m; q++) {
    let wr = 0;
    let wi = 0;
    const end = starts[q + 1];
    for (let j = starts[q]; j < end; j++) {
      const o = from + 2 * j;
      const ar = specA[o];
      const ai = specA[o + 1];
      const br = specB[o];
      const bi = specB[o + 1];
      // conj(A) B turned back by the lag
      const xr = ar * br + ai * bi;
      const xi = ar * bi - ai * br;
      const re = xr * cosT[j] - xi * sinT[j];
      const im = xr * sinT[j] + xi * cosT[j];
      rot[2 * j] = re;
      rot[2 * j + 1] = im;
      // sqrt, not Math.hypot: the same value here (no overflow at these magnitudes), several
      // times faster on the hottest line of a solve (issue 12, item 10).
      power[j] += Math.sqrt(re * re + im * im);
      const wj = weights[j];
      wr += wj * re;
      wi += wj * im;
      tr += wj * re;
      ti += wj * im;
    }
    weighted[2 * q] = wr;
    weighted[2 * q + 1] = wi;
  }
  sums[0] = tr;
  sums[1] = ti;
}

/** One block's turned bins (rot) added to the coherent sums and to its own sub-band sums. */
function addTurned(
  rot: Float64Array,
  starts: Int32Array,
  m: number,
  cr: number,
  ci: number,
  turn: Float64Array,
  cross: Float64Array,
  perBlock: Float64Array,
  base: number,
): void {
  for (let q = 0; q < m; q++) {
    let sr = cross[2 * q];
    let si = cross[2 * q + 1];
    let br = perBlock[base + 2 * q];
    let bi = perBlock[base + 2 * q + 1];
    const tr = turn[2 * q];
    const ti = turn[2 * q + 1];
    const end = starts[q + 1];
    for (let j = starts[q]; j < end; j++) {
      const re = rot[2 * j];
      const im = rot[2 * j + 1];
      sr += re * cr - im * ci;
      si += re * ci + im * cr;
      br += re * tr - im * ti;
      bi += re * ti + im * tr;
    }
    cross[2 * q] = sr;
    cross[2 * q + 1] = si;
    perBlock[base + 2 * q] = br;
    perBlock[base + 2 * q + 1] = bi;
  }
}
