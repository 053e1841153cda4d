/**
 * The direct path of each station, resolved from a later echo (multipath, issue 12 item 8).
 *
 * An echo of complex amplitude c (|c| < 1: weaker than the direct wave) and extra delay delta > 0
 * (it arrives later) multiplies a station's spectrum by H(w) = 1 + c e^{-i w delta}. Shorter
 * than the inverse bandwidth it cannot be seen as a second peak, but it bends the cross-spectrum:
 * ln H = ln|H| + i arg H changes across the band in a way a pure delay (a straight phase line)
 * cannot. The lag estimator flattens the phase on average, so it returns the direct lag plus the
 * weighted slope of arg H_b - arg H_a: the bias. Here the channel of every station is fitted to
 * the coherent sub-band cross-spectra of all pairs (coherentCross.ts), and the bias each fitted
 * channel puts on each pair is handed back as a correction with its variance.
 *
 * Model, per sub-band q (x_q its angular frequency from the band centre, s; l_i = ln H_i, 0 for a
 * station with no echo), for each pair p = (a, b) and each station i:
 *   arg G_pq  = A_p + B_p x_q + Im l_b(x_q) - Im l_a(x_q)       (B_p: what is left of the lag)
 *   ln S_iq   = U_i + V_q + 2 Re l_i(x_q)                       (V_q: the signal's spectrum)
 * G is the pair's coherent cross-spectrum, S the station's own power (SNR) spectrum: the
 * cross-spectrum's magnitude would do too, but block phases that wander with the noise shrink it
 * by a factor that changes with each pair's SNR across the band, which looks like an echo.
 * A, B, U, V enter linearly and are profiled out (weighted least squares, each value weighted by
 * its measured or predicted variance). The echoes are
 * added one station at a time, each where it lowers the chi-square the most and only while the
 * drop beats EVIDENCE_CHI2 (scaled by the fit's reduced chi-square when that exceeds one): the
 * usual station keeps no echo and no correction. The drop measures the curvature and the
 * magnitude ripple an echo leaves; its straight part cannot be told from the lag (B_p) and
 * costs nothing, which is why the correction's variance (from the fit's covariance) grows as the
 * echo gets shorter against the band.
 */

/** Chi-square drop (3 parameters) an echo must bring to be accepted. */
export const EVIDENCE_CHI2 = 25;
/** Echo delays searched, seconds: a grid over [MIN, MAX], then refined. */
const MIN_DELAY_S = 5e-6;
const MAX_DELAY_S = 320e-6;
const DELAY_GRID = 16;
/** |c| is kept below this (a weaker echo; the logarithm then has no branch cut in the band). */
const MAX_AMPLITUDE = 0.8;
/**
 * Prior on the echo's amplitude: c ~ complex normal of this standard deviation per component.
 * Without it a short strong echo (c near -1, delay of a few microseconds) becomes a free smooth
 * function of frequency that fits any small misfit and hands back a large, wrong correction.
 */
const AMPLITUDE_PRIOR_SIGMA = 0.3;
const PRIOR_WEIGHT = 1 / AMPLITUDE_PRIOR_SIGMA ** 2;

export interface PairSpectrum {
  a: number;
  b: number;
  /** Coherent sub-band sums (re/im), after the pair's measured lag was removed. */
  cross: Float64Array;
  phaseVar: Float64Array;
}

/** A station's own power per sub-band (its SNR spectrum summed), for the magnitude part. */
export interface StationLevels {
  /** ln of the sub-band's summed per-bin SNR. */
  logPower: Float64Array;
  /** Variance of that logarithm (what the station's own noise makes of it). */
  variance: Float64Array;
}

export interface StationEcho {
  /** Complex amplitude relative to the direct wave at the band centre. */
  re: number;
  im: number;
  delayS: number;
}

export interface DirectPathFit {
  echoes: (StationEcho | undefined)[];
  /** The band centre the echoes' amplitudes refer to, rad/s. */
  centreRadS: number;
  /** Per pair (input order): seconds to add to the measured lag, and the variance of that. */
  correctionS: number[];
  correctionVarS2: number[];
  chi2: number;
  chi2NoEcho: number;
  dof: number;
}

/** Weighted least-squares projections that remove the linear nuisances (U, V, A, B). */
class Projector {
  readonly pairs: number;
  readonly m: number;
  private readonly vInverse: Float64Array;
  private readonly pairWeight: Float64Array;
  private readonly slopeDen: Float64Array;
  private readonly xBar: Float64Array;

  constructor(
    readonly w: Float64Array,
    readonly x: Float64Array,
    pairs: number,
  ) {
    const m = x.length;
    this.pairs = pairs;
    this.m = m;
    this.pairWeight = new Float64Array(pairs);
    this.xBar = new Float64Array(pairs);
    this.slopeDen = new Float64Array(pairs);
    for (let p = 0; p < pairs; p++) {
      let sw = 0;
      let sx = 0;
      for (let q = 0; q < m; q++) {
        sw += w[p * m + q];
        sx += w[p * m + q] * x[q];
      }
      this.pairWeight[p] = sw;
      this.xBar[p] = sw > 0 ? sx / sw : 0;
      let d = 0;
      for (let q = 0; q < m; q++) d += w[p * m + q] * (x[q] - this.xBar[p]) ** 2;
      this.slopeDen[p] = d;
    }
    // V from the normal equations with U eliminated: S V = r, S = D - sum_p w_p w_p^T / W_p. S is
    // singular along a constant (U and V trade it), so a constant is pinned by adding 11^T.
    const s = new Float64Array(m * m);
    for (let q = 0; q < m; q++) for (let p = 0; p < pairs; p++) s[q * m + q] += w[p * m + q];
    for (let p = 0; p < pairs; p++) {
      const wp = this.pairWeight[p];
      if (!(wp > 0)) continue;
      for (let q = 0; q < m; q++)
        for (let r = 0; r < m; r++) s[q * m + r] -= (w[p * m + q] * w[p * m + r]) / wp;
    }
    let trace = 0;
    for (let q = 0; q < m; q++) trace += s[q * m + q];
    const pin = trace / m || 1;
    for (let q = 0; q < m; q++) {
      // A sub-band with no weight at all: V there is free, pinned to zero.
      if (!(s[q * m + q] > 0)) s[q * m + q] = pin;
      for (let r = 0; r < m; r++) s[q * m + r] += pin / m;
    }
    this.vInverse = invert(s, m);
    this.rhs = new Float64Array(m);
    this.uPart = new Float64Array(pairs);
    this.vq = new Float64Array(m);
  }

  /** Residual of the magnitudes after the best U_p + V_q, in place. */
  private readonly rhs: Float64Array;
  private readonly uPart: Float64Array;
  private readonly vq: Float64Array;

  magnitudes(v: Float64Array): void {
    const { m, pairs, w, rhs, uPart, vq } = this;
    for (let p = 0; p < pairs; p++) {
      let t = 0;
      for (let q = 0; q < m; q++) t += w[p * m + q] * v[p * m + q];
      uPart[p] = this.pairWeight[p] > 0 ? t / this.pairWeight[p] : 0;
    }
    for (let q = 0; q < m; q++) {
      let t = 0;
      for (let p = 0; p < pairs; p++) t += w[p * m + q] * (v[p * m + q] - uPart[p]);
      rhs[q] = t;
    }
    const inv = this.vInverse;
    for (let q = 0; q < m; q++) {
      let t = 0;
      for (let r = 0; r < m; r++) t += inv[q * m + r] * rhs[r];
      vq[q] = t;
    }
    for (let p = 0; p < pairs; p++) {
      let t = 0;
      for (let q = 0; q < m; q++) t += w[p * m + q] * (v[p * m + q] - vq[q]);
      const up = this.pairWeight[p] > 0 ? t / this.pairWeight[p] : 0;
      for (let q = 0; q < m; q++) v[p * m + q] -= up + vq[q];
    }
  }

  /** Weighted slope of pair p's values over x (seconds when v is a phase, rad). */
  slope(v: Float64Array, p: number): number {
    const { m, w, x } = this;
    if (!(this.slopeDen[p] > 0)) return 0;
    let t = 0;
    for (let q = 0; q < m; q++) t += w[p * m + q] * (x[q] - this.xBar[p]) * v[p * m + q];
    return t / this.slopeDen[p];
  }

  /** Residual of the phases after each pair's best line A_p + B_p x, in place. */
  phases(v: Float64Array): void {
    const { m, pairs, w, x } = this;
    for (let p = 0; p < pairs; p++) {
      if (!(this.pairWeight[p] > 0)) continue;
      let mean = 0;
      for (let q = 0; q < m; q++) mean += w[p * m + q] * v[p * m + q];
      mean /= this.pairWeight[p];
      const b = this.slope(v, p);
      for (let q = 0; q < m; q++) v[p * m + q] -= mean + b * (x[q] - this.xBar[p]);
    }
  }
}

/** Inverse of a small symmetric positive-definite matrix (Gauss-Jordan). */
function invert(a: Float64Array, n: number): Float64Array {
  const m = Float64Array.from(a);
  const inv = new Float64Array(n * n);
  for (let i = 0; i < n; i++) inv[i * n + i] = 1;
  for (let c = 0; c < n; c++) {
    let piv = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r * n + c]) > Math.abs(m[piv * n + c])) piv = r;
    if (piv !== c)
      for (let k = 0; k < n; k++) {
        [m[c * n + k], m[piv * n + k]] = [m[piv * n + k], m[c * n + k]];
        [inv[c * n + k], inv[piv * n + k]] = [inv[piv * n + k], inv[c * n + k]];
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
  return inv;
}

/** |H|^2 of a fitted echo at angular frequency omegaRadS (the station's power gain there). */
export function echoPowerGain(e: StationEcho, omegaRadS: number, centreRadS: number): number {
  const ph = -(omegaRadS - centreRadS) * e.delayS;
  const re = 1 + e.re * Math.cos(ph) - e.im * Math.sin(ph);
  const im = e.re * Math.sin(ph) + e.im * Math.cos(ph);
  return re * re + im * im;
}

/** ln(1 + c e^{-i x delta}) and its derivatives by c_re, c_im, delta, at each x. */
function echoLog(e: StationEcho, x: Float64Array) {
  const m = x.length;
  const l = new Float64Array(2 * m);
  const d = [new Float64Array(2 * m), new Float64Array(2 * m), new Float64Array(2 * m)];
  for (let q = 0; q < m; q++) {
    const zr = Math.cos(x[q] * e.delayS);
    const zi = -Math.sin(x[q] * e.delayS);
    // u = c z, h = 1 + u
    const ur = e.re * zr - e.im * zi;
    const ui = e.re * zi + e.im * zr;
    const hr = 1 + ur;
    const hi = ui;
    l[2 * q] = 0.5 * Math.log(hr * hr + hi * hi);
    l[2 * q + 1] = Math.atan2(hi, hr);
    // 1 / h
    const h2 = hr * hr + hi * hi;
    const gr = hr / h2;
    const gi = -hi / h2;
    // d/dc_re = z / h; d/dc_im = i z / h; d/ddelta = -i x u / h
    const ar = zr * gr - zi * gi;
    const ai = zr * gi + zi * gr;
    d[0][2 * q] = ar;
    d[0][2 * q + 1] = ai;
    d[1][2 * q] = -ai;
    d[1][2 * q + 1] = ar;
    const vr = ur * gr - ui * gi;
    const vi = ur * gi + ui * gr;
    d[2][2 * q] = x[q] * vi;
    d[2][2 * q + 1] = -x[q] * vr;
  }
  return { l, d };
}

/**
 * Spreads a station's complex log-channel: the phase part over the pairs (+ where it is b, - where
 * it is a), the magnitude part (2 Re l: a power) into its own row of levels.
 */
function spread(
  station: number,
  l: Float64Array,
  pairs: readonly PairSpectrum[],
  m: number,
  re: Float64Array,
  im: Float64Array,
  scale = 1,
): void {
  for (let q = 0; q < m; q++) re[station * m + q] += 2 * scale * l[2 * q];
  pairs.forEach((pr, p) => {
    const sign = pr.b === station ? 1 : pr.a === station ? -1 : 0;
    if (sign === 0) return;
    for (let q = 0; q < m; q++) im[p * m + q] += scale * sign * l[2 * q + 1];
  });
}

export function fitDirectPaths(
  stations: number,
  pairs: readonly PairSpectrum[],
  omegaRadS: Float64Array,
  levels?: readonly StationLevels[],
  evidenceChi2 = EVIDENCE_CHI2,
): DirectPathFit {
  const m = omegaRadS.length;
  const P = pairs.length;
  const none: DirectPathFit = {
    echoes: new Array<StationEcho | undefined>(stations).fill(undefined),
    centreRadS: 0,
    correctionS: new Array<number>(P).fill(0),
    correctionVarS2: new Array<number>(P).fill(0),
    chi2: 0,
    chi2NoEcho: 0,
    dof: 0,
  };
  const w = new Float64Array(P * m);
  const yIm = new Float64Array(P * m);
  const wm = new Float64Array(stations * m);
  const yRe = new Float64Array(stations * m);
  levels?.forEach((lv, i) => {
    for (let q = 0; q < m; q++) {
      const v = lv.variance[q];
      if (!(v > 0) || !Number.isFinite(v) || !Number.isFinite(lv.logPower[q])) continue;
      wm[i * m + q] = 1 / v;
      yRe[i * m + q] = lv.logPower[q];
    }
  });
  let wx = 0;
  let sw = 0;
  pairs.forEach((pr, p) => {
    for (let q = 0; q < m; q++) {
      const gr = pr.cross[2 * q];
      const gi = pr.cross[2 * q + 1];
      const v = pr.phaseVar[q];
      if (!(gr * gr + gi * gi > 0) || !(v > 0) || !Number.isFinite(v)) continue;
      w[p * m + q] = 1 / v;
      yIm[p * m + q] = Math.atan2(gi, gr);
      wx += omegaRadS[q] / v;
      sw += 1 / v;
    }
  });
  const usedPhases = w.reduce((n, v) => n + (v > 0 ? 1 : 0), 0);
  const usedLevels = wm.reduce((n, v) => n + (v > 0 ? 1 : 0), 0);
  // Nuisances: A_p, B_p per pair; U_i per station and V_q per sub-band where levels are given.
  const nuisance = 2 * P + (usedLevels > 0 ? stations + m - 1 : 0);
  const used = usedPhases + usedLevels;
  if (!(sw > 0) || m < 6 || used - nuisance < 6) return none;
  const centre = wx / sw;
  const x = Float64Array.from(omegaRadS, (o) => o - centre);
  const proj = new Projector(w, x, P);
  const levelProj = new Projector(wm, x, stations);
  const chi2Total = (re: Float64Array, im: Float64Array) => {
    let t = 0;
    for (let k = 0; k < wm.length; k++) t += wm[k] * re[k] * re[k];
    for (let k = 0; k < w.length; k++) t += w[k] * im[k] * im[k];
    return t;
  };
  const echoes: (StationEcho | undefined)[] = new Array<StationEcho | undefined>(stations).fill(
    undefined,
  );

  /** Projected residuals with every echo but `skip`'s removed from the data. */
  const residualWithout = (skip: number) => {
    const re = Float64Array.from(yRe);
    const im = Float64Array.from(yIm);
    echoes.forEach((e, i) => {
      if (!e || i === skip) return;
      spread(i, echoLog(e, x).l, pairs, m, re, im, -1);
    });
    levelProj.magnitudes(re);
    proj.phases(im);
    return { re, im };
  };
  /** Projected model vectors of one station's echo: its value and its first `derivs` derivatives. */
  const modelOf = (i: number, e: StationEcho, derivs = 3) => {
    const { l, d } = echoLog(e, x);
    const vec = (src: Float64Array) => {
      const re = new Float64Array(stations * m);
      const im = new Float64Array(P * m);
      spread(i, src, pairs, m, re, im);
      levelProj.magnitudes(re);
      proj.phases(im);
      return { re, im };
    };
    return { f: vec(l), df: d.slice(0, derivs).map(vec) };
  };
  /**
   * One station's view of the fit, for fast evaluation: its pairs (with the sign of its phase in
   * each) and Q = S^T W P S, the magnitudes' metric after the nuisances are removed, where S puts
   * an M-vector into every pair of the station. The chi-square of an echo e against a projected
   * residual b is then ||b||^2 - 2 l^T beta + l^T Q l (magnitudes; beta = S^T W b) plus, per pair,
   * the phase part with that pair's line removed: O(M^2) a try, nothing allocated.
   */
  const views = Array.from({ length: stations }, (_, i) => {
    const members = pairs.flatMap((pr, p) =>
      pr.b === i ? [{ p, sign: 1 }] : pr.a === i ? [{ p, sign: -1 }] : [],
    );
    const q2 = new Float64Array(m * m);
    const unit = new Float64Array(stations * m);
    for (let c = 0; c < m; c++) {
      if (usedLevels === 0) break;
      unit.fill(0);
      // The level of station i moves by 2 Re l: a unit of l is 2 in its row.
      unit[i * m + c] = 2;
      levelProj.magnitudes(unit);
      for (let r = 0; r < m; r++) q2[r * m + c] = 2 * wm[i * m + r] * unit[i * m + r];
    }
    return { members, q: q2 };
  });
  /** Weighted sums of pair p: total weight, x-bar and the centred x^2 (from the projector). */
  const wOf = (p: number) => {
    let sw = 0;
    let sx = 0;
    for (let q = 0; q < m; q++) {
      sw += w[p * m + q];
      sx += w[p * m + q] * x[q];
    }
    const xb = sw > 0 ? sx / sw : 0;
    let d = 0;
    for (let q = 0; q < m; q++) d += w[p * m + q] * (x[q] - xb) ** 2;
    return { sw, xb, d };
  };
  const pairStats = pairs.map((_, p) => wOf(p));
  /**
   * Chi-square of echo e on station i against the residual b (already projected), and when
   * `free` > 0 the Gauss-Newton normal equations (J^T W J, J^T W r) in its first `free`
   * parameters (prior included).
   */
  const evaluate = (
    b: { re: Float64Array; im: Float64Array; beta: Float64Array; chi: number },
    i: number,
    e: StationEcho,
    free: number,
  ) => {
    const { l, d } = echoLog(e, x);
    const { members, q: Q } = views[i];
    const vecs = [l, ...d.slice(0, free)];
    const nv = vecs.length;
    // Magnitudes: l^T Q l - 2 l^T beta, and the Gram/cross terms of the derivatives.
    const gram = new Float64Array(nv * nv);
    const cross = new Float64Array(nv);
    const qv = vecs.map(() => new Float64Array(m));
    for (let a = 0; a < nv; a++) {
      const va = vecs[a];
      for (let r = 0; r < m; r++) {
        let t = 0;
        for (let c = 0; c < m; c++) t += Q[r * m + c] * va[2 * c];
        qv[a][r] = t;
      }
    }
    for (let a = 0; a < nv; a++) {
      let t = 0;
      for (let r = 0; r < m; r++) t += vecs[a][2 * r] * b.beta[r];
      cross[a] = t;
      for (let c = 0; c <= a; c++) {
        let g = 0;
        for (let r = 0; r < m; r++) g += vecs[c][2 * r] * qv[a][r];
        gram[a * nv + c] = g;
        gram[c * nv + a] = g;
      }
    }
    // Phases, pair by pair: inner products with the pair's line removed.
    const s0 = new Float64Array(nv);
    const s1 = new Float64Array(nv);
    for (const { p, sign } of members) {
      const st = pairStats[p];
      if (!(st.sw > 0)) continue;
      s0.fill(0);
      s1.fill(0);
      for (let q = 0; q < m; q++) {
        const wq = w[p * m + q];
        if (wq === 0) continue;
        const xc = x[q] - st.xb;
        const bq = b.im[p * m + q];
        for (let a = 0; a < nv; a++) {
          const va = vecs[a][2 * q + 1];
          s0[a] += wq * va;
          s1[a] += wq * xc * va;
          // The residual is sign * l: its cross term with b.
          cross[a] += sign * wq * va * bq;
          for (let c = 0; c <= a; c++) gram[a * nv + c] += wq * va * vecs[c][2 * q + 1];
        }
      }
      for (let a = 0; a < nv; a++)
        for (let c = 0; c <= a; c++)
          gram[a * nv + c] -= (s0[a] * s0[c]) / st.sw + (st.d > 0 ? (s1[a] * s1[c]) / st.d : 0);
    }
    for (let a = 0; a < nv; a++) for (let c = 0; c < a; c++) gram[c * nv + a] = gram[a * nv + c];
    const chi = b.chi - 2 * cross[0] + gram[0] + PRIOR_WEIGHT * (e.re * e.re + e.im * e.im);
    if (free === 0) return { chi };
    // J = d (model) / d theta; the residual is b - model, so J^T W r = cross_k - gram_{k,0}.
    const jtj = new Float64Array(free * free);
    const jtr = new Float64Array(free);
    for (let a = 0; a < free; a++) {
      jtr[a] = cross[a + 1] - gram[(a + 1) * nv];
      for (let c = 0; c < free; c++) jtj[a * free + c] = gram[(a + 1) * nv + c + 1];
    }
    jtj[0] += PRIOR_WEIGHT;
    jtj[free + 1] += PRIOR_WEIGHT;
    jtr[0] -= PRIOR_WEIGHT * e.re;
    jtr[1] -= PRIOR_WEIGHT * e.im;
    return { chi, jtj, jtr };
  };
  /** Gauss-Newton (Levenberg-damped) on the echo's parameters; `free` of them move. */
  const refine = (
    base: { re: Float64Array; im: Float64Array; beta: Float64Array; chi: number },
    i: number,
    start: StationEcho,
    free: number,
    iterations: number,
  ) => {
    let e = { ...start };
    let current = evaluate(base, i, e, free);
    let lambda = 1e-3;
    for (let it = 0; it < iterations; it++) {
      const { jtj, jtr } = current as { chi: number; jtj: Float64Array; jtr: Float64Array };
      let improved = false;
      for (let tries = 0; tries < 6 && !improved; tries++) {
        const damped = Float64Array.from(jtj);
        for (let a = 0; a < free; a++) damped[a * free + a] *= 1 + lambda;
        const inv = invert(damped, free);
        const step = new Float64Array(free);
        for (let a = 0; a < free; a++)
          for (let c = 0; c < free; c++) step[a] += inv[a * free + c] * jtr[c];
        const next = { ...e, re: e.re + step[0], im: e.im + step[1] };
        if (free > 2)
          next.delayS = Math.min(MAX_DELAY_S, Math.max(MIN_DELAY_S, e.delayS + step[2]));
        const amp = Math.hypot(next.re, next.im);
        if (amp > MAX_AMPLITUDE) {
          next.re *= MAX_AMPLITUDE / amp;
          next.im *= MAX_AMPLITUDE / amp;
        }
        const trial = evaluate(base, i, next, free);
        if (trial.chi < current.chi) {
          const gain = current.chi - trial.chi;
          e = next;
          current = trial;
          lambda = Math.max(1e-6, lambda / 4);
          improved = true;
          if (gain < 1e-3) it = iterations;
        } else lambda *= 8;
      }
      if (!improved) break;
    }
    return { e, chi: current.chi };
  };
  /** The best echo for station i with the others' fixed. */
  const fitStation = (i: number, from?: StationEcho) => {
    const r = residualWithout(i);
    const zero = chi2Total(r.re, r.im);
    const beta = new Float64Array(m);
    for (let q = 0; q < m; q++) beta[q] = 2 * wm[i * m + q] * r.re[i * m + q];
    const base = { ...r, beta, chi: zero };
    let best = { e: { re: 0, im: 0, delayS: MIN_DELAY_S }, chi: zero };
    const starts: StationEcho[] = from
      ? [from]
      : Array.from({ length: DELAY_GRID }, (_, g) => ({
          re: 0,
          im: 0,
          delayS: MIN_DELAY_S + ((MAX_DELAY_S - MIN_DELAY_S) * g) / (DELAY_GRID - 1),
        }));
    const shortlist: { e: StationEcho; chi: number }[] = [];
    for (const s of starts) shortlist.push(from ? { e: s, chi: zero } : refine(base, i, s, 2, 1));
    shortlist.sort((a, b) => a.chi - b.chi);
    for (const s of shortlist.slice(0, 2)) {
      const r = refine(base, i, s.e, 3, from ? 6 : 10);
      if (r.chi < best.chi) best = r;
    }
    return { zero, ...best };
  };

  const all = () => residualWithout(-1);
  const r0 = all();
  const chi2NoEcho = chi2Total(r0.re, r0.im);
  let chi2 = chi2NoEcho;
  let params = 0;
  const dofOf = (k: number) => Math.max(1, used - nuisance - k);
  // Each station alone first (full delay search), then the echoes taken in order of evidence,
  // each kept only where it still earns its place beside those already in; a last pass refits
  // every echo with the others in place and drops any that no longer pays.
  const alone = Array.from({ length: stations }, (_, i) => ({ i, ...fitStation(i) }));
  alone.sort((a, b) => b.zero - b.chi - (a.zero - a.chi));
  const earns = (f: { zero: number; chi: number }, k: number) =>
    (f.zero - f.chi) / Math.max(1, f.chi / dofOf(k)) >= evidenceChi2;
  for (const cand of alone) {
    if (params / 3 >= stations - 1 || !earns(cand, params + 3)) continue;
    const f = params === 0 ? cand : fitStation(cand.i, cand.e);
    if (!earns(f, params + 3)) continue;
    echoes[cand.i] = f.e;
    params += 3;
  }
  for (let pass = 0; pass < 2 && params > 0; pass++) {
    for (let i = 0; i < stations; i++) {
      const e = echoes[i];
      if (!e) continue;
      const f = fitStation(i, e);
      if (earns(f, params)) echoes[i] = f.e;
      else {
        echoes[i] = undefined;
        params -= 3;
      }
    }
  }
  if (params > 0) {
    const r = all();
    chi2 = chi2Total(r.re, r.im);
  }
  if (params === 0) return { ...none, centreRadS: centre, chi2, chi2NoEcho, dof: dofOf(0) };

  // Covariance of all echo parameters together (Gauss-Newton), scaled by the reduced chi-square.
  const scale = Math.max(1, chi2 / dofOf(params));
  const list = echoes.flatMap((e, i) => (e ? [{ i, e }] : []));
  const cols = list.flatMap(({ i, e }) => modelOf(i, e).df);
  const k = cols.length;
  const jtj = new Float64Array(k * k);
  for (let a = 0; a < k; a++)
    for (let b = 0; b <= a; b++) {
      let s = 0;
      for (let q = 0; q < wm.length; q++) s += wm[q] * cols[a].re[q] * cols[b].re[q];
      for (let q = 0; q < w.length; q++) s += w[q] * cols[a].im[q] * cols[b].im[q];
      jtj[a * k + b] = s;
      jtj[b * k + a] = s;
    }
  // The amplitude's prior (parameters come in threes: c_re, c_im, delay).
  for (let a = 0; a < k; a += 3) {
    jtj[a * k + a] += PRIOR_WEIGHT;
    jtj[(a + 1) * k + a + 1] += PRIOR_WEIGHT;
  }
  const cov = invert(jtj, k).map((v) => v * scale);
  // Each pair's correction: the weighted slope of the echoes' phase over its sub-bands, and its
  // gradient by every parameter (the unprojected phase derivatives, spread the same way).
  const slopes = new Float64Array(P);
  const grads = Array.from({ length: P }, () => new Float64Array(k));
  const phase = new Float64Array(P * m);
  const unused = new Float64Array(stations * m);
  let col = 0;
  for (const { i, e } of list) {
    const { l, d } = echoLog(e, x);
    spread(i, l, pairs, m, unused, phase);
    for (const dv of d) {
      const ph = new Float64Array(P * m);
      spread(i, dv, pairs, m, new Float64Array(stations * m), ph);
      for (let p = 0; p < P; p++) grads[p][col] = proj.slope(ph, p);
      col++;
    }
  }
  const correctionS: number[] = [];
  const correctionVarS2: number[] = [];
  for (let p = 0; p < P; p++) {
    slopes[p] = proj.slope(phase, p);
    let v = 0;
    for (let a = 0; a < k; a++)
      for (let b = 0; b < k; b++) v += grads[p][a] * cov[a * k + b] * grads[p][b];
    // The phase slope is -(lag error): the direct lag is the measured one plus the echoes' slope.
    correctionS.push(slopes[p]);
    correctionVarS2.push(Math.max(0, v));
  }
  return {
    echoes,
    centreRadS: centre,
    correctionS,
    correctionVarS2,
    chi2,
    chi2NoEcho,
    dof: dofOf(params),
  };
}
