/**
 * Evidence of multipath in each station's own spectrum.
 *
 * An echo of relative amplitude alpha and delay delta multiplies a station's spectrum by
 * |H(w)|^2 = 1 + alpha^2 + 2 alpha cos(w delta + phi): a ripple across frequency that the
 * transmitted spectrum, common to every station, does not have. Where the echo is too short to be
 * resolved it biases the station's timing by the group delay of H, about alpha delta cos(theta),
 * and tilts its log-spectrum by d ln|H|^2 / dw, about -2 alpha delta sin(theta) (theta the echo's
 * phase at the band centre): the same scale, in quadrature. So the tilt of a station's
 * log-spectrum against the others' says how large a bias its channel can carry, though not its
 * sign or exact size (TDOA_NOTES.md: an echo of 30 % at 100 us moves a station by about 30 us).
 *
 * Per band bin j and station i, y_ij = ln S_i(w_j) (per-bin SNR); the transmitted spectrum is
 * removed by subtracting the stations' mean at each bin, and a line a_i + b_i w_j is fitted to
 * what remains, weighted by each bin's precision (ln of a Welch average of K blocks has variance
 * about ((1 + S) / S)^2 / K). The slopes' scatter comes from the fit's own residuals, so a
 * spectrum with structure the line does not explain gets a wide error rather than a false tilt.
 * Only the stations' differences are seen: a tilt every station shares belongs to the signal.
 */

/** Bins whose common SNR (the smallest of the stations') is below this carry no usable shape. */
const MIN_BIN_SNR = 1;
/** Weight of the scene-level echo share's prior, in stations (a weak prior: five receivers). */
const SCENE_PRIOR_STATIONS = 5;

export interface ChannelTilt {
  /** d ln S_i / dw relative to the stations' mean, seconds (per station, in input order). */
  slopeS: number[];
  /** Standard error of each slope, seconds. */
  sigmaS: number[];
  /** Bins used. */
  bins: number;
}

/**
 * Each station's spectral tilt against the others over the band. `snr[i]` is station i's per-bin
 * SNR (natural FFT order), `bins` the band's bins, `omegaRadS` their angular frequencies (rad/s).
 * Fewer than two stations or four usable bins: undefined.
 */
export function channelTilts(
  snr: readonly Float64Array[],
  bins: Int32Array,
  omegaRadS: Float64Array,
  blocks: number,
): ChannelTilt | undefined {
  const n = snr.length;
  if (n < 2) return undefined;
  const used: number[] = [];
  for (let j = 0; j < bins.length; j++) {
    let low = Infinity;
    for (const s of snr) low = Math.min(low, s[bins[j]]);
    if (low >= MIN_BIN_SNR) used.push(j);
  }
  if (used.length < 4) return undefined;
  const m = used.length;
  // Per bin: the stations' centred log-SNR and the bin's weight (its least precise station).
  const y = snr.map(() => new Float64Array(m));
  const w = new Float64Array(m);
  const x = new Float64Array(m);
  used.forEach((j, q) => {
    let mean = 0;
    let worst = 0;
    for (let i = 0; i < n; i++) {
      const s = snr[i][bins[j]];
      y[i][q] = Math.log(s);
      mean += y[i][q] / n;
      worst = Math.max(worst, ((1 + s) / s) ** 2);
    }
    for (let i = 0; i < n; i++) y[i][q] -= mean;
    w[q] = blocks / worst;
    x[q] = omegaRadS[j];
  });
  let sw = 0;
  let sx = 0;
  for (let q = 0; q < m; q++) {
    sw += w[q];
    sx += w[q] * x[q];
  }
  const xBar = sx / sw;
  let sxx = 0;
  for (let q = 0; q < m; q++) sxx += w[q] * (x[q] - xBar) ** 2;
  if (!(sxx > 0)) return undefined;
  const slopeS: number[] = [];
  const sigmaS: number[] = [];
  for (let i = 0; i < n; i++) {
    let sy = 0;
    let sxy = 0;
    for (let q = 0; q < m; q++) {
      sy += w[q] * y[i][q];
      sxy += w[q] * (x[q] - xBar) * y[i][q];
    }
    const slope = sxy / sxx;
    const intercept = sy / sw - slope * xBar;
    // Residual scatter against the weights' prediction (1 if the weights are right): neighbouring
    // bins of Hann blocks are correlated and a ripple is not a line, so the data say how much.
    let chi2 = 0;
    for (let q = 0; q < m; q++) chi2 += w[q] * (y[i][q] - intercept - slope * x[q]) ** 2;
    const scale = Math.max(1, chi2 / Math.max(1, m - 2));
    slopeS.push(slope);
    sigmaS.push(Math.sqrt(scale / sxx));
  }
  return { slopeS, sigmaS, bins: m };
}

/**
 * Each station's probability of carrying a multipath bias, from its tilt. The tilts are taken
 * against their median (the transmitted spectrum's own tilt is common to all; most stations of a
 * scene, or at least half, are taken to be clean). With an echo of Rayleigh-distributed
 * strength and uniform phase, the bias (alpha delta cos theta) and half the tilt
 * (alpha delta sin theta) are independent Gaussians of the same variance `biasS2`: the tilt says
 * whether a station has an echo, not how large its bias is. So, per station, a Bayes factor
 * between tilt ~ N(0, sigma^2) (clean) and N(0, sigma^2 + 4 biasS2) (echo) raises the prior
 * share where it favours the echo (and leaves it where it does not).
 */
export function echoShares(
  tilt: Pick<ChannelTilt, 'slopeS' | 'sigmaS'>,
  priorShare: number,
  biasS2: number,
): number[] {
  const sorted = [...tilt.slopeS].sort((a, b) => a - b);
  const mid = sorted.length / 2;
  const centre = sorted.length % 2 ? sorted[Math.floor(mid)] : (sorted[mid - 1] + sorted[mid]) / 2;
  // Evidence for an echo only: a flat spectrum does not clear a station of the biases that do
  // not tilt it (a sky wave every station shares, a receiver's own group delay, a position a
  // few hundred metres off), which the prior share also stands for. On the real DCF77 set a
  // rule that lowered the share too made the 95 % region miss (report of h12acc).
  const logBf = tilt.slopeS.map((slope, i) => {
    const t2 = (slope - centre) ** 2;
    const v0 = tilt.sigmaS[i] ** 2;
    const v1 = v0 + 4 * biasS2;
    // log N(t; 0, v1) - log N(t; 0, v0), where it favours the echo
    return Math.max(0, 0.5 * Math.log(v0 / v1) + 0.5 * t2 * (1 / v0 - 1 / v1));
  });
  const shares = (share: number) =>
    logBf.map((b) => 1 / (1 + Math.exp(-(Math.log(share / (1 - share)) + b))));
  // Echoes come by scene (one terrain, one ionosphere, one band): stations seen echoed make
  // echoes at the others more likely. The scene's share has a Beta prior of mean `priorShare`
  // worth SCENE_PRIOR_STATIONS stations, and its posterior mean given the stations' shares
  // (a fixed point, a few iterations) is each station's prior.
  const a = priorShare * SCENE_PRIOR_STATIONS;
  let share = priorShare;
  for (let it = 0; it < 20; it++) {
    const sum = shares(share).reduce((x, y) => x + y, 0);
    share = (a + sum) / (SCENE_PRIOR_STATIONS + logBf.length);
  }
  return shares(Math.max(priorShare, share));
}
