/**
 * Each station's share of the pairs' timing variance, shaped by its own spectrum and scaled by
 * the pairs' measured scatter.
 *
 * At high SNR a pair's delay variance splits into one share per station (crb.ts):
 * sigma_ab^2 = s_a + s_b with s_k proportional to 1 / I_k, I_k = sum_f (w - wbar_k)^2 S_k(w) over
 * the band (S_k the station's per-bin SNR): a station twice as strong times twice as well. The
 * jackknife errors of the pairs (pairLag.ts) see what the spectra do not, but each has only about
 * 11 degrees of freedom (12 groups), and splitting them into stations (closure.ts,
 * stationVariances) amplifies that scatter: on eval:tdoa's clean FSK scenes (seed 1) a station
 * came out at a quarter of its bound's share and another at twice, and the position, weighted by
 * them, missed the bound's weighting: 1.57x the bound where the same lags weighted by the bound's
 * shares give 0.97x (scene 19), 1.43x against 1.05x (scene 27).
 *
 * So each station's variance is c / I_k, with one scale c for the scene from all its pairs (the
 * median of sigma_ab^2 / (1 / I_a + 1 / I_b): noise, filters and anything else the jackknife sees
 * that every station shares; its Student-t inflation is that of the pooled pairs, not of one). Where a station's own jackknife share exceeds that by more than the
 * jackknife's scatter allows (its 99th percentile, chi-square with groups - 1 degrees of freedom),
 * the station carries something its spectrum does not show, and its own estimate stands.
 */
import { chi2UpperQuantile } from './closure';
import { signedBin } from './blockSpectra';

/** The standard normal's upper 1 % point. */
const Z_99 = 2.3263478740408408;

/**
 * I_k: the centred second moment of a station's per-bin SNR over the band's bins, in bins^2 (the
 * units cancel in the shares' ratios). 0 when the band holds none of its signal.
 */
export function spectralInformation(snr: Float64Array, bins: Int32Array): number {
  const n = snr.length;
  let w0 = 0;
  let w1 = 0;
  let w2 = 0;
  for (const b of bins) {
    const q = signedBin(b, n);
    const w = snr[b];
    w0 += w;
    w1 += w * q;
    w2 += w * q * q;
  }
  return w0 > 0 ? Math.max(0, w2 - (w1 * w1) / w0) : 0;
}

export interface ShapedInput {
  /** I_k per station (spectralInformation). */
  information: readonly number[];
  /** The used pairs with their measured (jackknife) errors, stations indexed as `information`. */
  lags: readonly { a: number; b: number; sigmaS: number }[];
  /** Each station's share split from the jackknife errors (closure.ts, stationVariances). */
  jackknifeS2: readonly number[];
  /** Jackknife groups of the pairs (pairLag.ts): groups - 1 degrees of freedom. */
  groups: number;
}

/**
 * The stations' variances, s^2, or `jackknifeS2` itself when the spectra cannot shape them (a
 * station without information, no pair).
 */
export function shapedVariances(p: ShapedInput): number[] {
  const { information: info, lags, jackknifeS2 } = p;
  if (lags.length === 0 || info.some((x) => !(x > 0))) return [...jackknifeS2];
  const ratios = lags
    .map((l) => (l.sigmaS * l.sigmaS) / (1 / info[l.a] + 1 / info[l.b]))
    .sort((x, y) => x - y);
  const mid = ratios.length / 2;
  const scale = ratios.length % 2 ? ratios[Math.floor(mid)] : (ratios[mid - 1] + ratios[mid]) / 2;
  if (!(scale > 0)) return [...jackknifeS2];
  const dof = Math.max(1, p.groups - 1);
  // Each pair's error carries the Student-t inflation nu / (nu - 2) of a variance known to nu
  // degrees of freedom (pairLag.ts); the scale, pooled over the pairs, is known to about
  // pairs * nu, so it carries that one instead.
  const pooled = lags.length * dof;
  const inflation = (dof > 2 ? (dof - 2) / dof : 1 / 3) * (pooled / (pooled - 2));
  const shapedScale = scale * (pooled > 2 ? inflation : 1);
  const excess = chi2UpperQuantile(dof, Z_99) / dof;
  return info.map((x, k) => {
    const shaped = shapedScale / x;
    return jackknifeS2[k] > excess * shaped ? jackknifeS2[k] : shaped;
  });
}
