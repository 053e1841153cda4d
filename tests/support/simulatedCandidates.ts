import type { Rng } from '../../src/core/rng';
import type { TdoaWaveform } from '../../src/core/sim/tdoa/waveforms';
import type { Candidate } from '../../src/core/tdoa/prepareStations';
import type { SampleClock } from '../../src/core/tdoa/sampleClock';
import { memoryRecording } from './memoryRecording';

export interface TestStation {
  id: string;
  lat: number;
  lon: number;
  delayS: number;
  /** The receiver's true rate against `nominalHz`, ppm (its recording declares nominalHz). */
  ppm?: number;
  /** Its local oscillator's error, Hz. */
  loHz?: number;
}

/** A clock that runs at rateHz from startS. */
export const linearClock = (startS: number, rateHz: number, samples: number): SampleClock => ({
  epochSec: 0,
  knotSample: Float64Array.of(0, samples),
  knotTimeS: Float64Array.of(startS, startS + samples / rateHz),
  firstSample: 0,
  endSample: samples,
});

/**
 * Each station's recording of `waveform` from startS: delayed, sampled at its own rate, turned by
 * its oscillator error and a phase of phaseStep times its index, in white noise of noiseStd per
 * component (drawn from `noise`, station after station); its clock knows its true rate.
 */
export function simulatedCandidates(o: {
  waveform: TdoaWaveform;
  stations: readonly TestStation[];
  nominalHz: number;
  durationS: number;
  startS: number;
  noiseStd: number;
  noise: Rng;
  phaseStep: number;
}): Candidate[] {
  const u = new Float64Array(2);
  return o.stations.map((s, i) => {
    const rateHz = o.nominalHz * (1 + (s.ppm ?? 0) * 1e-6);
    const samples = Math.floor(o.durationS * rateHz);
    const iq = new Float32Array(2 * samples);
    const phase0 = o.phaseStep * i;
    for (let n = 0; n < samples; n++) {
      const t = o.startS + n / rateHz;
      o.waveform.at(t - s.delayS, u);
      const ph = 2 * Math.PI * (s.loHz ?? 0) * t + phase0;
      const c = Math.cos(ph);
      const d = Math.sin(ph);
      iq[2 * n] = u[0] * c - u[1] * d + o.noiseStd * o.noise.normal();
      iq[2 * n + 1] = u[0] * d + u[1] * c + o.noiseStd * o.noise.normal();
    }
    return {
      use: { id: s.id, used: true },
      station: { id: s.id, lat: s.lat, lon: s.lon },
      recording: memoryRecording(`${s.id}.cf32`, iq, o.nominalHz),
      clock: linearClock(o.startS, rateHz, samples),
    };
  });
}
