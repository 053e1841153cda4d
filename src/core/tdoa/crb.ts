/**
 * Cramer-Rao bounds for TDoA: how well any unbiased estimator can do, given the signal's spectrum,
 * the stations' SNRs, the observation time and the geometry. The evaluation divides measured
 * errors by these to say how close the solver comes to the physical limit.
 *
 * Time delay between two stations (Knapp & Carter 1976, eq. 13, for jointly Gaussian signals in
 * white noise, written for complex baseband; the carrier's phase is unknown, so only the
 * envelope times, hence f - fbar):
 *
 *   var(tau_ab) >= 1 / (2 T sum_f (2 pi (f - fbar))^2 gamma_ab(f) df),
 *   gamma_ab = S_a S_b / (1 + S_a + S_b),
 *
 * with S the per-bin SNR (signal PSD / noise PSD) and fbar the gamma-weighted mean frequency
 * (removing an unknown common phase leaves exactly this centred second moment).
 *
 * For position the N - 1 delays against a reference are correlated (they share its noise). At
 * high SNR, 1 / gamma = 1 / S_a + 1 / S_b, so the pair variance splits into one share per station,
 * sigma_k^2 = 1 / (2 T sum (2 pi (f - fbar))^2 S_k df); differences against reference r then have
 * covariance C_kk = var(tau_rk) + clock_r + clock_k and C_kl = sigma_r^2 + clock_r, where clock is
 * each station's time-reference variance. This is exact at high SNR; at low SNR the diagonal keeps
 * Knapp & Carter's full pair term. The position's Fisher information is H^T C^-1 H with
 * H_k = (grad d_k - grad d_r) / c at the transmitter.
 */
import type { Cov2 } from '../ellipse';
import { HeimdallError } from '../errors';

const SPEED_OF_LIGHT_M_PER_S = 299_792_458;

/** A spectrum on uniform bins: per-bin SNR of one or two stations over frequencies (Hz). */
function checkBins(freqHz: ArrayLike<number>, ...snrs: ArrayLike<number>[]): void {
  for (const s of snrs) {
    if (s.length !== freqHz.length)
      throw new HeimdallError('ConfigError', 'CRB: SNR and frequency arrays differ in length');
  }
}

function centredInformation(
  freqHz: ArrayLike<number>,
  weight: (k: number) => number,
  durationS: number,
  binHz: number,
): number {
  let w0 = 0;
  let w1 = 0;
  for (let k = 0; k < freqHz.length; k++) {
    const w = weight(k);
    w0 += w;
    w1 += w * freqHz[k];
  }
  if (!(w0 > 0)) return 0;
  const mean = w1 / w0;
  let w2 = 0;
  for (let k = 0; k < freqHz.length; k++) w2 += weight(k) * (2 * Math.PI * (freqHz[k] - mean)) ** 2;
  return 2 * durationS * w2 * binHz;
}

/** Knapp & Carter's bound on the variance of the delay between stations a and b, s^2. */
export function pairDelayCrbS2(
  freqHz: ArrayLike<number>,
  snrA: ArrayLike<number>,
  snrB: ArrayLike<number>,
  durationS: number,
  binHz: number,
): number {
  checkBins(freqHz, snrA, snrB);
  const gamma = (k: number) => (snrA[k] * snrB[k]) / (1 + snrA[k] + snrB[k]);
  return 1 / centredInformation(freqHz, gamma, durationS, binHz);
}

/** One station's high-SNR share of a pair's delay variance, s^2. */
export function stationDelayShareS2(
  freqHz: ArrayLike<number>,
  snr: ArrayLike<number>,
  durationS: number,
  binHz: number,
): number {
  checkBins(freqHz, snr);
  return 1 / centredInformation(freqHz, (k) => snr[k], durationS, binHz);
}

export interface CrbStation {
  /** Azimuth from the transmitter to the station, degrees clockwise from north. */
  azimuthDeg: number;
  /** The station's share sigma_k^2, s^2 (stationDelayShareS2). */
  shareS2: number;
  /** Variance of its time reference (GPS stamps), s^2. */
  clockVarianceS2?: number;
}

/**
 * The Cholesky factor L (A = L L^T) of a symmetric matrix, row-major; undefined when a pivot is not
 * above minPivot (A is not positive definite, or is singular to that tolerance).
 */
function choleskyFactor(a: number[][], minPivot = 0): number[][] | undefined {
  const n = a.length;
  const l = a.map(() => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i][j];
      for (let k = 0; k < j; k++) s -= l[i][k] * l[j][k];
      if (i === j) {
        if (!(s > minPivot)) return undefined;
        l[i][i] = Math.sqrt(s);
      } else l[i][j] = s / l[j][j];
    }
  }
  return l;
}

/** Solves the symmetric positive definite system A X = B (Cholesky); A n x n, B n x m, row-major. */
function choleskySolve(a: number[][], b: number[][]): number[][] {
  const l = choleskyFactor(a);
  if (!l) throw new HeimdallError('ConfigError', 'CRB: delay covariance is not positive definite');
  return solveWithFactor(l, b);
}

function solveWithFactor(l: number[][], b: number[][]): number[][] {
  const n = l.length;
  const m = b[0].length;
  const x = b.map((row) => row.slice());
  for (let c = 0; c < m; c++) {
    for (let i = 0; i < n; i++) {
      let s = x[i][c];
      for (let k = 0; k < i; k++) s -= l[i][k] * x[k][c];
      x[i][c] = s / l[i][i];
    }
    for (let i = n - 1; i >= 0; i--) {
      let s = x[i][c];
      for (let k = i + 1; k < n; k++) s -= l[k][i] * x[k][c];
      x[i][c] = s / l[i][i];
    }
  }
  return x;
}

/**
 * The position CRB (east/north covariance at the transmitter, m^2) from the delays of every
 * station against `reference`. `pairVarianceS2(r, k)` is the pair bound (pairDelayCrbS2); with
 * fewer than three stations, or all on one line through the transmitter, it is undefined.
 */
export function tdoaPositionCrb(
  stations: readonly CrbStation[],
  pairVarianceS2: (reference: number, k: number) => number,
  reference = 0,
): Cov2 | undefined {
  const others = stations.map((_, k) => k).filter((k) => k !== reference);
  if (others.length < 2) return undefined;
  const clock = (k: number) => stations[k].clockVarianceS2 ?? 0;
  const grad = (k: number) => {
    const az = (stations[k].azimuthDeg * Math.PI) / 180;
    // Moving the transmitter towards a station shortens the path: d(distance)/d(east, north).
    return [-Math.sin(az), -Math.cos(az)];
  };
  const g0 = grad(reference);
  const h = others.map((k) => {
    const g = grad(k);
    return [(g[0] - g0[0]) / SPEED_OF_LIGHT_M_PER_S, (g[1] - g0[1]) / SPEED_OF_LIGHT_M_PER_S];
  });
  const shared = stations[reference].shareS2 + clock(reference);
  const c = others.map((k, i) =>
    others.map((l, j) =>
      i === j ? pairVarianceS2(reference, k) + clock(reference) + clock(k) : shared,
    ),
  );
  const x = choleskySolve(c, h);
  let jee = 0;
  let jen = 0;
  let jnn = 0;
  h.forEach((row, i) => {
    jee += row[0] * x[i][0];
    jen += row[0] * x[i][1];
    jnn += row[1] * x[i][1];
  });
  const det = jee * jnn - jen * jen;
  // A singular information matrix: the geometry does not fix the position.
  if (!(det > 1e-12 * (jee * jnn))) return undefined;
  return { ee: jnn / det, en: -jen / det, nn: jee / det };
}

/** Median of |N(0, 1)|: the 1-D median radial error per sigma. */
const HALF_NORMAL_MEDIAN = 0.6744897501960817;
const MIN_ANGLE_STEPS = 1024;
const MAX_ANGLE_STEPS = 1 << 17;
/** Below this axis ratio (minor/major variance) the error is 1-D to within the ratio itself. */
const THIN_RATIO = 1e-7;

/**
 * P(|e| <= r) for e ~ N(0, diag(l1, l2)). In the angle psi of the whitened frame the radial
 * integral is closed-form: P = (1 / 2 pi) * integral over psi of
 * 1 - exp(-r^2 / (2 (l1 cos^2 psi + l2 sin^2 psi))), a smooth periodic integrand, for which the
 * midpoint rule converges geometrically once the steps resolve its narrowest feature, about
 * sqrt(l2 / l1) wide around psi = pi / 2.
 */
function radialCdf(r: number, l1: number, l2: number, steps: number): number {
  let sum = 0;
  for (let i = 0; i < steps; i++) {
    const psi = (2 * Math.PI * (i + 0.5)) / steps;
    const v = l1 * Math.cos(psi) ** 2 + l2 * Math.sin(psi) ** 2;
    sum += -Math.expm1((-r * r) / (2 * v));
  }
  return sum / steps;
}

/** The covariance's principal variances, largest first. */
function principalVariances(cov: Cov2): [number, number] {
  const tr = cov.ee + cov.nn;
  const disc = Math.sqrt(((cov.ee - cov.nn) / 2) ** 2 + cov.en ** 2);
  return [tr / 2 + disc, Math.max(0, tr / 2 - disc)];
}

/** Angle steps for radialCdf to resolve an ellipse of axis ratio sqrt(l2 / l1). */
function angleSteps(l1: number, l2: number): number {
  return Math.min(
    MAX_ANGLE_STEPS,
    Math.max(MIN_ANGLE_STEPS, 4 * Math.ceil(16 / Math.sqrt(l2 / l1))),
  );
}

/** P(|e| <= r) for a 2-D Gaussian error e ~ N(0, cov): how often an efficient solver is within r. */
export function radialErrorProbability(cov: Cov2, r: number): number {
  const [l1, l2] = principalVariances(cov);
  if (!(l1 > 0)) return r >= 0 ? 1 : 0;
  if (l2 < THIN_RATIO * l1) {
    // 1-D: P(|x| <= r) = erf(r / sqrt(2 l1)), by the same closed form with l2 = 0.
    return radialCdf(r, l1, 0, MAX_ANGLE_STEPS);
  }
  return radialCdf(r, l1, l2, angleSteps(l1, l2));
}

/**
 * The median distance of a 2-D Gaussian error from its centre (the CEP, circular error probable),
 * m: the error an efficient estimator exceeds half the time.
 */
export function medianRadialErrorM(cov: Cov2): number {
  const [l1, l2] = principalVariances(cov);
  if (!(l1 > 0)) return 0;
  if (l2 < THIN_RATIO * l1) return HALF_NORMAL_MEDIAN * Math.sqrt(l1);
  const steps = angleSteps(l1, l2);
  // Bracket: the 1-D median (l2 = 0) below, the circular one for l1 = l2 = l1 + l2 above.
  let lo = HALF_NORMAL_MEDIAN * Math.sqrt(l1);
  let hi = Math.sqrt(2 * Math.LN2 * (l1 + l2));
  for (let i = 0; i < 100 && hi - lo > 1e-13 * hi; i++) {
    const mid = (lo + hi) / 2;
    if (radialCdf(mid, l1, l2, steps) < 0.5) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** An echo of the direct wave: relative amplitude, extra delay (s) and phase (rad) at baseband 0 Hz. */
export interface EchoPath {
  relativeAmplitude: number;
  delayS: number;
  phaseRad: number;
}

/**
 * One station's high-SNR share when its channel also holds echoes whose amplitudes, phases and
 * delays are unknown (three nuisances each), s^2. An echo multiplies the station's spectrum by
 * H(w) = 1 + sum c e^{-i w delta}; with the transmitted spectrum common to all stations, each bin
 * of the station against a clean one measures ln H (its real part from the level, its imaginary
 * part from the phase) with variance 1 / SNR, so the Fisher information of parameters a, b is
 * 2 T sum Re(conj(d_a ln X) d_b ln X) S |H|^2 df, with ln X = -i w tau + i phi + g + ln H (phi and g:
 * the station's unknown phase and gain). Without echoes this is stationDelayShareS2 exactly (g is
 * orthogonal, phi centres the frequencies). An echo's information about tau is what its straight
 * part shares with the delay: the shorter the echo against the inverse bandwidth, the more of the
 * delay it takes. This is the bound with the echoes in it: the plain one (stationDelayShareS2) is
 * what an estimator that knew every echo could reach.
 *
 * With phaseOnly, the levels are taken to say nothing (their real parts dropped, and the gain with
 * them): the bound of a solver that does not trust its receivers' passbands to match, as the
 * direct-path fit does not (measureLags.ts subbandLevels gives each level a standard error of at
 * least 0.1 in ln power, against 1 / sqrt(SNR) per bin here).
 */
export function echoedStationShareS2(
  freqHz: ArrayLike<number>,
  snr: ArrayLike<number>,
  durationS: number,
  binHz: number,
  echoes: readonly EchoPath[],
  phaseOnly = false,
): number {
  checkBins(freqHz, snr);
  const k = 3 + 3 * echoes.length;
  const fisher = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  const dRe = new Float64Array(k);
  const dIm = new Float64Array(k);
  for (let q = 0; q < freqHz.length; q++) {
    const w = 2 * Math.PI * freqHz[q];
    // H and, per echo, u = c e^{-i w delta}.
    let hr = 1;
    let hi = 0;
    const us = echoes.map((e) => {
      const ph = e.phaseRad - w * e.delayS;
      const u = [e.relativeAmplitude * Math.cos(ph), e.relativeAmplitude * Math.sin(ph)];
      hr += u[0];
      hi += u[1];
      return u;
    });
    const h2 = hr * hr + hi * hi;
    const weight = snr[q] * h2;
    if (!(weight > 0)) continue;
    // d tau = -i w, d phi = i, d g = 1.
    dRe[0] = 0;
    dIm[0] = -w;
    dRe[1] = 0;
    dIm[1] = 1;
    dRe[2] = 1;
    dIm[2] = 0;
    echoes.forEach((e, j) => {
      // z / H with z = e^{-i w delta}; d c_re = z / H, d c_im = i z / H, d delta = -i w u / H.
      const zr = Math.cos(w * e.delayS);
      const zi = -Math.sin(w * e.delayS);
      const ar = (zr * hr + zi * hi) / h2;
      const ai = (zi * hr - zr * hi) / h2;
      const [ur, ui] = us[j];
      const br = (ur * hr + ui * hi) / h2;
      const bi = (ui * hr - ur * hi) / h2;
      const o = 3 + 3 * j;
      dRe[o] = ar;
      dIm[o] = ai;
      dRe[o + 1] = -ai;
      dIm[o + 1] = ar;
      dRe[o + 2] = w * bi;
      dIm[o + 2] = -w * br;
    });
    if (phaseOnly) dRe.fill(0);
    const scale = 2 * durationS * binHz * weight;
    for (let a = 0; a < k; a++)
      for (let b = 0; b <= a; b++) fisher[a][b] += scale * (dRe[a] * dRe[b] + dIm[a] * dIm[b]);
  }
  for (let a = 0; a < k; a++) for (let b = 0; b < a; b++) fisher[b][a] = fisher[a][b];
  // Phases only: the gain (index 2) is then seen by nothing; leave it out.
  if (phaseOnly) {
    fisher.splice(2, 1);
    for (const row of fisher) row.splice(2, 1);
  }
  // The delay's variance: the first entry of the inverse, solved on the matrix scaled to a unit
  // diagonal (delays in seconds against unit amplitudes span many decades). Information that is
  // singular to double precision there (a single tone: an echo's ripple, the delay and the phase
  // are then one line) leaves the delay undetermined: no unbiased solver that must find the echo
  // bounds it, so the share is infinite.
  const d = fisher.map((row, a) => Math.sqrt(row[a]));
  if (!d.every((v) => v > 0)) return Infinity;
  const scaled = fisher.map((row, a) => row.map((v, b) => v / (d[a] * d[b])));
  const l = choleskyFactor(scaled, SINGULAR_PIVOT);
  if (!l) return Infinity;
  return (
    solveWithFactor(
      l,
      scaled.map((_, a) => [a === 0 ? 1 : 0]),
    )[0][0] /
    (d[0] * d[0])
  );
}

/** A pivot of the unit-diagonal information matrix at or below this: singular to double precision. */
const SINGULAR_PIVOT = 1e-12;
