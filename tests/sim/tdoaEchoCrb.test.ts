import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { echoedStationShareS2, stationDelayShareS2, type EchoPath } from '../../src/core/tdoa/crb';

// Made by training/reference/make_echo_crb_vectors.py (numpy, finite-difference Jacobian).
const vectors = JSON.parse(
  readFileSync(new URL('../fixtures/tdoa-sim/echoCrb.json', import.meta.url), 'utf8'),
) as {
  cases: {
    kind: string;
    freqHz: number[];
    snr: number[];
    durationS: number;
    binHz: number;
    echoes: EchoPath[];
    shareS2: number;
  }[];
};

describe('the delay bound of a station whose echoes are unknown', () => {
  it.each(vectors.cases)('matches numpy ($kind band, $echoes.length echoes)', (v) => {
    const got = echoedStationShareS2(v.freqHz, v.snr, v.durationS, v.binHz, v.echoes);
    expect(Math.abs(got / v.shareS2 - 1)).toBeLessThan(1e-5);
  });

  it('is the plain share without echoes, and larger with one', () => {
    const v = vectors.cases[1];
    const plain = stationDelayShareS2(v.freqHz, v.snr, v.durationS, v.binHz);
    expect(
      Math.abs(echoedStationShareS2(v.freqHz, v.snr, v.durationS, v.binHz, []) / plain - 1),
    ).toBeLessThan(1e-9);
    expect(echoedStationShareS2(v.freqHz, v.snr, v.durationS, v.binHz, v.echoes)).toBeGreaterThan(
      1.5 * plain,
    );
  });

  it('costs less the longer the echo is against the inverse bandwidth', () => {
    const v = vectors.cases[1];
    const at = (delayS: number) =>
      echoedStationShareS2(v.freqHz, v.snr, v.durationS, v.binHz, [
        { relativeAmplitude: 0.3, delayS, phaseRad: 1 },
      ]);
    // An 8 kHz band: 1 / B = 125 us.
    expect(at(20e-6)).toBeGreaterThan(10 * at(400e-6));
  });
});
