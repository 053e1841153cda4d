import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TEST_REGISTRY } from '../../e2e/support/registries';
import { noiseScene } from '../../e2e/support/scenes';
import { windowSamples } from '../../src/core/dsp/logMel';
import type { Preprocessing } from '../../src/core/modelMetadata';
import preprocessing from '../../training/preprocessing.json';
import { connect, serverDouble, type Connected, type ServerDouble } from './harness';

const P = preprocessing as Preprocessing;

/** Noise at every receiver; with a carrier at `toneHz` added to receiver 0 when given. */
function window(seed: number, toneHz?: number): Float32Array[] {
  const { iq } = noiseScene(7, seed, 3, P);
  if (toneHz !== undefined) {
    const a = iq[0];
    for (let n = 0; n < windowSamples(P); n++) {
      const ph = (2 * Math.PI * toneHz * n) / P.sampleRateHz;
      a[2 * n] += 0.5 * Math.cos(ph);
      a[2 * n + 1] += 0.5 * Math.sin(ph);
    }
  }
  return iq;
}

describe('locateLiveWindow: squelch and features once, in the worker', () => {
  let server: ServerDouble;
  let engine: Connected | undefined;
  beforeAll(async () => {
    server = await serverDouble(TEST_REGISTRY);
  });
  afterEach(async () => {
    await engine?.close();
    engine = undefined;
  });
  afterAll(() => server.close());

  it('keeps noise from the model, locates a window some receiver hears, never caches either', async () => {
    engine = await connect(server.fetch);
    await engine.api.prepare('1.0.0');
    const quiet = await engine.api.locateLiveWindow({ sceneId: 'live-0', iq: window(0) });
    expect(quiet.result).toBeUndefined();
    expect(quiet.squelch.open).toBe(false);
    expect(quiet.squelch.peakOverNoiseDb).toHaveLength(3);
    expect(Math.max(...quiet.squelch.peakOverNoiseDb)).toBeLessThan(quiet.squelch.thresholdDb);

    const loud = await engine.api.locateLiveWindow({ sceneId: 'live-1', iq: window(1, 1500) });
    expect(loud.squelch.hears[0]).toBe(true);
    expect(loud.squelch.open).toBe(true);
    expect(loud.result?.cache).toBe('bypassed');
    expect(Number.isFinite(loud.result?.lat)).toBe(true);

    // The same window as a plain prediction gives the same estimate (one feature path).
    const plain = await engine.api.predictScene({ sceneId: 'p', iq: window(1, 1500) });
    expect({ lat: plain.lat, lon: plain.lon }).toEqual({
      lat: loud.result!.lat,
      lon: loud.result!.lon,
    });

    // A stricter squelch keeps even the carrier out.
    const strict = await engine.api.locateLiveWindow(
      { sceneId: 'live-2', iq: window(1, 1500) },
      { squelchDb: 200 },
    );
    expect(strict.result).toBeUndefined();

    const m = await engine.api.metrics();
    expect(m).toMatchObject({ squelched: 2, inFlight: 0 });
    expect(m.cache.entries).toBe(1); // only the plain prediction
  });
});
