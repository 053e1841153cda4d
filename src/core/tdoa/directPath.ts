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
 * usual station keeps no echo and no correction. Then, twice, every echo is searched again with
 * the others in place and all are refined together: echoes on several stations trade ripple
 * between them, and one at a time the fit stops far from the best. Each pair's correction is the
 * fit's own direct lag (the data's phase slope less the echoes', in the fit's weights) against the
 * lag the estimator measured. The drop measures the curvature and the
 * magnitude ripple an echo leaves; its straight part cannot be told from the lag (B_p) and
 * costs nothing, which is why the correction's variance (from the fit's covariance) grows as the
 * echo gets shorter against the band.
 */

import {
  EchoSearch,
  MAX_AMPLITUDE,
  MAX_DELAY_S,
  MIN_DELAY_S,
  PRIOR_WEIGHT,
  echoLogInto,
  invertInto,
  type EchoSearchData,
} from './echoSearch';

/** Chi-square drop (3 parameters) an echo must bring to be accepted. */
export const EVIDENCE_CHI2 = 25;
/** Rounds of station-by-station revision and joint refinement of the fitted echoes. */
const REVISIONS = 2;
/** Levenberg-Marquardt iterations of the joint refinement of every fitted echo. */
const JOINT_ITERATIONS = 30;
/** Echo delays searched: a grid of this many over [MIN_DELAY_S, MAX_DELAY_S], then refined. */
const DELAY_GRID = 16;

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
  /** Per pair: its total weight, the weighted mean of x and the weighted centred sum of x^2. */
  readonly pairWeight: Float64Array;
  readonly slopeDen: Float64Array;
  readonly xBar: Float64Array;

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

/** Inverse of a small symmetric positive-definite matrix (Gauss-Jordan), in new memory. */
function invert(a: Float64Array, n: number): Float64Array {
  const inv = new Float64Array(n * n);
  invertInto(a, n, new Float64Array(n * n), inv);
  return inv;
}

/** |H|^2 of a fitted echo at angular frequency omegaRadS (the station's power gain there). */
export function echoPowerGain(e: StationEcho, omegaRadS: number, centreRadS: number): number {
  const ph = -(omegaRadS - centreRadS) * e.delayS;
  const re = 1 + e.re * Math.cos(ph) - e.im * Math.sin(ph);
  const im = e.re * Math.sin(ph) + e.im * Math.cos(ph);
  return re * re + im * im;
}

/** ln(1 + c e^{-i x delta}) and its derivatives by c_re, c_im, delta, at each x (new memory). */
function echoLog(e: StationEcho, x: Float64Array) {
  const m2 = 2 * x.length;
  const all = new Float64Array(4 * m2);
  echoLogInto(e.re, e.im, e.delayS, x, all, 3);
  return {
    l: all.subarray(0, m2),
    d: [all.subarray(m2, 2 * m2), all.subarray(2 * m2, 3 * m2), all.subarray(3 * m2)],
  };
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

/** The weighted inner product of two (levels re, phases im) vectors, the chi-square's metric. */
function weightedDot(
  wm: Float64Array,
  w: Float64Array,
  u: { re: Float64Array; im: Float64Array },
  v: { re: Float64Array; im: Float64Array },
): number {
  let t = 0;
  for (let q = 0; q < wm.length; q++) t += wm[q] * u.re[q] * v.re[q];
  for (let q = 0; q < w.length; q++) t += w[q] * u.im[q] * v.im[q];
  return t;
}

/** The weighted sum of squares of the magnitudes' (re) and the phases' (im) residuals. */
function chi2Total(wm: Float64Array, w: Float64Array, re: Float64Array, im: Float64Array): number {
  let t = 0;
  for (let k = 0; k < wm.length; k++) t += wm[k] * re[k] * re[k];
  for (let k = 0; k < w.length; k++) t += w[k] * im[k] * im[k];
  return t;
}

/**
 * What the echo search reads, built once per fit: each station's pairs (with the sign of its
 * phase in each) and Q = S^T W P S, the magnitudes' metric after the nuisances are removed, where
 * S puts an M-vector into every pair of the station; and each pair's weight sums (the phase
 * projector's).
 */
function searchData(
  stations: number,
  pairs: readonly PairSpectrum[],
  w: Float64Array,
  wm: Float64Array,
  x: Float64Array,
  proj: Projector,
  levelProj: Projector,
  withLevels: boolean,
): EchoSearchData {
  const m = x.length;
  const memberPairs: Int32Array[] = [];
  const memberSigns: Float64Array[] = [];
  const q: Float64Array[] = [];
  const unit = new Float64Array(stations * m);
  for (let i = 0; i < stations; i++) {
    const members = pairs.flatMap((pr, p) =>
      pr.b === i ? [{ p, sign: 1 }] : pr.a === i ? [{ p, sign: -1 }] : [],
    );
    memberPairs.push(Int32Array.from(members, (e) => e.p));
    memberSigns.push(Float64Array.from(members, (e) => e.sign));
    const q2 = new Float64Array(m * m);
    for (let c = 0; c < m && withLevels; c++) {
      unit.fill(0);
      // The level of station i moves by 2 Re l: a unit of l is 2 in its row.
      unit[i * m + c] = 2;
      levelProj.magnitudes(unit);
      for (let r = 0; r < m; r++) q2[r * m + c] = 2 * wm[i * m + r] * unit[i * m + r];
    }
    q.push(q2);
  }
  return {
    x,
    w,
    pairSw: proj.pairWeight,
    pairXb: proj.xBar,
    pairD: proj.slopeDen,
    memberPairs,
    memberSigns,
    q,
  };
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
  const search = new EchoSearch(
    searchData(stations, pairs, w, wm, x, proj, levelProj, usedLevels > 0),
  );
  /** The best echo for station i with the others' fixed. */
  const fitStation = (i: number, from?: StationEcho) => {
    const r = residualWithout(i);
    const zero = chi2Total(wm, w, r.re, r.im);
    const beta = new Float64Array(m);
    for (let q = 0; q < m; q++) beta[q] = 2 * wm[i * m + q] * r.re[i * m + q];
    search.setBase(i, r.im, beta, zero);
    let best = { e: { re: 0, im: 0, delayS: MIN_DELAY_S }, chi: zero };
    const shortlist: { e: StationEcho; chi: number }[] = [];
    if (from) shortlist.push({ e: from, chi: zero });
    else
      for (let g = 0; g < DELAY_GRID; g++) {
        const delayS = MIN_DELAY_S + ((MAX_DELAY_S - MIN_DELAY_S) * g) / (DELAY_GRID - 1);
        const f = search.refine(0, 0, delayS, 2, 1);
        shortlist.push({ e: { re: f.re, im: f.im, delayS: f.delayS }, chi: f.chi });
      }
    shortlist.sort((a, b) => a.chi - b.chi);
    for (const s of shortlist.slice(0, 2)) {
      const f = search.refine(s.e.re, s.e.im, s.e.delayS, 3, from ? 6 : 10);
      if (f.chi < best.chi) best = { e: { re: f.re, im: f.im, delayS: f.delayS }, chi: f.chi };
    }
    return { zero, ...best };
  };

  const all = () => residualWithout(-1);
  const r0 = all();
  const chi2NoEcho = chi2Total(wm, w, r0.re, r0.im);
  let chi2 = chi2NoEcho;
  let params = 0;
  const dofOf = (k: number) => Math.max(1, used - nuisance - k);
  /**
   * Every fitted echo refined together (Levenberg-Marquardt on all their parameters at once, the
   * amplitude prior included). One station at a time, the fit crawls along the valley two echoes
   * make when they trade a ripple between them (a channel their stations share is invisible); from
   * the stations' own fits it stopped with a chi-square many times its degrees of freedom
   * (tests/tdoa/directPath.test.ts, every station echoed).
   */
  function jointRefine(): void {
    const list = echoes.flatMap((e, i) => (e ? [i] : []));
    const k = 3 * list.length;
    const objective = () => {
      const r = all();
      let prior = 0;
      for (const i of list) prior += PRIOR_WEIGHT * (echoes[i]!.re ** 2 + echoes[i]!.im ** 2);
      return { r, value: chi2Total(wm, w, r.re, r.im) + prior };
    };
    let current = objective();
    let lambda = 1e-3;
    const jtj = new Float64Array(k * k);
    const jtr = new Float64Array(k);
    for (let it = 0; it < JOINT_ITERATIONS; it++) {
      // J: the projected model's derivatives (residual = data - model, so J^T W r goes uphill).
      const cols = list.flatMap((i) => modelOf(i, echoes[i]!).df);
      for (let a = 0; a < k; a++) {
        jtr[a] = weightedDot(wm, w, cols[a], current.r);
        for (let b = 0; b <= a; b++) {
          const t = weightedDot(wm, w, cols[a], cols[b]);
          jtj[a * k + b] = t;
          jtj[b * k + a] = t;
        }
      }
      list.forEach((i, j) => {
        const e = echoes[i]!;
        jtj[3 * j * k + 3 * j] += PRIOR_WEIGHT;
        jtj[(3 * j + 1) * k + 3 * j + 1] += PRIOR_WEIGHT;
        jtr[3 * j] -= PRIOR_WEIGHT * e.re;
        jtr[3 * j + 1] -= PRIOR_WEIGHT * e.im;
      });
      const before = list.map((i) => echoes[i]!);
      let improved = false;
      for (let tries = 0; tries < 8 && !improved; tries++) {
        const damped = Float64Array.from(jtj);
        for (let a = 0; a < k; a++) damped[a * k + a] *= 1 + lambda;
        const inv = invert(damped, k);
        list.forEach((i, j) => {
          const step = [0, 1, 2].map((c) => {
            let t = 0;
            for (let b = 0; b < k; b++) t += inv[(3 * j + c) * k + b] * jtr[b];
            return t;
          });
          let re = before[j].re + step[0];
          let im = before[j].im + step[1];
          const amp = Math.hypot(re, im);
          if (amp > MAX_AMPLITUDE) {
            re *= MAX_AMPLITUDE / amp;
            im *= MAX_AMPLITUDE / amp;
          }
          const delayS = Math.min(MAX_DELAY_S, Math.max(MIN_DELAY_S, before[j].delayS + step[2]));
          echoes[i] = { re, im, delayS };
        });
        const trial = objective();
        if (trial.value < current.value) {
          const gain = current.value - trial.value;
          current = trial;
          lambda = Math.max(1e-6, lambda / 4);
          improved = true;
          if (gain < 1e-3) it = JOINT_ITERATIONS;
        } else {
          list.forEach((i, j) => (echoes[i] = before[j]));
          lambda *= 8;
        }
      }
      if (!improved) break;
    }
  }

  // Each station alone first (full delay search), then the echoes taken in order of evidence,
  // each kept only where it still earns its place beside those already in; then revisions
  // (revise, jointRefine) that refit every echo with the others in place and drop any that no
  // longer pays.
  const alone = Array.from({ length: stations }, (_, i) => ({ i, ...fitStation(i) }));
  alone.sort((a, b) => b.zero - b.chi - (a.zero - a.chi));
  const earns = (f: { zero: number; chi: number }, k: number) =>
    (f.zero - f.chi) / Math.max(1, f.chi / dofOf(k)) >= evidenceChi2;
  /**
   * Station i's echo with the others in place: refined from `from`, and searched afresh over every
   * delay. `from` was fitted while other stations' echoes were missing from the model, and may have
   * taken up their ripple; from there the refinement alone stays in that wrong valley.
   */
  const refitStation = (i: number, from: StationEcho) => {
    const kept = fitStation(i, from);
    const fresh = fitStation(i);
    return fresh.chi < kept.chi ? fresh : kept;
  };
  // Every station may hold an echo (eval:tdoa's multipath scenes echo 70 % of them). What the
  // data cannot see, a channel all stations share, cancels from every lag; the amplitude prior
  // keeps the fit from wandering along it.
  for (const cand of alone) {
    if (!earns(cand, params + 3)) continue;
    const f = params === 0 ? cand : refitStation(cand.i, cand.e);
    if (!earns(f, params + 3)) continue;
    echoes[cand.i] = f.e;
    params += 3;
  }
  /**
   * Each echo refitted with the others in place (dropped where it no longer earns), then any
   * station still without one tried again.
   */
  const revise = () => {
    for (let i = 0; i < stations; i++) {
      const e = echoes[i];
      if (!e) continue;
      const f = refitStation(i, e);
      if (earns(f, params)) echoes[i] = f.e;
      else {
        echoes[i] = undefined;
        params -= 3;
      }
    }
    // A station passed over while the others' echoes were missing may earn one now.
    for (let i = 0; i < stations; i++) {
      if (echoes[i]) continue;
      const f = fitStation(i);
      if (!earns(f, params + 3)) continue;
      echoes[i] = f.e;
      params += 3;
    }
  };
  // Station by station, then all together, twice: a joint step can leave one echo in a valley
  // only a fresh search over delays leaves (the station's echo taken up by its neighbours').
  for (let round = 0; round < REVISIONS && params > 0; round++) {
    revise();
    if (params > 0) jointRefine();
  }
  if (params > 0) {
    const r = all();
    chi2 = chi2Total(wm, w, r.re, r.im);
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
      const t = weightedDot(wm, w, cols[a], cols[b]);
      jtj[a * k + b] = t;
      jtj[b * k + a] = t;
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
    // The fit's own direct lag against the measured one: what is left of the data's phase slope
    // once the echoes' phase is taken out, in the fit's weights. The lag estimator weights the
    // band its own way (pairLag.ts), and an echo's phase is far from straight: an echo of 0.4 at
    // 100-200 us ripples with a period of 5-10 kHz, so the slope of the same ripple over a few kHz
    // moves by tens of microseconds with the weighting. The echo's slope alone, added to the
    // estimator's lag, left errors of that size; with the data's slope in the same weights beside
    // it, the weighting cancels.
    slopes[p] = proj.slope(phase, p);
    if (slopes[p] !== 0) slopes[p] -= proj.slope(yIm, p);
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
