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
import {
  movesWindows,
  windowOffsetsS,
  windowShiftThresholdS,
} from '../../src/core/tdoa/windowAlign';
import { simulatedCandidates } from '../support/simulatedCandidates';

const RATE_HZ = 12000;
/** Half a sample: the largest threshold a window move has (windowShiftThresholdS). */
const HALF_SAMPLE_S = 0.5 / RATE_HZ;
const DURATION_S = 16;

describe('window offsets', () => {
  it('move while some window is half a sigma of the finest lag (or of the model error) off, at most half a sample', () => {
    const lag = (sigmaS: number) => ({ sigmaS });
    // Lags good to 10 us: half of that.
    expect(windowShiftThresholdS([lag(4e-5), lag(1e-5)], RATE_HZ, 2e-7)).toBeCloseTo(5e-6, 15);
    // Good to a nanosecond: half the model error, which is what the solver allows a station.
    expect(windowShiftThresholdS([lag(1e-9), lag(1e-5)], RATE_HZ, 2e-7)).toBeCloseTo(1e-7, 15);
    // Weak lags (a sigma of 200 us): never more than half a sample.
    expect(windowShiftThresholdS([lag(2e-4)], RATE_HZ, 2e-7)).toBeCloseTo(HALF_SAMPLE_S, 15);
  });

  it('move again while the pull a move would remove, read from the ratio of the moves, matters', () => {
    const minShiftS = 1e-7;
    // The first move from the grid: a tenth of a microsecond or more.
    expect(movesWindows([0, 1.2e-7], [0, 0], undefined, minShiftS, RATE_HZ)).toBe(true);
    expect(movesWindows([0, 0.8e-7], [0, 0], undefined, minShiftS, RATE_HZ)).toBe(false);
    // The real DCF77 set: 431 us, then 0.88 us more. A line pulling by 0.88 / 431 of the
    // misalignment leaves 2 ns: no second round.
    const dcf = -431.17e-6;
    expect(movesWindows([0, dcf - 0.88e-6], [0, dcf], [0, 0], minShiftS, RATE_HZ)).toBe(false);
    // A keyed carrier pulling by a third: after 2 ms, 0.67 ms (over half a sample), then a third
    // of the last move until what is left is under the threshold.
    expect(movesWindows([0, 2.67e-3], [0, 2e-3], [0, 0], minShiftS, RATE_HZ)).toBe(true);
    expect(movesWindows([0, 1.0003e-3], [0, 1e-3], [0, 0.9991e-3], minShiftS, RATE_HZ)).toBe(true);
    expect(movesWindows([0, 1.00003e-3], [0, 1e-3], [0, 0.99991e-3], minShiftS, RATE_HZ)).toBe(
      false,
    );
  });

  it("are the stations' arrival times against the first live station's, fitted from the lags", () => {
    const lags = [
      { a: 0, b: 2, lagS: 3e-3, sigmaS: 1e-5, atEdge: false },
      { a: 0, b: 3, lagS: 1e-3, sigmaS: 1e-5, atEdge: false },
      { a: 2, b: 3, lagS: -2.2e-3, sigmaS: 2e-5, atEdge: false },
    ];
    // Station 1 is not live: it keeps its grid window. Weighted least squares (weights 4:4:1):
    // the pairs' misfit of 0.2 ms moves stations 2 and 3 apart by a sixth of it each.
    const out = windowOffsetsS(4, [0, 2, 3], lags, HALF_SAMPLE_S, 0.17)!;
    expect(out[0]).toBe(0);
    expect(out[1]).toBe(0);
    expect(out[2]).toBeCloseTo(3e-3 + 0.2e-3 / 6, 12);
    expect(out[3]).toBeCloseTo(1e-3 - 0.2e-3 / 6, 12);
    // Offsets of a hop or more mean the lags disagree: the windows stay.
    expect(windowOffsetsS(4, [0, 2, 3], lags, HALF_SAMPLE_S, 2e-3)).toBeUndefined();
  });

  it('are none when the windows would not move or the good pairs do not link every station', () => {
    const tiny = [{ a: 0, b: 1, lagS: 0.4 / RATE_HZ, sigmaS: 1e-6, atEdge: false }];
    expect(windowOffsetsS(2, [0, 1], tiny, HALF_SAMPLE_S, 0.17)).toBeUndefined();
    // The same move is worth making when the lags are good to a microsecond.
    expect(windowOffsetsS(2, [0, 1], tiny, 0.5e-6, 0.17)![1]).toBeCloseTo(0.4 / RATE_HZ, 12);
    const edge = [
      { a: 0, b: 1, lagS: 2e-3, sigmaS: 1e-5, atEdge: false },
      { a: 0, b: 2, lagS: 9e-3, sigmaS: 1e-5, atEdge: true },
      { a: 1, b: 2, lagS: Number.NaN, sigmaS: 1e-5, atEdge: false },
    ];
    expect(windowOffsetsS(3, [0, 1, 2], edge, HALF_SAMPLE_S, 0.17)).toBeUndefined();
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

  it('of a strong keyed carrier are within their sigmas: the windows sit on the exact time', async () => {
    // The same carrier 37 dB stronger. With each window cut at the whole sample nearest its time
    // and moved only while a move exceeded half a sample (42 us), the carrier's line pulled the
    // lags by what was left: -0.51, 1.11 and 1.62 us, 4-6 of their sigmas (0.12-0.27 us), and as
    // much with no noise at all. Now each window is centred on its exact time and moved while a
    // move exceeds half a sigma: 0.08, -0.06 and -0.15 us.
    const waveform = drawWaveform(new Rng(3), 'cw', { startS: 0, endS: DURATION_S + 1 });
    for (const p of await lagsOf(waveform, 1e-3, [0, 0, 0])) {
      expect(p.sigmaS * 1e6).toBeLessThan(0.3);
      expect(Math.abs(p.errorS)).toBeLessThan(3 * p.sigmaS);
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
