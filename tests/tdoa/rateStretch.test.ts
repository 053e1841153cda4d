/**
 * A receiver off the grid's sample rate holds each block time-scaled about its middle
 * (blockSpectra.ts): a steady signal shows every frequency f at f (1 - eps), and a signal whose
 * power changes within the block is read eps u_c late, u_c its energy's centroid. The blocks are
 * taken back onto the grid's time base, so stations with such rates keep their lags at their
 * noise and their shifts are their oscillators' alone.
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng';
import { drawWaveform, type TdoaWaveform } from '../../src/core/sim/tdoa/waveforms';
import {
  advanceBins,
  forEachBlockSpectrum,
  needsStretch,
  signedBin,
} from '../../src/core/tdoa/blockSpectra';
import { blockPlan, measureLags } from '../../src/core/tdoa/measureLags';
import { simulatedCandidates } from '../support/simulatedCandidates';

const NOMINAL_HZ = 12001;
const DURATION_S = 12;

/** `base` in bursts: 40 ms wide, one every `periodS`, the first at `firstS`, over a 10 % floor. */
function bursty(base: TdoaWaveform, firstS: number, periodS: number): TdoaWaveform {
  const u = new Float64Array(2);
  return {
    ...base,
    at(tS, out) {
      base.at(tS, u);
      const x = tS - firstS - Math.round((tS - firstS) / periodS) * periodS;
      const g = 0.1 + Math.exp(-0.5 * (x / 0.02) ** 2);
      out[0] = g * u[0];
      out[1] = g * u[1];
    },
  };
}

/** A on the grid's rate, B 48 ppm fast and C 40 ppm slow (with oscillator errors), at these delays. */
const offRateStations = ([a, b, c]: [number, number, number]) => [
  { id: 'A', lat: 48, lon: 8, ppm: 0, loHz: 0, delayS: a },
  { id: 'B', lat: 50, lon: 11, ppm: 48, loHz: 0.6, delayS: b },
  { id: 'C', lat: 46, lon: 12, ppm: -40, loHz: -0.4, delayS: c },
];

describe("blocks of a receiver off the grid's rate", () => {
  it("match a receiver on it when the signal comes in bursts off the blocks' middles", async () => {
    const n = 4096;
    const hop = n / 2;
    const plan = { sampleRateHz: NOMINAL_HZ, blockSize: n, hop, startS: 1, blocks: 12 };
    // A burst 70 ms after every block's middle: each block's energy sits well off its middle.
    const middleS = plan.startS + n / 2 / NOMINAL_HZ;
    const waveform = bursty(
      drawWaveform(new Rng(3), 'noise', { startS: 0, endS: 8 }),
      middleS + 0.07,
      hop / NOMINAL_HZ,
    );
    const stations = [
      { id: 'A', lat: 48, lon: 8, ppm: 0, delayS: 1e-3 },
      { id: 'B', lat: 48, lon: 8, ppm: 50, delayS: 1e-3 },
      { id: 'C', lat: 48, lon: 8, ppm: -45, delayS: 1e-3 },
    ];
    const cands = simulatedCandidates({
      waveform,
      stations,
      nominalHz: NOMINAL_HZ,
      durationS: 7,
      startS: 0.2,
      noiseStd: 0,
      noise: new Rng(1),
      phaseStep: 0,
    });
    // The bins that hold the signal: its band, less the roll-off's edges.
    const half = 0.8 * waveform.halfBandwidthHz;
    const bins = Int32Array.from({ length: n }, (_, i) => i).filter(
      (i) => Math.abs((signedBin(i, n) * NOMINAL_HZ) / n - waveform.offsetHz) < half,
    );
    const spectra = stations.map(() => new Float64Array(2 * plan.blocks * bins.length));
    await forEachBlockSpectrum(
      cands,
      plan,
      (k, s, spec, delta) => advanceBins(spec, 0, bins, n, delta, spectra[s], k * bins.length),
      (s, problem) => {
        throw new Error(`station ${s}: ${problem}`);
      },
      [],
      [],
      [],
      stations.map(() => true),
    );
    // Each off-rate station's blocks against A's: relative RMS difference over the band.
    const misfit = (s: number) => {
      let d = 0;
      let p = 0;
      for (let i = 0; i < spectra[0].length; i++) {
        d += (spectra[s][i] - spectra[0][i]) ** 2;
        p += spectra[0][i] ** 2;
      }
      return Math.sqrt(d / p);
    };
    // Read as they were sampled, the blocks differed by 2.0 % (50 ppm) and 1.8 % (-45 ppm), the
    // burst's eps u_c turning the phase across the band; taken onto the grid, by 0.06 %.
    expect(misfit(1)).toBeLessThan(0.003);
    expect(misfit(2)).toBeLessThan(0.003);
  });

  it('is removed with the oscillator errors: 45 Bd FSK at 4.3 kHz, stations 48 ppm fast and 40 ppm slow', async () => {
    const span = { startS: 0, endS: DURATION_S + 1 };
    const waveform = drawWaveform(new Rng(35), 'fsk', span);
    expect(waveform.description).toBe('FSK 45.45 Bd, 170 Hz shift');
    expect(waveform.offsetHz).toBeGreaterThan(4000);
    const stations = offRateStations([1.0e-3, 1.4e-3, 0.7e-3]);
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
    // Each station's shift: its oscillator error alone (its rate is the blocks' business).
    stations.forEach((s, i) => expect(out.shiftHz[i]).toBeCloseTo(s.loHz, 2));
    // The bound here is about 1 us. With the rate's shift left in the blocks, the lags of the
    // pairs with B or C wandered from one part of the recording to the next: the jackknife gave
    // 3.3-8.8 us (five noise draws), against 0.6-1.6 us with it removed.
    for (const p of out.pairs) {
      const truthS = stations[p.b].delayS - stations[p.a].delayS;
      expect(p.sigmaS * 1e6).toBeLessThan(2.5);
      expect(Math.abs(p.lagS - truthS) * 1e6).toBeLessThan(3.5);
    }
  });
  it('keeps the lags of bursts at their noise when no window moves (stations at one distance)', async () => {
    // Equal delays: every lag is 0, so no station's window is moved, and the blocks that pass 2
    // made are the lags' own (they too must be on the grid's time base).
    const startS = 0.3;
    const span = { startS: startS + 0.01, endS: startS + DURATION_S * (1 - 50e-6) - 0.01 };
    const plan = blockPlan(NOMINAL_HZ, span);
    const middleS = plan.startS + plan.blockSize / 2 / NOMINAL_HZ;
    const waveform = bursty(
      drawWaveform(new Rng(5), 'noise', { startS: 0, endS: DURATION_S + 1 }),
      middleS + 0.07,
      plan.hop / NOMINAL_HZ,
    );
    const stations = offRateStations([1e-3, 1e-3, 1e-3]);
    const cands = simulatedCandidates({
      waveform,
      stations,
      nominalHz: NOMINAL_HZ,
      durationS: DURATION_S,
      startS,
      noiseStd: Math.sqrt(0.01 / 2),
      noise: new Rng(9),
      phaseStep: 0.7,
    });
    const out = await measureLags(cands, span, undefined, () => undefined);
    expect(out.ok).toBe(true);
    if (!out.ok) return;
    // Left as sampled, B and C were eps times the bursts' centroid late: A-B, A-C and B-C came
    // out 0.95, -1.02 and -1.97 us off, against sigmas of 0.12-0.16 us (now under 0.2 us).
    for (const p of out.pairs) {
      expect(Math.abs(p.lagS) * 1e6).toBeLessThan(Math.max(0.3, 4 * p.sigmaS * 1e6));
    }
  });
  it('is taken onto the grid only where the bias it removes could matter', () => {
    const halfBlockS = 2048 / 12001;
    // The real DCF77 set: Kiwis within 5 ppm of one another, timing errors of 20-30 us.
    expect(needsStretch([7e-6, 2.2e-6, 7.2e-6], [21e-6, 30e-6, 33e-6], halfBlockS, 0.1)).toBe(
      false,
    );
    // A 25 dB scene of Kiwis 80 ppm apart, timing errors of 0.05 us: up to 14 us of bias.
    expect(needsStretch([40e-6, -40e-6, 5e-6], [5e-8, 6e-8, 5e-8], halfBlockS, 0.1)).toBe(true);
    // Recorders on one rate (SigMF) need nothing, however precise.
    expect(needsStretch([0, 0, 0], [1e-9, 1e-9, 1e-9], halfBlockS, 0.1)).toBe(false);
  });
});
