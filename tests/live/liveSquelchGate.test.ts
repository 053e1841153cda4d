import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LogMel, windowSamples } from '../../src/core/dsp/logMel';
import { InferenceGate } from '../../src/core/live/inferenceGate';
import { LiveSimulator } from '../../src/core/live/liveSimulator';
import { scenarioSchema } from '../../src/core/live/scenario';
import { DEFAULT_SQUELCH_DB, Squelch } from '../../src/core/live/squelch';
import { constellationSchema, modelMetadataSchema } from '../../src/core/modelMetadata';
import { Rng } from '../../src/core/rng';

const read = (path: string) => JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8'));
const p = modelMetadataSchema.parse(
  read('../fixtures/models/tiny-1.0.0/metadata.json'),
).preprocessing;
const constellation = constellationSchema.parse(read('../../training/constellation.json'));
const N = windowSamples(p);
const logMel = new LogMel(p);

function noise(seed: number, powerDbfs: number): Float32Array {
  const rng = new Rng(seed, 7);
  const std = Math.sqrt(10 ** (powerDbfs / 10) / 2);
  return Float32Array.from({ length: 2 * N }, () => std * rng.normal());
}

function withTone(iq: Float32Array, hz: number, powerDbfs: number): Float32Array {
  const a = Math.sqrt(10 ** (powerDbfs / 10));
  return iq.map((v, i) => {
    const n = i >> 1;
    const phase = (2 * Math.PI * hz * n) / p.sampleRateHz;
    return v + a * (i % 2 ? Math.sin(phase) : Math.cos(phase));
  });
}

describe('squelch: peak over noise of the log-mel', () => {
  const squelch = new Squelch(p);

  it('stays closed on white noise at any level (no false opening in 40 windows)', () => {
    for (let k = 0; k < 40; k++) {
      const level = -100 + k; // the rule is level-independent
      const d = squelch.decide([0, 1, 2].map((r) => logMel.compute(noise(100 * k + r, level))));
      expect(d.open).toBe(false);
      for (const db of d.peakOverNoiseDb) expect(db).toBeLessThan(5);
    }
  });

  it('opens when one receiver hears a weak carrier, and says which', () => {
    // A carrier 10 dB under the total noise power in 12 kHz is ~17 dB over the noise in its bin.
    const quiet = [noise(1, -90), noise(2, -90)];
    const d = squelch.decide(
      [...quiet, withTone(noise(3, -90), 1234, -100)].map((x) => logMel.compute(x)),
    );
    expect(d.hears).toEqual([false, false, true]);
    expect(d.open).toBe(true);
    expect(d.peakOverNoiseDb[2]).toBeGreaterThan(DEFAULT_SQUELCH_DB + 1);
    // Far below the noise the carrier is not heard.
    const buried = squelch.decide(
      [withTone(noise(4, -90), 1234, -125)].map((x) => logMel.compute(x)),
    );
    expect(buried.open).toBe(false);
  });

  it('ignores a DC spur at the tuned frequency', () => {
    // A DC offset 30 dB over the noise in one FFT bin (-117 dBFS per bin here).
    const dc = noise(5, -90).map((v, i) => (i % 2 ? v : v + 10 ** (-87 / 20)));
    expect(squelch.decide([logMel.compute(dc)]).open).toBe(false);
  });

  it('opens on the simulated network while keyed and closes while the transmitter is off', () => {
    for (const kind of ['nbfm', 'cw', 'fsk', 'afsk', 'carrier'] as const) {
      const s = scenarioSchema.parse({ kind, keying: { onS: 2, offS: 2 }, chunkMs: 100 });
      const sim = new LiveSimulator(s, constellation, p.sampleRateHz, 0);
      const chunks = Array.from({ length: 32 }, () => sim.nextChunk());
      /** Receiver r's window starting at chunk k (100 ms steps). */
      const windowAt = (k: number, r: number) => {
        const iq = new Float32Array(2 * 9 * 1200);
        for (let j = 0; j < 9; j++) iq.set(chunks[k + j].iq[r], 2 * 1200 * j);
        return logMel.compute(iq);
      };
      const decide = (k: number) => squelch.decide([0, 1, 2].map((r) => windowAt(k, r))).open;
      expect(decide(0), kind).toBe(true);
      // 2.1-2.9 s: off the air, past the key-up's few-millisecond decay.
      expect(decide(21), kind).toBe(false);
    }
  });
});

describe('inference gate (backpressure)', () => {
  it('keeps at most one window waiting: a newer one replaces it and the drop is counted', () => {
    const g = new InferenceGate<string>(2_000);
    g.offer('w1', 0);
    expect(g.take(10)).toEqual({ run: 'w1' });
    expect(g.offer('w2', 700)).toBeUndefined();
    expect(g.offer('w3', 1400)).toBe('w2'); // w2 is stale now
    expect(g.offer('w4', 2100)).toBe('w3');
    expect(g.take(2200)).toEqual({}); // w1 still in flight
    g.done();
    expect(g.take(2200)).toEqual({ run: 'w4' });
    expect(g.counters).toEqual({ offered: 4, dispatched: 2, droppedStale: 2, droppedAge: 0 });
    expect(g.dropRate).toBe(0.5);
  });

  it('drops a waiting window that is too old when its turn comes', () => {
    const g = new InferenceGate<string>(1_000);
    g.offer('w1', 0);
    g.take(0);
    g.offer('w2', 500);
    g.done();
    expect(g.take(1_600)).toEqual({ expired: 'w2' });
    expect(g.counters.droppedAge).toBe(1);
    expect(g.hasWaiting).toBe(false);
  });

  it('bounds the work in flight and the memory whatever the arrival rate', () => {
    const g = new InferenceGate<number>(10_000, 2);
    for (let k = 0; k < 1000; k++) {
      g.offer(k, k);
      g.take(k);
    }
    expect(g.busy).toBe(2);
    expect(g.counters.dispatched).toBe(2);
    expect(g.counters.droppedStale).toBe(997);
  });
});
