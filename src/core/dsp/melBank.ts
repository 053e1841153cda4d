import type { Preprocessing } from '../modelMetadata';

/**
 * Triangular mel filters over the two-sided spectrum of complex baseband.
 *
 * Complex IQ has distinct negative and positive frequencies, so the mel axis is made signed:
 * mel(f) = sign(f) * 2595 * log10(1 + |f| / 700) (the HTK formula mirrored about 0 Hz), and
 * nMels + 2 edge points are spaced evenly from mel(-fs/2) to mel(+fs/2). Filters are finest
 * near the tuned frequency, where signals sit, and coarse at the band edges. Filter m has its
 * feet at edges m and m+2 and its peak (weight 1) at edge m+1; weights are not area-normalised,
 * so a filter's output is the power it passes (mean-power units).
 */
export interface MelFilter {
  /** First FFT bin (natural FFT order, 0..nFft-1) with a non-zero weight. */
  readonly bins: Int32Array;
  readonly weights: Float64Array;
}

export function signedMel(fHz: number): number {
  return Math.sign(fHz) * 2595 * Math.log10(1 + Math.abs(fHz) / 700);
}

export function signedMelToHz(mel: number): number {
  return Math.sign(mel) * 700 * (10 ** (Math.abs(mel) / 2595) - 1);
}

/** Frequency of FFT bin k (natural order) for complex input: negative above nFft/2. */
export function binFrequencyHz(k: number, nFft: number, sampleRateHz: number): number {
  const signed = k < nFft / 2 ? k : k - nFft;
  return (signed * sampleRateHz) / nFft;
}

export function melEdgesHz(p: Pick<Preprocessing, 'nMels' | 'sampleRateHz'>): Float64Array {
  const lo = signedMel(-p.sampleRateHz / 2);
  const hi = signedMel(p.sampleRateHz / 2);
  const edges = new Float64Array(p.nMels + 2);
  for (let i = 0; i < edges.length; i++) {
    edges[i] = signedMelToHz(lo + ((hi - lo) * i) / (p.nMels + 1));
  }
  return edges;
}

export function melBank(p: Pick<Preprocessing, 'nMels' | 'sampleRateHz' | 'nFft'>): MelFilter[] {
  const edges = melEdgesHz(p);
  const filters: MelFilter[] = [];
  for (let m = 0; m < p.nMels; m++) {
    const [left, centre, right] = [edges[m], edges[m + 1], edges[m + 2]];
    const bins: number[] = [];
    const weights: number[] = [];
    for (let k = 0; k < p.nFft; k++) {
      const f = binFrequencyHz(k, p.nFft, p.sampleRateHz);
      const w = Math.min((f - left) / (centre - left), (right - f) / (right - centre));
      if (w > 0) {
        bins.push(k);
        weights.push(w);
      }
    }
    filters.push({ bins: Int32Array.from(bins), weights: Float64Array.from(weights) });
  }
  return filters;
}
