import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { echoBoundSummary, type SceneOutcome } from '../../src/core/sim/tdoa/evaluation';
import { DEFAULT_IMPAIRMENTS, NO_IMPAIRMENTS } from '../../src/core/sim/tdoa/impairments';
import { simulateTdoaScene } from '../../src/core/sim/tdoa/scene';
import { sceneCrb } from '../../src/core/sim/tdoa/sceneCrb';
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
    phaseOnlyShareS2: number;
  }[];
};

describe('the delay bound of a station whose echoes are unknown', () => {
  it.each(vectors.cases)('matches numpy ($kind band, $echoes.length echoes)', (v) => {
    const got = echoedStationShareS2(v.freqHz, v.snr, v.durationS, v.binHz, v.echoes);
    expect(Math.abs(got / v.shareS2 - 1)).toBeLessThan(1e-5);
  });

  it.each(vectors.cases)(
    'matches numpy from the phases alone ($kind band, $echoes.length echoes)',
    (v) => {
      const got = echoedStationShareS2(v.freqHz, v.snr, v.durationS, v.binHz, v.echoes, true);
      // Two echoes seen by their phases alone leave an information matrix close to singular (the
      // bound 2e7 times the one with levels): the reference moves by 0.3 % with its finite
      // differences' step, so it is held to 1 % there.
      const tolerance = v.phaseOnlyShareS2 > 1e6 * v.shareS2 ? 1e-2 : 1e-5;
      expect(Math.abs(got / v.phaseOnlyShareS2 - 1)).toBeLessThan(tolerance);
    },
  );

  it('is no smaller from the phases alone, and the same without echoes', () => {
    for (const v of vectors.cases) {
      const both = echoedStationShareS2(v.freqHz, v.snr, v.durationS, v.binHz, v.echoes);
      const phases = echoedStationShareS2(v.freqHz, v.snr, v.durationS, v.binHz, v.echoes, true);
      if (v.echoes.length === 0) expect(Math.abs(phases / both - 1)).toBeLessThan(1e-9);
      else expect(phases).toBeGreaterThan(2 * both);
    }
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

  it('is infinite for a single tone, whose echo cannot be told from its delay', () => {
    // Three bins 0.05 Hz apart: a carrier. The plain share is finite (the phase slope across the
    // bins), but an echo's ripple over 0.1 Hz is a straight phase line too.
    const freqHz = [999.95, 1000, 1000.05];
    const snr = [1e3, 1e4, 1e3];
    expect(Number.isFinite(stationDelayShareS2(freqHz, snr, 20, 0.05))).toBe(true);
    expect(
      echoedStationShareS2(freqHz, snr, 20, 0.05, [
        { relativeAmplitude: 0.3, delayS: 30e-6, phaseRad: 1 },
      ]),
    ).toBe(Infinity);
  });
});

describe("a scene's bound with its echoes unknown", () => {
  it('exists only where a usable station has an echo, and is never below the plain one', () => {
    const echoed = simulateTdoaScene(3, 0, {
      durationS: 4,
      impairments: { ...DEFAULT_IMPAIRMENTS, multipathSceneFraction: 1, echoStationFraction: 1 },
    });
    const crb = sceneCrb(echoed);
    expect(crb.withEchoes).toBeDefined();
    expect(crb.withEchoes!.medianErrorM).toBeGreaterThan(crb.medianErrorM!);
    // Levels that say nothing take information away: that bound is the larger.
    expect(crb.withEchoesPhasesOnly!.medianErrorM).toBeGreaterThan(crb.withEchoes!.medianErrorM);
    const clean = simulateTdoaScene(3, 0, { durationS: 4, impairments: NO_IMPAIRMENTS });
    expect(sceneCrb(clean).withEchoes).toBeUndefined();
    expect(sceneCrb(clean).withEchoesPhasesOnly).toBeUndefined();
  });

  it("leaves out a carrier's stations whose echoes hide their delays, instead of failing", () => {
    // Seed 2, scene 41: a CW scene of 7 stations, each with an echo (the evaluation once stopped
    // here: "delay covariance is not positive definite").
    const scene = simulateTdoaScene(2, 41, {
      durationS: 20,
      snrDb: { lo: 10, hi: 30 },
      impairments: { ...DEFAULT_IMPAIRMENTS, multipathSceneFraction: 1 },
    });
    expect(scene.signal.kind).toBe('cw');
    const crb = sceneCrb(scene);
    expect(crb.withEchoes).toBeDefined();
    expect(crb.withEchoes!.medianErrorM).toBeGreaterThan(crb.medianErrorM!);
  });

  it('is summarised over the echoed scenes, each scene otherwise over its plain bound', () => {
    const scene = (errorM: number, echoCrbMedianM?: number): SceneOutcome => ({
      id: 'x',
      kind: 'am',
      snrDb: 20,
      stations: 4,
      multipath: echoCrbMedianM !== undefined,
      formats: 'kiwi',
      expectedExcluded: [],
      excluded: [],
      lags: [],
      errorM,
      crbMedianM: 100,
      ratio: errorM / 100,
      ...(echoCrbMedianM ? { echoCrbMedianM, echoRatio: errorM / echoCrbMedianM } : {}),
    });
    const s = echoBoundSummary([scene(100), scene(50), scene(2000, 1000), scene(500, 2000)]);
    expect(s.scenes).toBe(2);
    expect(s.boundGrowth).toBe(15);
    expect(s.medianEchoRatio).toBe(1.125);
    // Own ratios: 1, 0.5, 2, 0.25.
    expect(s.medianOwnRatio).toBe(0.75);
    // The phases-only bound is read from its own fields.
    const phases = (o: SceneOutcome, m: number): SceneOutcome => ({
      ...o,
      echoPhasesCrbMedianM: m,
      echoPhasesRatio: o.errorM! / m,
    });
    const p = echoBoundSummary(
      [scene(100), phases(scene(2000, 1000), 4000), phases(scene(500, 2000), 1000)],
      true,
    );
    expect(p.scenes).toBe(2);
    // Growths 40 and 10; echo ratios 0.5 and 0.5; own ratios 1, 0.5, 0.5.
    expect(p.boundGrowth).toBe(25);
    expect(p.medianEchoRatio).toBe(0.5);
    expect(p.medianOwnRatio).toBe(0.5);
    // A scene whose echo leaves no bound: its growth is infinite and its own ratio 0.
    const unbounded: SceneOutcome = { ...scene(800), echoUnbounded: true, echoRatio: 0 };
    const u = echoBoundSummary([scene(2000, 1000), scene(500, 2000), unbounded]);
    expect(u.scenes).toBe(3);
    // Growths 10, 20, infinite; echo ratios 2, 0.25, 0.
    expect(u.boundGrowth).toBe(20);
    expect(u.medianEchoRatio).toBe(0.25);
  });
});
