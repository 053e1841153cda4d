import { describe, expect, it } from 'vitest';
import { geodesicInverse } from '../../src/core/geodesy';
import { LiveSimulator } from '../../src/core/live/liveSimulator';
import { LiveTdoaBuffer, liveTdoaRecording } from '../../src/core/live/liveTdoaBuffer';
import { scenarioSchema } from '../../src/core/live/scenario';
import { decodeFrame, encodeFrame } from '../../src/core/live/wireFormat';
import type { Constellation } from '../../src/core/modelMetadata';
import { kiwiSampleTiming } from '../../src/core/tdoa/kiwiTiming';
import { kiwiStampsOf } from '../../src/core/tdoa/kiwiStamps';
import { locateTdoa } from '../../src/core/tdoa/locateTdoa';

const CONSTELLATION = {
  id: 'test',
  bandHz: [144e6, 146e6],
  receivers: [
    { id: 'aquila-giaveno', name: 'Aquila', lat: 45.05, lon: 7.35 },
    { id: 'milano-baggio', name: 'Milano', lat: 45.46, lon: 9.1 },
    { id: 'genova', name: 'Genova', lat: 44.41, lon: 8.93 },
  ],
} as unknown as Constellation;
const TX = { lat: 44.9, lon: 8.3 };

/** Seconds of the GPS-mode network, through the wire format, into the TDoA buffer. */
function liveWindow(seconds: number) {
  const scenario = scenarioSchema.parse({
    seed: 3,
    physics: 'gentle',
    transmitter: { motion: 'fixed', position: TX },
    keying: { onS: 1, offS: 0 },
    gps: { signal: 'fsk', rateOffsetPpm: 30 },
  });
  const sim = new LiveSimulator(scenario, CONSTELLATION, 12_000, Date.UTC(2026, 11, 1, 12));
  const buffer = new LiveTdoaBuffer(CONSTELLATION.receivers, seconds + 1);
  const chunks = Math.ceil((seconds + 0.5) / (sim.chunkSamples / sim.sampleRateHz));
  for (let k = 0; k < chunks; k++) {
    const c = sim.nextChunk();
    c.iq.forEach((iq, i) => {
      const bytes = encodeFrame({
        receiverIndex: i,
        sequence: k + 1,
        connectionIndex: 1,
        captureTimeMs: c.gps![i].captureTimeMs,
        sampleRateHz: c.sampleRateHz,
        centerFrequencyHz: sim.centerFrequencyHz,
        timeExact: true,
        adcOverload: false,
        gps: c.gps![i].stamp,
        iq,
      });
      buffer.push(i, decodeFrame(bytes));
    });
  }
  return buffer.window(seconds);
}

describe('live TDoA on the GPS-stamped simulated network', () => {
  it('times every sample from the stamps: each receiver runs at its own rate', () => {
    const recs = liveWindow(6);
    expect(recs).toHaveLength(3);
    const rates = recs.map((r) => {
      const t = kiwiSampleTiming(
        kiwiStampsOf(r.info.extra)!,
        r.info.sampleRateHz,
        r.info.totalSamples,
        Date.parse(r.info.captureTime!),
      );
      if (!t.ok) throw new Error(t.reason);
      return t.timing.sampleRateHz;
    });
    // Up to 30 ppm off 12 kHz, and not all alike: the rate offsets are there and measured.
    for (const r of rates) expect(Math.abs(r / 12_000 - 1)).toBeLessThan(31e-6);
    expect(Math.max(...rates) - Math.min(...rates)).toBeGreaterThan(0.01);
  });

  it('locates the transmitter from a sliding window, through the shared solver', async () => {
    const recs = liveWindow(8);
    const result = await locateTdoa('live', recs.map(liveTdoaRecording), []);
    expect(result.stations.every((s) => s.used)).toBe(true);
    const errorKm = geodesicInverse(TX, { lat: result.lat!, lon: result.lon! }).distanceM / 1000;
    const delayUs = (id: string) => {
      const rx = CONSTELLATION.receivers.find((r) => r.id === id)!;
      return (geodesicInverse(TX, rx).distanceM / 299_792_458) * 1e6;
    };
    // Each pair's lag is the true difference of the times of flight, within 3 standard errors.
    for (const p of result.pairs)
      expect(Math.abs(p.lagUs - (delayUs(p.b) - delayUs(p.a)))).toBeLessThan(3 * p.sigmaUs);
    console.log(
      `live TDoA (8 s window, 3 stations): ${errorKm.toFixed(2)} km from the transmitter`,
    );
    expect(errorKm).toBeLessThan(2);
  }, 60_000);
});
