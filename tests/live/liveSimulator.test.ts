import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SimulatedNetwork } from '../../server/live/simulatedNetwork';
import type { IqFrame } from '../../server/live/types';
import { geodesicInverse } from '../../src/core/geodesy';
import { LiveSimulator } from '../../src/core/live/liveSimulator';
import {
  isKeyed,
  scenarioSchema,
  transmitterPosition,
  type ScenarioConfig,
} from '../../src/core/live/scenario';
import { constellationSchema } from '../../src/core/modelMetadata';
import { REFERENCE_DBM } from '../../src/core/sim/physics';

const constellation = constellationSchema.parse(
  JSON.parse(readFileSync(new URL('../../training/constellation.json', import.meta.url), 'utf8')),
);
const FS = 12_000;
const scenario = (s: Record<string, unknown>): ScenarioConfig => scenarioSchema.parse(s);
const meanPower = (iq: Float32Array) => {
  let p = 0;
  for (let i = 0; i < iq.length; i++) p += iq[i] * iq[i];
  return p / (iq.length / 2);
};

describe('scenario truth', () => {
  const moving = scenario({
    transmitter: {
      motion: 'moving',
      from: { lat: 44.9, lon: 7.4 },
      to: { lat: 44.9, lon: 9.0 },
      speedMps: 1000,
    },
  });
  const legS = geodesicInverse({ lat: 44.9, lon: 7.4 }, { lat: 44.9, lon: 9.0 }).distanceM / 1000;

  it('moves along the geodesic at the given speed and comes back', () => {
    expect(transmitterPosition(moving, 0)).toEqual({ lat: 44.9, lon: 7.4 });
    const end = transmitterPosition(moving, legS);
    expect(end.lon).toBeCloseTo(9.0, 6);
    expect(end.lat).toBeCloseTo(44.9, 6);
    expect(transmitterPosition(moving, 2 * legS).lon).toBeCloseTo(7.4, 6);
    // 100 s at 1 km/s is 100 km from the start, eastwards.
    const p = transmitterPosition(moving, 100);
    expect(geodesicInverse({ lat: 44.9, lon: 7.4 }, p).distanceM).toBeCloseTo(100_000, 0);
    const lons = [0, 20, 40, 60, 80].map((t) => transmitterPosition(moving, t).lon);
    expect(lons).toEqual([...lons].sort((a, b) => a - b));
    const back = [legS + 10, legS + 30].map((t) => transmitterPosition(moving, t).lon);
    expect(back[1]).toBeLessThan(back[0]);
  });

  it('keys on and off on the push-to-talk schedule', () => {
    const s = scenario({ keying: { onS: 3, offS: 1 } });
    expect([0, 2.9, 3.1, 3.9, 4.0, 6.9, 7.5].map((t) => isKeyed(s, t))).toEqual([
      true,
      true,
      false,
      false,
      true,
      true,
      false,
    ]);
    expect(isKeyed(scenario({ keying: { onS: 1, offS: 0 } }), 123.4)).toBe(true);
  });
});

describe('LiveSimulator', () => {
  const fixed = (extra: Record<string, unknown> = {}) =>
    scenario({
      kind: 'carrier',
      transmitter: { motion: 'fixed', position: { lat: 45.1, lon: 7.5 } },
      keying: { onS: 1, offS: 0 },
      ...extra,
    });

  it('produces seamless streams: four 100 ms chunks equal one 400 ms chunk', () => {
    for (const kind of ['carrier', 'nbfm', 'fsk', 'afsk', 'cw'] as const) {
      const a = new LiveSimulator(fixed({ kind, chunkMs: 100 }), constellation, FS, 0);
      const b = new LiveSimulator(fixed({ kind, chunkMs: 400 }), constellation, FS, 0);
      const parts = [0, 1, 2, 3].map(() => a.nextChunk());
      const whole = b.nextChunk();
      for (let r = 0; r < 3; r++) {
        const joined = new Float32Array(2 * 4800);
        parts.forEach((c, k) => joined.set(c.iq[r], k * 2400));
        expect(Array.from(joined)).toEqual(Array.from(whole.iq[r]));
      }
    }
  });

  it('stamps chunks on one clock for every receiver and is deterministic in the seed', () => {
    const start = Date.UTC(2026, 10, 1, 12);
    const sim = new LiveSimulator(fixed(), constellation, FS, start);
    const c0 = sim.nextChunk();
    const c1 = sim.nextChunk();
    expect([c0.startSample, c1.startSample]).toEqual([0, 1200]);
    expect([c0.captureTimeMs, c1.captureTimeMs]).toEqual([start, start + 100]);
    expect(c0.iq.map((x) => x.length)).toEqual([2400, 2400, 2400]);
    const again = new LiveSimulator(fixed(), constellation, FS, start).nextChunk();
    expect(Array.from(again.iq[1])).toEqual(Array.from(c0.iq[1]));
    const otherSeed = new LiveSimulator(fixed({ seed: 2 }), constellation, FS, start).nextChunk();
    expect(Array.from(otherSeed.iq[1])).not.toEqual(Array.from(c0.iq[1]));
  });

  it('gives each receiver the power of its distance, and only noise while unkeyed', () => {
    const sim = new LiveSimulator(
      fixed({ keying: { onS: 1, offS: 1 }, chunkMs: 500 }),
      constellation,
      FS,
      0,
    );
    const on = sim.nextChunk();
    sim.nextChunk(); // 0.5-1.0 s: still keyed
    sim.nextChunk(); // 1.0-1.5 s: unkeyed, after the key-up's 2 ms decay
    const off = sim.nextChunk(); // 1.5-2.0 s: off the air
    const [giaveno, milano, genova] = on.iq.map(meanPower);
    // The transmitter is about 20 km from Giaveno and 130-170 km from the others.
    expect(giaveno).toBeGreaterThan(milano);
    expect(giaveno).toBeGreaterThan(genova);
    on.links.forEach((l, r) => {
      const dbfs = (dbm: number) => 10 ** ((dbm - REFERENCE_DBM + l.gainOffsetDb) / 10);
      const expected = dbfs(l.signalDbm) + dbfs(l.noiseDbm);
      // Rician fading with K >= 10 dB moves the power between about -3.7 and +2 dB.
      expect(Math.abs(10 * Math.log10(meanPower(on.iq[r]) / expected))).toBeLessThan(4);
      const noise = dbfs(l.noiseDbm);
      expect(Math.abs(10 * Math.log10(meanPower(off.iq[r]) / noise))).toBeLessThan(0.5);
    });
    expect(on.truth.keyed).toBe(true);
    expect(off.truth.keyed).toBe(false);
  });

  it('follows a moving transmitter: the eastern receivers grow louder as it goes east', () => {
    const sim = new LiveSimulator(
      scenario({
        transmitter: {
          motion: 'moving',
          from: { lat: 44.9, lon: 7.4 },
          to: { lat: 44.9, lon: 9.0 },
          speedMps: 20_000,
        },
        chunkMs: 1000,
      }),
      constellation,
      FS,
      0,
    );
    const chunks = [0, 1, 2, 3, 4].map(() => sim.nextChunk());
    const lons = chunks.map((c) => c.truth.position.lon);
    expect(lons).toEqual([...lons].sort((a, b) => a - b));
    const milanoDbm = chunks.map((c) => c.links[1].signalDbm);
    const giavenoDbm = chunks.map((c) => c.links[0].signalDbm);
    expect(milanoDbm.at(-1)! - milanoDbm[0]).toBeGreaterThan(5);
    expect(giavenoDbm.at(-1)! - giavenoDbm[0]).toBeLessThan(-5);
  });
});

describe('SimulatedNetwork', () => {
  it('streams in real time on one clock and runs only while a source is started', async () => {
    const net = new SimulatedNetwork({
      scenario: scenario({ chunkMs: 50 }),
      constellation,
      modelSampleRateHz: FS,
    });
    const frames: IqFrame[][] = net.sources.map(() => []);
    net.sources.forEach((s, i) => s.on('frame', (f) => frames[i].push(f)));
    const t0 = Date.now();
    net.sources.forEach((s) => s.start());
    await new Promise((r) => setTimeout(r, 1_000));
    await net.stop();
    const elapsed = Date.now() - t0;
    const counts = frames.map((f) => f.length);
    // 50 ms chunks: one per 50 ms of wall clock, give or take the timer's granularity.
    for (const n of counts) expect(Math.abs(n - elapsed / 50)).toBeLessThanOrEqual(3);
    for (const f of frames.flat()) expect(f.captureTimeMs + 50).toBeLessThanOrEqual(Date.now());
    // The same capture times at every receiver: windows cut by time are consistent.
    expect(frames[0].map((f) => f.captureTimeMs)).toEqual(
      frames[2].map((f) => f.captureTimeMs).slice(0, frames[0].length),
    );
    const after = counts.reduce((a, b) => a + b, 0);
    await new Promise((r) => setTimeout(r, 200));
    expect(frames.flat().length).toBe(after);
  });
});
