/**
 * Stations' timing variances shaped by their spectra and scaled by the pairs' scatter
 * (spectralShares.ts): the bound's shares where the jackknife split is only noisy, the station's
 * own estimate where it carries more than its spectrum explains.
 */
import { describe, expect, it } from 'vitest';
import { stationVariances } from '../../src/core/tdoa/closure';
import { shapedVariances, spectralInformation } from '../../src/core/tdoa/spectralShares';

const N = 64;
/** A flat SNR `level` on signed bins lo..hi (natural FFT order), 0 elsewhere. */
function flat(level: number, lo: number, hi: number): Float64Array {
  const snr = new Float64Array(N);
  for (let q = lo; q <= hi; q++) snr[(q + N) % N] = level;
  return snr;
}
const band = Int32Array.from({ length: 21 }, (_, j) => (j - 10 + N) % N);

describe('spectral information', () => {
  it('is the centred second moment of the SNR over the band', () => {
    // Bins -2..2 at SNR 3: sum q^2 = 10, times 3; the mean is 0.
    expect(spectralInformation(flat(3, -2, 2), band)).toBeCloseTo(30, 10);
    // Moving the signal does not change it (the carrier's phase is unknown); doubling SNR doubles it.
    expect(spectralInformation(flat(6, 3, 7), band)).toBeCloseTo(60, 10);
    expect(spectralInformation(new Float64Array(N), band)).toBe(0);
  });
});

describe('shaped variances', () => {
  // Three stations, the second twice and the third four times as informative as the first.
  const information = [1, 2, 4];
  const share = (k: number) => 1e-12 / information[k];
  /** The pairs' Student-t inflation (12 groups: 11 / 9) taken out, the pooled one (3 pairs) put in. */
  const pooled = (9 / 11) * (33 / 31);
  const pair = (a: number, b: number, scatter: number) => ({
    a,
    b,
    lagS: 0,
    sigmaS: Math.sqrt((share(a) + share(b)) * scatter),
  });

  it('gives the bound shares, scaled by the pairs, where the jackknife split is noisy', () => {
    // Jackknife errors 0.7-1.4 times their expectation: the split gives the third station a third
    // of its share.
    const lags = [pair(0, 1, 1.4), pair(0, 2, 1.4), pair(1, 2, 0.7)];
    const jackknifeS2 = stationVariances(3, lags);
    expect(jackknifeS2[2] / share(2)).toBeLessThan(0.4);
    const v = shapedVariances({ information, lags, jackknifeS2, groups: 12 });
    // The scale is the pairs' median ratio, 1.4.
    v.forEach((x, k) => expect(x / share(k)).toBeCloseTo(1.4 * pooled, 10));
  });

  it("keeps a station's own estimate where it exceeds its shaped share beyond the jackknife's scatter", () => {
    const lags = [pair(0, 1, 1), pair(0, 2, 1), pair(1, 2, 1)];
    const jackknifeS2 = [share(0), 10 * share(1), share(2)];
    const v = shapedVariances({ information, lags, jackknifeS2, groups: 12 });
    expect(v[1]).toBe(10 * share(1));
    expect(v[0] / share(0)).toBeCloseTo(pooled, 10);
    // 1.8 times the pairs' scale is within 11 degrees of freedom's scatter (99 %: 2.25 times).
    const within = shapedVariances({
      information,
      lags,
      jackknifeS2: [share(0), 1.8 * pooled * share(1), share(2)],
      groups: 12,
    });
    expect(within[1] / share(1)).toBeCloseTo(pooled, 10);
  });

  it('falls back to the jackknife split where a station has no information', () => {
    const lags = [pair(0, 1, 1), pair(0, 2, 1), pair(1, 2, 1)];
    const jackknifeS2 = [1, 2, 3];
    expect(shapedVariances({ information: [1, 0, 4], lags, jackknifeS2, groups: 12 })).toEqual(
      jackknifeS2,
    );
  });
});
