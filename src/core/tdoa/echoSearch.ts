/**
 * The inner loop of the direct-path fit (directPath.ts): one station's echo tried against a
 * projected residual, its chi-square and Gauss-Newton normal equations, and the Levenberg-damped
 * steps that refine it. A solve makes a few thousand of these tries; each used to allocate a
 * dozen typed arrays and result objects (13 MB a solve, the largest share of the solver's
 * garbage, and a deoptimisation on every new object shape: issue 12, item 10). Here every try
 * writes into scratch the search owns, the echo is three numbers, and the arithmetic is the
 * same, in the same order, as before (tests/tdoa/echoSearch.test.ts).
 */

/** Echo delays the search keeps to, seconds (directPath.ts's grid and refinement). */
export const MIN_DELAY_S = 5e-6;
export const MAX_DELAY_S = 320e-6;
/** |c| is kept below this (a weaker echo; the logarithm then has no branch cut in the band). */
export const MAX_AMPLITUDE = 0.8;
/**
 * Prior on the echo's amplitude: c ~ complex normal of this standard deviation per component.
 * Without it a short strong echo (c near -1, delay of a few microseconds) becomes a free smooth
 * function of frequency that fits any small misfit and hands back a large, wrong correction.
 */
const AMPLITUDE_PRIOR_SIGMA = 0.3;
export const PRIOR_WEIGHT = 1 / AMPLITUDE_PRIOR_SIGMA ** 2;

/** The echo's parameters: c_re, c_im, delay (the first `free` of them move in a refinement). */
const PARAMS = 3;
/** The log-channel and its three derivatives. */
const VECTORS = PARAMS + 1;

/**
 * ln(1 + c e^{-i x delta}) and, for the first `derivs` parameters (c_re, c_im, delta), its
 * derivatives, at each x: written into out as [l | d c_re | d c_im | d delta], each 2 M values
 * (re/im interleaved).
 */
export function echoLogInto(
  cRe: number,
  cIm: number,
  delayS: number,
  x: Float64Array,
  out: Float64Array,
  derivs: number,
): void {
  const m = x.length;
  const o1 = 2 * m;
  const o2 = 4 * m;
  const o3 = 6 * m;
  for (let q = 0; q < m; q++) {
    const zr = Math.cos(x[q] * delayS);
    const zi = -Math.sin(x[q] * delayS);
    // u = c z, h = 1 + u
    const ur = cRe * zr - cIm * zi;
    const ui = cRe * zi + cIm * zr;
    const hr = 1 + ur;
    const hi = ui;
    out[2 * q] = 0.5 * Math.log(hr * hr + hi * hi);
    out[2 * q + 1] = Math.atan2(hi, hr);
    if (derivs === 0) continue;
    // 1 / h
    const h2 = hr * hr + hi * hi;
    const gr = hr / h2;
    const gi = -hi / h2;
    // d/dc_re = z / h; d/dc_im = i z / h; d/ddelta = -i x u / h
    const ar = zr * gr - zi * gi;
    const ai = zr * gi + zi * gr;
    out[o1 + 2 * q] = ar;
    out[o1 + 2 * q + 1] = ai;
    out[o2 + 2 * q] = -ai;
    out[o2 + 2 * q + 1] = ar;
    if (derivs < 3) continue;
    const vr = ur * gr - ui * gi;
    const vi = ur * gi + ui * gr;
    out[o3 + 2 * q] = x[q] * vi;
    out[o3 + 2 * q + 1] = -x[q] * vr;
  }
}

/**
 * Inverse of a small symmetric positive-definite n x n matrix (Gauss-Jordan with partial
 * pivoting) into inv; work (n x n) is overwritten with a copy of a that is reduced to the identity.
 */
export function invertInto(
  a: Float64Array,
  n: number,
  work: Float64Array,
  inv: Float64Array,
): void {
  const m = work;
  for (let k = 0; k < n * n; k++) {
    m[k] = a[k];
    inv[k] = 0;
  }
  for (let i = 0; i < n; i++) inv[i * n + i] = 1;
  for (let c = 0; c < n; c++) {
    let piv = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r * n + c]) > Math.abs(m[piv * n + c])) piv = r;
    if (piv !== c)
      for (let k = 0; k < n; k++) {
        const t = m[c * n + k];
        m[c * n + k] = m[piv * n + k];
        m[piv * n + k] = t;
        const u = inv[c * n + k];
        inv[c * n + k] = inv[piv * n + k];
        inv[piv * n + k] = u;
      }
    const d = m[c * n + c];
    if (!(Math.abs(d) > 0)) continue;
    for (let k = 0; k < n; k++) {
      m[c * n + k] /= d;
      inv[c * n + k] /= d;
    }
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r * n + c];
      if (f === 0) continue;
      for (let k = 0; k < n; k++) {
        m[r * n + k] -= f * m[c * n + k];
        inv[r * n + k] -= f * inv[c * n + k];
      }
    }
  }
}

/** The fit's fixed data as the search reads it (directPath.ts builds it once per fit). */
export interface EchoSearchData {
  /** Sub-band frequencies from the weighted centre, rad/s. */
  x: Float64Array;
  /** Phase weights, pair-major (P x M). */
  w: Float64Array;
  /** Per pair: total weight, weighted mean of x, weighted centred sum of x^2. */
  pairSw: Float64Array;
  pairXb: Float64Array;
  pairD: Float64Array;
  /** Per station: the pairs it is in and the sign of its phase in each (+1 as b, -1 as a). */
  memberPairs: Int32Array[];
  memberSigns: Float64Array[];
  /** Per station: Q = S^T W P S, the magnitudes' metric after the nuisances (M x M). */
  q: Float64Array[];
}

/** An echo refined from a start, and its chi-square. */
export interface Refined {
  re: number;
  im: number;
  delayS: number;
  chi: number;
}

/**
 * One station's echo tried against one projected residual (set by `setBase`): its chi-square is
 * ||b||^2 - 2 l^T beta + l^T Q l (magnitudes; beta = S^T W b) plus, per pair, the phase part with
 * that pair's line removed: O(M^2) a try, nothing allocated.
 */
export class EchoSearch {
  private readonly m: number;
  private readonly vec: Float64Array;
  private readonly qv: Float64Array;
  private readonly gram: Float64Array;
  private readonly cross: Float64Array;
  private readonly s0: Float64Array;
  private readonly s1: Float64Array;
  /** Normal equations of the current point [0] and of a trial [1], swapped on acceptance. */
  private jtj: Float64Array[];
  private jtr: Float64Array[];
  private readonly damped: Float64Array;
  private readonly work: Float64Array;
  private readonly inv: Float64Array;
  private readonly step: Float64Array;
  private station = 0;
  private baseIm: Float64Array;
  private beta: Float64Array;
  private baseChi = 0;

  constructor(private readonly data: EchoSearchData) {
    const m = data.x.length;
    this.m = m;
    this.vec = new Float64Array(VECTORS * 2 * m);
    this.qv = new Float64Array(VECTORS * m);
    this.gram = new Float64Array(VECTORS * VECTORS);
    this.cross = new Float64Array(VECTORS);
    this.s0 = new Float64Array(VECTORS);
    this.s1 = new Float64Array(VECTORS);
    this.jtj = [new Float64Array(PARAMS * PARAMS), new Float64Array(PARAMS * PARAMS)];
    this.jtr = [new Float64Array(PARAMS), new Float64Array(PARAMS)];
    this.damped = new Float64Array(PARAMS * PARAMS);
    this.work = new Float64Array(PARAMS * PARAMS);
    this.inv = new Float64Array(PARAMS * PARAMS);
    this.step = new Float64Array(PARAMS);
    this.baseIm = new Float64Array(0);
    this.beta = new Float64Array(0);
  }

  /**
   * The residual the next tries are measured against: station i's, with every other echo removed
   * and the nuisances projected out (its phases, P x M), beta = S^T W b of its magnitudes, and
   * its chi-square.
   */
  setBase(i: number, im: Float64Array, beta: Float64Array, chi: number): void {
    this.station = i;
    this.baseIm = im;
    this.beta = beta;
    this.baseChi = chi;
  }

  /**
   * Chi-square of echo (cRe, cIm, delayS) on the base's station and, for `free` > 0, the
   * Gauss-Newton normal equations (J^T W J, J^T W r) in its first `free` parameters (prior
   * included) into jtj[slot], jtr[slot].
   */
  evaluate(cRe: number, cIm: number, delayS: number, free: number, slot: number): number {
    const { m, vec, qv, gram, cross, s0, s1, data } = this;
    const { w, x } = data;
    const i = this.station;
    const Q = data.q[i];
    const bIm = this.baseIm;
    const beta = this.beta;
    echoLogInto(cRe, cIm, delayS, x, vec, free);
    const nv = 1 + free;
    const m2 = 2 * m;
    // Magnitudes: l^T Q l - 2 l^T beta, and the Gram/cross terms of the derivatives.
    for (let a = 0; a < nv; a++) qProduct(Q, vec, a * m2, qv, a * m, m);
    for (let a = 0; a < nv; a++) {
      cross[a] = evenDot(vec, a * m2, beta, m);
      for (let c = 0; c <= a; c++) {
        const g = evenCross(vec, c * m2, qv, a * m, m);
        gram[a * nv + c] = g;
        gram[c * nv + a] = g;
      }
    }
    // Phases, pair by pair: inner products with the pair's line removed.
    const pairs = data.memberPairs[i];
    const signs = data.memberSigns[i];
    for (let k = 0; k < pairs.length; k++) {
      const p = pairs[k];
      const sw = data.pairSw[p];
      if (!(sw > 0)) continue;
      phaseTerms(w, x, bIm, vec, p, m, signs[k], data.pairXb[p], nv, s0, s1, cross, gram);
      const d = data.pairD[p];
      for (let a = 0; a < nv; a++)
        for (let c = 0; c <= a; c++)
          gram[a * nv + c] -= (s0[a] * s0[c]) / sw + (d > 0 ? (s1[a] * s1[c]) / d : 0);
    }
    for (let a = 0; a < nv; a++) for (let c = 0; c < a; c++) gram[c * nv + a] = gram[a * nv + c];
    const chi = this.baseChi - 2 * cross[0] + gram[0] + PRIOR_WEIGHT * (cRe * cRe + cIm * cIm);
    if (free === 0) return chi;
    // J = d (model) / d theta; the residual is b - model, so J^T W r = cross_k - gram_{k,0}.
    const jtj = this.jtj[slot];
    const jtr = this.jtr[slot];
    for (let a = 0; a < free; a++) {
      jtr[a] = cross[a + 1] - gram[(a + 1) * nv];
      for (let c = 0; c < free; c++) jtj[a * free + c] = gram[(a + 1) * nv + c + 1];
    }
    jtj[0] += PRIOR_WEIGHT;
    jtj[free + 1] += PRIOR_WEIGHT;
    jtr[0] -= PRIOR_WEIGHT * cRe;
    jtr[1] -= PRIOR_WEIGHT * cIm;
    return chi;
  }

  /** Gauss-Newton (Levenberg-damped) on the echo's parameters from a start; `free` of them move. */
  refine(
    startRe: number,
    startIm: number,
    startDelayS: number,
    free: number,
    iterations: number,
  ): Refined {
    let eRe = startRe;
    let eIm = startIm;
    let eDelay = startDelayS;
    let current = this.evaluate(eRe, eIm, eDelay, free, 0);
    let lambda = 1e-3;
    const { damped, work, inv, step } = this;
    for (let it = 0; it < iterations; it++) {
      const jtj = this.jtj[0];
      const jtr = this.jtr[0];
      let improved = false;
      for (let tries = 0; tries < 6 && !improved; tries++) {
        for (let k = 0; k < free * free; k++) damped[k] = jtj[k];
        for (let a = 0; a < free; a++) damped[a * free + a] *= 1 + lambda;
        invertInto(damped, free, work, inv);
        for (let a = 0; a < free; a++) {
          let s = 0;
          for (let c = 0; c < free; c++) s += inv[a * free + c] * jtr[c];
          step[a] = s;
        }
        let nRe = eRe + step[0];
        let nIm = eIm + step[1];
        const nDelay =
          free > 2 ? Math.min(MAX_DELAY_S, Math.max(MIN_DELAY_S, eDelay + step[2])) : eDelay;
        const amp = Math.hypot(nRe, nIm);
        if (amp > MAX_AMPLITUDE) {
          nRe *= MAX_AMPLITUDE / amp;
          nIm *= MAX_AMPLITUDE / amp;
        }
        const trial = this.evaluate(nRe, nIm, nDelay, free, 1);
        if (trial < current) {
          const gain = current - trial;
          eRe = nRe;
          eIm = nIm;
          eDelay = nDelay;
          current = trial;
          this.jtj.reverse();
          this.jtr.reverse();
          lambda = Math.max(1e-6, lambda / 4);
          improved = true;
          if (gain < 1e-3) it = iterations;
        } else lambda *= 8;
      }
      if (!improved) break;
    }
    return { re: eRe, im: eIm, delayS: eDelay, chi: current };
  }
}

/*
 * The loops of a try as functions of their own (one loop each): the engine optimises them once
 * and inlines them, where the same loops in one large function were compiled on the stack.
 */

/** qv[to..] = Q times the even (real) entries of vec from `from` (M values). */
function qProduct(
  Q: Float64Array,
  vec: Float64Array,
  from: number,
  qv: Float64Array,
  to: number,
  m: number,
): void {
  for (let r = 0; r < m; r++) {
    let t = 0;
    for (let c = 0; c < m; c++) t += Q[r * m + c] * vec[from + 2 * c];
    qv[to + r] = t;
  }
}

/** sum_r vec[from + 2 r] b[r]. */
function evenDot(vec: Float64Array, from: number, b: Float64Array, m: number): number {
  let t = 0;
  for (let r = 0; r < m; r++) t += vec[from + 2 * r] * b[r];
  return t;
}

/** sum_r vec[from + 2 r] qv[at + r]. */
function evenCross(
  vec: Float64Array,
  from: number,
  qv: Float64Array,
  at: number,
  m: number,
): number {
  let g = 0;
  for (let r = 0; r < m; r++) g += vec[from + 2 * r] * qv[at + r];
  return g;
}

/**
 * Pair p's phase terms of the first nv vectors: their weighted sums s0 and x-moments s1 (for the
 * pair's line), and their cross terms with the residual and with each other added to cross, gram.
 */
function phaseTerms(
  w: Float64Array,
  x: Float64Array,
  bIm: Float64Array,
  vec: Float64Array,
  p: number,
  m: number,
  sign: number,
  xb: number,
  nv: number,
  s0: Float64Array,
  s1: Float64Array,
  cross: Float64Array,
  gram: Float64Array,
): void {
  const m2 = 2 * m;
  for (let a = 0; a < nv; a++) {
    s0[a] = 0;
    s1[a] = 0;
  }
  for (let q = 0; q < m; q++) {
    const wq = w[p * m + q];
    if (wq === 0) continue;
    const xc = x[q] - xb;
    const bq = bIm[p * m + q];
    for (let a = 0; a < nv; a++) {
      const va = vec[a * m2 + 2 * q + 1];
      s0[a] += wq * va;
      s1[a] += wq * xc * va;
      // The residual is sign * l: its cross term with b.
      cross[a] += sign * wq * va * bq;
      for (let c = 0; c <= a; c++) gram[a * nv + c] += wq * va * vec[c * m2 + 2 * q + 1];
    }
  }
}
