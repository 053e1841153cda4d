import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng';
import { welchPsd } from '../../src/core/sim/tdoa/spectrum';
import {
  drawWaveform,
  TDOA_SIGNAL_KINDS,
  type TdoaWaveform,
} from '../../src/core/sim/tdoa/waveforms';

/**
 * Every station samples the same continuous-time signal at its own delayed instants. That is
 * only a pure delay if the signal holds nothing above a receiver's Nyquist frequency (6 kHz at
 * 12 kHz): content past it aliases back into the band with a phase set by each station's
 * fractional delay, which a real recording (after the receiver's decimation filters) never has.
 * Hard-keyed FSK failed this (2400 Bd: -37 dB of its power past 6 kHz).
 */
const RECEIVER_NYQUIST_HZ = 6000;
const OVERSAMPLED_RATE_HZ = 8 * 12000;
const SAMPLES = 1 << 15;
/** Out-of-band power share allowed: 70 dB under the signal, far below any simulated noise. */
const MAX_OUT_OF_BAND = 1e-7;

function outOfBandShare(w: TdoaWaveform): number {
  const iq = new Float64Array(2 * SAMPLES);
  const u = new Float64Array(2);
  for (let n = 0; n < SAMPLES; n++) {
    w.at(1 + n / OVERSAMPLED_RATE_HZ, u);
    if (!Number.isFinite(u[0]) || !Number.isFinite(u[1])) throw new Error(`sample ${n} is ${u}`);
    iq[2 * n] = u[0];
    iq[2 * n + 1] = u[1];
  }
  const psd = welchPsd(iq, OVERSAMPLED_RATE_HZ, 4096);
  let total = 0;
  let outside = 0;
  psd.densityPerHz.forEach((d, i) => {
    total += d;
    if (Math.abs(psd.freqHz[i]) > RECEIVER_NYQUIST_HZ) outside += d;
  });
  return outside / total;
}

describe('TDoA simulator waveforms', () => {
  for (const kind of TDOA_SIGNAL_KINDS) {
    it(`${kind}: nothing past a 12 kHz receiver's Nyquist frequency, whatever the mode`, () => {
      const fskModes = new Set<string>();
      let checked = 0;
      // FSK: draw until all 7 modes were seen; the others: a few draws (offsets, rates).
      for (
        let stream = 0;
        stream < 60 && (kind === 'fsk' ? fskModes.size < 7 : checked < 3);
        stream++
      ) {
        const w = drawWaveform(new Rng(12, stream), kind, { startS: 0, endS: 2 });
        if (kind === 'fsk') {
          if (fskModes.has(w.description)) continue;
          fskModes.add(w.description);
        }
        const share = outOfBandShare(w);
        if (Number.isNaN(share)) continue; // a CW key-up over the whole window: nothing to see
        expect(share, `${w.description} at ${w.offsetHz.toFixed(0)} Hz`).toBeLessThan(
          MAX_OUT_OF_BAND,
        );
        expect(Math.abs(w.offsetHz) + w.halfBandwidthHz).toBeLessThanOrEqual(4800 + 1e-9);
        checked++;
      }
      expect(checked).toBe(kind === 'fsk' ? 7 : 3);
    });
  }
});
