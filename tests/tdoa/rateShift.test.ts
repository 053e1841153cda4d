/**
 * A receiver's sample rate shifts the signal inside its blocks (rateShift.ts): a Kiwi 48 ppm fast
 * shows a 4.3 kHz FSK signal 0.2 Hz low in its bins, which the block-to-block phase drift
 * (frequencyDrift.ts) cannot see. The lags of stations with such rates must stay at their noise.
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng';
import { drawWaveform } from '../../src/core/sim/tdoa/waveforms';
import { measureLags } from '../../src/core/tdoa/measureLags';
import { clockRateHz, rateShiftHz } from '../../src/core/tdoa/rateShift';
import { linearClock, simulatedCandidates } from '../support/simulatedCandidates';

const NOMINAL_HZ = 12001;
const DURATION_S = 12;
const clock = linearClock;

describe('the sample-rate shift inside the blocks', () => {
  it('is -eps f against the reference, eps the rates relative to the grid', () => {
    const ref = clock(0, NOMINAL_HZ * (1 - 10e-6), 100_000);
    const fast = clock(0, NOMINAL_HZ * (1 + 40e-6), 100_000);
    expect(clockRateHz(fast)).toBeCloseTo(NOMINAL_HZ * (1 + 40e-6), 6);
    expect(rateShiftHz(fast, ref, NOMINAL_HZ, 4000)).toBeCloseTo(-50e-6 * 4000, 6);
    expect(rateShiftHz(ref, ref, NOMINAL_HZ, 4000)).toBeCloseTo(0, 12);
  });

  it('is removed with the oscillator errors: 45 Bd FSK at 4.3 kHz, stations 48 ppm fast and 40 ppm slow', async () => {
    const span = { startS: 0, endS: DURATION_S + 1 };
    const waveform = drawWaveform(new Rng(35), 'fsk', span);
    expect(waveform.description).toBe('FSK 45.45 Bd, 170 Hz shift');
    expect(waveform.offsetHz).toBeGreaterThan(4000);
    const stations = [
      { id: 'A', lat: 48, lon: 8, ppm: 0, loHz: 0, delayS: 1.0e-3 },
      { id: 'B', lat: 50, lon: 11, ppm: 48, loHz: 0.6, delayS: 1.4e-3 },
      { id: 'C', lat: 46, lon: 12, ppm: -40, loHz: -0.4, delayS: 0.7e-3 },
    ];
    // About 30 dB in the signal's 250 Hz: noise of complex power 0.05 over 12 kHz.
    const startS = 0.5;
    const cands = simulatedCandidates({
      waveform,
      stations,
      nominalHz: NOMINAL_HZ,
      durationS: DURATION_S,
      startS,
      noiseStd: Math.sqrt(0.05 / 2),
      noise: new Rng(7),
      phaseStep: 1.3,
    });
    const out = await measureLags(
      cands,
      { startS: startS + 0.01, endS: startS + DURATION_S * (1 - 50e-6) - 0.01 },
      undefined,
      () => undefined,
    );
    expect(out.ok).toBe(true);
    if (!out.ok) return;
    expect(out.pairs).toHaveLength(3);
    // Each station's shift: its oscillator error and -eps f at the band's centre (4.3 kHz).
    const centreHz = (out.band.loHz + out.band.hiHz) / 2;
    stations.forEach((s, i) =>
      expect(out.shiftHz[i]).toBeCloseTo(s.loHz - s.ppm * 1e-6 * centreHz, 2),
    );
    // The bound here is about 1 us. With the rate shift left in the blocks, the lags of the
    // pairs with B or C wandered from one part of the recording to the next: the jackknife gave
    // 3.3-8.8 us (five noise draws), against 0.6-1.6 us with it removed.
    for (const p of out.pairs) {
      const truthS = stations[p.b].delayS - stations[p.a].delayS;
      expect(p.sigmaS * 1e6).toBeLessThan(2.5);
      expect(Math.abs(p.lagS - truthS) * 1e6).toBeLessThan(3.5);
    }
  });
});
