/**
 * Every pair's blocks must hold the same stretch of signal (windowAlign.ts): cut at the same grid
 * times, a keyed carrier's line is the window's own spectrum with one phase across its bins, and
 * pulls the lags of distant stations towards zero. And a moved window must be referred back to the
 * grid by its time: in samples, a receiver off the grid's rate moves it too far.
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng';
import { drawWaveform, type TdoaWaveform } from '../../src/core/sim/tdoa/waveforms';
import { measureLags } from '../../src/core/tdoa/measureLags';
import { windowOffsetsS } from '../../src/core/tdoa/windowAlign';
import { simulatedCandidates } from '../support/simulatedCandidates';

const RATE_HZ = 12000;
const DURATION_S = 16;

describe('window offsets', () => {
  it("are the stations' arrival times against the first live station's, fitted from the lags", () => {
    const lags = [
      { a: 0, b: 2, lagS: 3e-3, sigmaS: 1e-5, atEdge: false },
      { a: 0, b: 3, lagS: 1e-3, sigmaS: 1e-5, atEdge: false },
      { a: 2, b: 3, lagS: -2.2e-3, sigmaS: 2e-5, atEdge: false },
    ];
    // Station 1 is not live: it keeps its grid window. Weighted least squares (weights 4:4:1):
    // the pairs' misfit of 0.2 ms moves stations 2 and 3 apart by a sixth of it each.
    const out = windowOffsetsS(4, [0, 2, 3], lags, RATE_HZ, 0.17)!;
    expect(out[0]).toBe(0);
    expect(out[1]).toBe(0);
    expect(out[2]).toBeCloseTo(3e-3 + 0.2e-3 / 6, 12);
    expect(out[3]).toBeCloseTo(1e-3 - 0.2e-3 / 6, 12);
    // Offsets of a hop or more mean the lags disagree: the windows stay.
    expect(windowOffsetsS(4, [0, 2, 3], lags, RATE_HZ, 2e-3)).toBeUndefined();
  });

  it('are none when the windows would not move or the good pairs do not link every station', () => {
    const tiny = [{ a: 0, b: 1, lagS: 0.4 / RATE_HZ, sigmaS: 1e-6, atEdge: false }];
    expect(windowOffsetsS(2, [0, 1], tiny, RATE_HZ, 0.17)).toBeUndefined();
    const edge = [
      { a: 0, b: 1, lagS: 2e-3, sigmaS: 1e-5, atEdge: false },
      { a: 0, b: 2, lagS: 9e-3, sigmaS: 1e-5, atEdge: true },
      { a: 1, b: 2, lagS: Number.NaN, sigmaS: 1e-5, atEdge: false },
    ];
    expect(windowOffsetsS(3, [0, 1, 2], edge, RATE_HZ, 0.17)).toBeUndefined();
  });
});

/** Three stations about 1000 km apart (lags of a few ms), each sampling at its own rate. */
const STATIONS = [
  { id: 'A', lat: 40, lon: 0, delayS: 1.0e-3 },
  { id: 'B', lat: 49, lon: 0, delayS: 4.1e-3 },
  { id: 'C', lat: 44, lon: 11, delayS: 2.3e-3 },
];

async function lagsOf(waveform: TdoaWaveform, noiseStd: number, ppm: readonly number[]) {
  const startS = 0.5;
  const cands = simulatedCandidates({
    waveform,
    stations: STATIONS.map((s, i) => ({ ...s, ppm: ppm[i] })),
    nominalHz: RATE_HZ,
    durationS: DURATION_S,
    startS,
    noiseStd,
    noise: new Rng(11),
    phaseStep: 1.1,
  });
  const out = await measureLags(
    cands,
    { startS: startS + 0.01, endS: startS + DURATION_S * (1 - 400e-6) - 0.01 },
    undefined,
    () => undefined,
  );
  expect(out.ok).toBe(true);
  if (!out.ok) return [];
  expect(out.pairs).toHaveLength(3);
  return out.pairs.map((p) => ({
    errorS: p.lagS - (STATIONS[p.b].delayS - STATIONS[p.a].delayS),
    sigmaS: p.sigmaS,
  }));
}

describe('lags between distant stations', () => {
  it('of a keyed carrier are not pulled towards zero by the carrier line', async () => {
    const waveform = drawWaveform(new Rng(3), 'cw', { startS: 0, endS: DURATION_S + 1 });
    expect(waveform.kind).toBe('cw');
    // With the windows on the grid the errors were -109, -51 and +57 us (each towards zero, 3.5 %
    // of the lag) against jackknife errors of 10-15 us; with them aligned, 4, -4 and -8 us.
    for (const p of await lagsOf(waveform, Math.sqrt(0.01 / 2), [0, 0, 0])) {
      expect(p.sigmaS * 1e6).toBeLessThan(20);
      expect(Math.abs(p.errorS)).toBeLessThan(Math.max(2.5 * p.sigmaS, 15e-6));
    }
  });

  it('hold with receivers 300 ppm off the grid rate (a moved window is referred back by time)', async () => {
    // A 3.2 kHz noise-like signal at 25 dB: the bound on each lag is 0.07 us. Exaggerated rates
    // (a Kiwi is within 50 ppm, a SigMF recorder beside 12001 Hz Kiwis 83 ppm off) so that the
    // effect stands far above the noise. With the moved blocks referred back in station samples
    // the lags were off by eps times the window's move: 0.5 us for B (+300 ppm, moved 1.55 ms);
    // now 0.04-0.18 us. (With the windows left on the grid they were off by eps times half the
    // lag, up to 0.5 us too.)
    const waveform = drawWaveform(new Rng(5), 'noise', { startS: 0, endS: DURATION_S + 1 });
    expect(waveform.description).toBe('noise-like, 3.22 kHz wide');
    for (const p of await lagsOf(waveform, 0.083, [0, 300, -300]))
      expect(Math.abs(p.errorS) * 1e6).toBeLessThan(0.25);
  });
});
