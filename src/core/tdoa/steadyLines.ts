/**
 * Steady spectral lines: bins whose power stays the same from block to block (an unmodulated
 * carrier, AM's carrier, a spur). They carry no timing. Each block's correlation sees such a line
 * through the analysis window alone: both stations' windows stand at the same times, so a line
 * correlates best where the windows align, whatever the signal's delay. A strong carrier with no
 * modulation beside it gave lags set by the windows, not the delays, with the tight errors of a
 * high SNR, and a position hundreds of kilometres off inside a 95 % region of tens
 * (tests/tdoa/steadyCarrier.test.ts). So a band is taken only where the stations share something
 * besides steady lines (measureLags.ts, pickBand): a carrier beside the signal of interest no
 * longer draws the band to itself, and a scene of a carrier alone is refused with the reason. The
 * pair weights keep the lines: within a block AM's carrier is the phase reference its sidebands
 * correlate against (leaving it out made the held-out AM scenes' error over the bound 5.73x
 * instead of 1.91x).
 *
 * Test: over the blocks, the squared coefficient of variation of a bin's power,
 * CV^2 = mean(P^2) / mean(P)^2 - 1. Modulated signals and noise vary like an exponential variable
 * (CV^2 near 1); a line of per-bin SNR s in noise gives (2 s + 1) / (s + 1)^2: 0.09 at s = 20,
 * 0.02 at s = 100. A bin is steady when CV^2 < STEADY_MAX_CV2 with its SNR at least
 * STEADY_MIN_SNR (weaker lines hardly move the correlation).
 */

/** Largest block-to-block CV^2 of a steady bin's power. */
export const STEADY_MAX_CV2 = 0.1;
/** Smallest per-bin SNR (linear) of a steady bin. */
export const STEADY_MIN_SNR = 20;

/** Hann window: first sidelobe level (power) and the main lobe's half-width, bins. */
const HANN_SIDELOBE = 10 ** (-31.5 / 10);
const HANN_MAIN_LOBE_BINS = 2.5;

/**
 * Bins on each side of a steady line of per-bin SNR `snr` that its window leakage lifts above the
 * noise: the main lobe, then sidelobes falling as the sixth power of the distance (18 dB per
 * octave), at least 2.
 */
function leakageReach(snr: number): number {
  const reach = HANN_MAIN_LOBE_BINS * Math.pow(Math.max(1, snr * HANN_SIDELOBE), 1 / 6);
  return Math.max(2, Math.ceil(reach));
}

/**
 * 1 where the bin is a steady line or its window leakage: `power` is the mean over the blocks of
 * |X|^2, `fourth` the mean of |X|^4, `snr` the bin's SNR (all in natural FFT order).
 */
export function steadyBins(
  power: Float64Array,
  fourth: Float64Array,
  snr: Float64Array,
): Uint8Array {
  const n = power.length;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const p = power[i];
    if (!(snr[i] >= STEADY_MIN_SNR) || !(p > 0)) continue;
    if (fourth[i] / (p * p) - 1 >= STEADY_MAX_CV2) continue;
    // A line over a floor of (nearly) nothing (a constant recording: DC alone) reaches every bin.
    const reach = Math.min(leakageReach(snr[i]), Math.floor(n / 2));
    for (let d = -reach; d <= reach; d++) out[(((i + d) % n) + n) % n] = 1;
  }
  return out;
}

/** The spectrum with its steady bins taken as noise: SNR 0, power at the floor (a new object). */
export function withoutSteady<
  T extends { power: Float64Array; noiseFloor: number; snr: Float64Array },
>(spectrum: T, steady: Uint8Array): T {
  return {
    ...spectrum,
    power: spectrum.power.map((v, i) => (steady[i] ? spectrum.noiseFloor : v)),
    snr: spectrum.snr.map((v, i) => (steady[i] ? 0 : v)),
  };
}
