/**
 * Which frequencies carry the signal all stations share, and how much each bin is worth.
 *
 * Per station, the Welch power spectrum over the scene, its noise floor (median over the central
 * 80 % of bins, where receiver passbands are flat) and the per-bin SNR S = P / N - 1. The default
 * band is the contiguous stretch around the strongest bin of the common SNR (the smallest of the
 * stations' SNRs), so a second transmitter elsewhere in the passband (with other delays) stays out.
 * Within the band, bins are weighted for the time-delay estimate as the maximum-likelihood
 * (Hannan-Thomson) prefilter does (Knapp & Carter 1976): S_a S_b / (1 + S_a + S_b) divided by the
 * cross-spectrum's magnitude, so each bin counts by the timing information it carries.
 */
import { signedBin } from './blockSpectra';
import { nearestRank } from '../stats';

/**
 * The noise floor is a low percentile of the bins (a signal may fill most of the band, so not
 * the median), corrected for the spread of a Welch average of K blocks (Gamma with K degrees:
 * its 10th percentile is about 1 - 1.28 / sqrt(K) of its mean). The outermost bins are left out:
 * receivers' anti-alias filters may roll off there (the real KiwiSDR files are flat to +-6 kHz).
 */
const NOISE_PERCENTILE = 0.1;
const NOISE_PERCENTILE_Z = 1.2816;
const EDGE_FRACTION = 0.02;
/** Common SNR (linear, per bin, smoothed) a signal must reach to be "found". */
export const DETECTION_SNR = 0.1;
/** The band extends while the smoothed common SNR stays above this (linear). */
export const BAND_EDGE_SNR = 0.05;
/**
 * Dips below the edge level narrower than this do not end the band: AM voice leaves ~300 Hz
 * between its carrier and its audio (the simulator up to 800 Hz), a PN-modulated carrier has spectral nulls; transmitters
 * on separate channels are kilohertz apart.
 */
const BAND_HOLE_HZ = 1000;
/** Smoothing of the common SNR, as a fraction of the rate (about 24 Hz at 12 kHz). */
const SMOOTH_FRACTION = 0.002;
/**
 * The band's edges are also tested on each station's SNR averaged over this width before the
 * smallest is taken: a broad weak signal (AM audio a few dB above the noise, beside its carrier)
 * stands out there, where 24 Hz averages of single stations scatter by more than the edge level
 * and their minimum falls below it (the band then shrank to the carrier, which times nothing).
 */
const EDGE_SMOOTH_HZ = 200;

export interface StationSpectrum {
  /** Mean power per bin (natural FFT order). */
  power: Float64Array;
  noiseFloor: number;
  /** max(0, P / N - 1) per bin. */
  snr: Float64Array;
}

export function stationSpectrum(power: Float64Array, blocks: number): StationSpectrum {
  const n = power.length;
  const half = Math.floor(n * (0.5 - EDGE_FRACTION));
  const inner: number[] = [];
  for (let i = 0; i < n; i++) if (Math.abs(signedBin(i, n)) <= half) inner.push(power[i]);
  const low = nearestRank(inner, NOISE_PERCENTILE);
  const spread = Math.max(0.2, 1 - NOISE_PERCENTILE_Z / Math.sqrt(Math.max(1, blocks)));
  const noiseFloor = Math.max(low / spread, Number.MIN_VALUE);
  const snr = power.map((p) => Math.max(0, p / noiseFloor - 1));
  return { power, noiseFloor, snr };
}

export interface Band {
  /** FFT bin indices (natural order) in the band, by increasing frequency. */
  bins: Int32Array;
  loHz: number;
  hiHz: number;
  /** Peak of the smoothed common SNR, dB, and where. */
  peakSnrDb: number;
  peakHz: number;
  chosenBy: 'operator' | 'strongest-common-signal' | 'whole-band';
  /**
   * Set when all the stations share in the band is a steady carrier: its sidebands are read
   * against it (pairLag.ts lineBins), and a scene whose lags show no timing so is refused with
   * this reason.
   */
  againstCarrier?: { refusal: string };
}

/**
 * The band: the operator's [lo, hi] (Hz from the centre frequency), or around the strongest common
 * signal, or (no bin above the floor) the whole band. Returns a reason for an empty operator band.
 */
export function selectBand(
  spectra: readonly StationSpectrum[],
  sampleRateHz: number,
  operator?: { lo: number; hi: number },
): Band | { reason: string } {
  const n = spectra[0].snr.length;
  const binHz = sampleRateHz / n;
  // By increasing frequency: position j is signed bin j - n/2.
  const natural = (j: number) => (j - n / 2 + n) % n;
  // Each pass below is a function of its own with one loop (issue 12, item 10): the browser's
  // engine compiles a function once and keeps it, where loops nested in this one were compiled
  // on the stack and left at every exit of the inner loop, in every solve.
  const common = new Float64Array(n).fill(Infinity);
  for (const s of spectra) minByFrequency(common, s.snr);
  const half = Math.max(1, Math.round((SMOOTH_FRACTION * n) / 2));
  const smooth = new Float64Array(n);
  for (let j = 0; j < n; j++)
    smooth[j] = windowMean(common, Math.max(0, j - half), Math.min(n - 1, j + half));
  const wide = commonWideExcess(spectra, binHz, half);
  const hz = (j: number) => (j - n / 2) * binHz;
  let lo: number;
  let hi: number;
  let peak = 0;
  for (let j = 1; j < n; j++) if (smooth[j] > smooth[peak]) peak = j;
  if (operator) {
    lo = Math.max(0, Math.ceil(operator.lo / binHz + n / 2));
    hi = Math.min(n - 1, Math.floor(operator.hi / binHz + n / 2));
    if (hi < lo) {
      return {
        reason: `the band ${operator.lo}:${operator.hi} Hz holds no frequency bin (bins are ${binHz.toFixed(2)} Hz apart, +-${(sampleRateHz / 2).toFixed(0)} Hz)`,
      };
    }
  } else {
    if (!(smooth[peak] >= DETECTION_SNR)) {
      // Nothing stands above the floor: either no common signal, or one that fills the whole
      // band (then the floor estimate is the signal). The correlation decides: take the band.
      const edge = Math.round(EDGE_FRACTION * n);
      return finish(edge, n - 1 - edge, 'whole-band');
    }
    const hole = Math.max(2, Math.round(BAND_HOLE_HZ / binHz));
    const grow = (from: number, step: number): number => {
      let edge = from;
      let below = 0;
      for (let j = from + step; j >= 0 && j < n; j += step) {
        if (smooth[j] > BAND_EDGE_SNR || wide[j] > BAND_EDGE_SNR) {
          edge = j;
          below = 0;
        } else if (++below > hole) break;
      }
      return edge;
    };
    lo = grow(peak, -1);
    hi = grow(peak, 1);
  }
  return finish(lo, hi, operator ? 'operator' : 'strongest-common-signal');

  function finish(from: number, to: number, chosenBy: Band['chosenBy']): Band {
    const bins = new Int32Array(to - from + 1);
    for (let j = from; j <= to; j++) bins[j - from] = natural(j);
    return {
      bins,
      loHz: hz(from),
      hiHz: hz(to),
      peakSnrDb: 10 * Math.log10(Math.max(smooth[peak], 1e-12)),
      peakHz: hz(peak),
      chosenBy,
    };
  }
}

/**
 * By increasing frequency (position j is signed bin j - n/2), the smallest over the stations of
 * each one's SNR averaged over EDGE_SMOOTH_HZ around j (at least 2 halfMin + 1 bins): where a
 * broad weak signal all stations share stands out.
 */
export function commonWideExcess(
  spectra: readonly StationSpectrum[],
  binHz: number,
  halfMin = 1,
): Float64Array {
  const n = spectra[0].power.length;
  const wideHalf = Math.max(halfMin, Math.round(EDGE_SMOOTH_HZ / binHz / 2));
  const wide = new Float64Array(n).fill(Infinity);
  const prefix = new Float64Array(n + 1);
  for (const s of spectra) {
    // Running sum over [j - wideHalf, j + wideHalf] of this station's SNR (by frequency), not
    // clipped at 0: noise alone then averages to 0, not to the clipped noise's mean (~0.04).
    excessPrefix(prefix, s.power, s.noiseFloor);
    minWindowMeans(wide, prefix, wideHalf);
  }
  return wide;
}

/** Position j by increasing frequency of an n-bin natural-order spectrum: signed bin j - n/2. */
function naturalBin(j: number, n: number): number {
  return (j - n / 2 + n) % n;
}

/** common[j] = min(common[j], snr at position j by frequency). */
function minByFrequency(common: Float64Array, snr: Float64Array): void {
  const n = common.length;
  for (let j = 0; j < n; j++) common[j] = Math.min(common[j], snr[naturalBin(j, n)]);
}

/** The mean of values[from .. to], summed in order. */
function windowMean(values: Float64Array, from: number, to: number): number {
  let sum = 0;
  let count = 0;
  for (let q = from; q <= to; q++) {
    sum += values[q];
    count++;
  }
  return sum / count;
}

/** prefix[j + 1] = prefix[j] + P / N - 1 at position j by frequency (prefix[0] = 0). */
function excessPrefix(prefix: Float64Array, power: Float64Array, noiseFloor: number): void {
  const n = prefix.length - 1;
  prefix[0] = 0;
  for (let j = 0; j < n; j++) prefix[j + 1] = prefix[j] + power[naturalBin(j, n)] / noiseFloor - 1;
}

/** wide[j] = min(wide[j], the mean over [j - half, j + half] from the prefix sums). */
function minWindowMeans(wide: Float64Array, prefix: Float64Array, half: number): void {
  const n = wide.length;
  for (let j = 0; j < n; j++) {
    const a = Math.max(0, j - half);
    const b = Math.min(n, j + half + 1);
    wide[j] = Math.min(wide[j], (prefix[b] - prefix[a]) / (b - a));
  }
}

/**
 * The maximum-likelihood weight of each band bin for pair (a, b), divided by the expected cross
 * spectrum magnitude sqrt(P_sa P_sb) (signal powers), so that weight * X_a^* X_b has magnitude
 * about S_a S_b / (1 + S_a + S_b).
 */
export function pairWeights(
  a: StationSpectrum,
  b: StationSpectrum,
  bins: Int32Array,
): Float64Array {
  const w = new Float64Array(bins.length);
  for (let j = 0; j < bins.length; j++) {
    const sa = a.snr[bins[j]];
    const sb = b.snr[bins[j]];
    if (sa <= 0 || sb <= 0) continue;
    const info = (sa * sb) / (1 + sa + sb);
    w[j] = info / Math.sqrt(sa * a.noiseFloor * sb * b.noiseFloor);
  }
  return w;
}
