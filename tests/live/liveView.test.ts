import { describe, expect, it } from 'vitest';
import { LatencyWindow } from '../../src/live/latency';
import { buildLiveOverlays, TRACK_FADE_MS } from '../../src/live/liveOverlays';
import {
  createLiveSlice,
  initialLiveState,
  MAX_TRACK,
  type LiveStore,
} from '../../src/state/liveSlice';
import type { LiveEstimate } from '../../src/state/liveTypes';
import { rowMedianDb, WaterfallRows } from '../../src/live/waterfallRows';

const estimate = (k: number, lon: number): LiveEstimate => ({
  windowStartMs: k * 704,
  windowEndMs: (k + 1) * 704,
  lat: 45,
  lon,
  cov: { ee: 4e8, en: 0, nn: 1e8 },
  ellipses: [],
  modelVersion: '1.0.0',
  inferenceMs: 5,
});
const receivers = [{ receiverId: 'a', name: 'A', lat: 45, lon: 7 }];

describe('live map overlays', () => {
  it('draws the newest estimate with ellipses and the older ones as a track fading with age', () => {
    const track = [0, 1, 2, 3].map((k) => estimate(k, 7 + k / 10));
    const o = buildLiveOverlays(receivers, track, { timeMs: 0, lat: 44.9, lon: 7.5, keyed: true });
    expect(o.estimate.features[0].geometry.coordinates).toEqual([7.3, 45]);
    expect(o.ellipses.features.map((f) => f.properties.p)).toEqual([0.95, 0.68]);
    // The 95 % ellipse is wider than the 68 % one, east-west (sigma east 20 km).
    const span = (i: number) => {
      const lons = o.ellipses.features[i].geometry.coordinates[0].map((c) => c[0]);
      return Math.max(...lons) - Math.min(...lons);
    };
    expect(span(0)).toBeGreaterThan(span(1));
    expect(o.history.features.map((f) => f.geometry.coordinates[0])).toEqual([7, 7.1, 7.2]);
    const ages = o.history.features.map((f) => f.properties.age as number);
    expect(ages[0]).toBeCloseTo((3 * 704) / TRACK_FADE_MS, 9);
    expect(ages[2]).toBeCloseTo(704 / TRACK_FADE_MS, 9);
    expect(o.truth.features[0].geometry.coordinates).toEqual([7.5, 44.9]);
    expect(o.receivers.features[0].properties).toEqual({ id: 'a', name: 'A' });
  });

  it('leaves out estimates older than the fade and draws nothing before the first', () => {
    const old = estimate(0, 7);
    const now = estimate(100, 8);
    expect(buildLiveOverlays(receivers, [old, now], undefined).history.features).toEqual([]);
    const empty = buildLiveOverlays(receivers, [], undefined);
    expect(
      [empty.estimate, empty.ellipses, empty.history, empty.truth].map((c) => c.features.length),
    ).toEqual([0, 0, 0, 0]);
  });
});

describe('live store slice', () => {
  function store(): { get: () => LiveStore } {
    let state: LiveStore;
    state = createLiveSlice((fn) => {
      state = { ...state, ...fn(state) };
    });
    return { get: () => state };
  }

  it('keeps a bounded track and sets each estimate latency once', () => {
    const s = store();
    for (let k = 0; k < MAX_TRACK + 25; k++) s.get().addEstimate(estimate(k, 7));
    expect(s.get().estimates).toHaveLength(MAX_TRACK);
    expect(s.get().estimates[0].windowStartMs).toBe(25 * 704);
    const last = s.get().estimates.at(-1)!;
    s.get().markShown(last.windowStartMs, 120);
    s.get().markShown(last.windowStartMs, 999);
    expect(s.get().estimates.at(-1)!.latencyMs).toBe(120);
    s.get().resetLive();
    expect(s.get().estimates).toEqual(initialLiveState.estimates);
  });
});

describe('latency summary', () => {
  it('reports the last value and percentiles of a sliding window', () => {
    const w = new LatencyWindow(10);
    let s = w.add(100);
    for (let k = 1; k <= 20; k++) s = w.add(k * 10);
    // 110..200 kept; nearest rank, as the worker's metrics: p50 is the 5th of 10.
    expect(s).toEqual({ lastMs: 200, p50Ms: 150, p95Ms: 200, count: 10 });
  });
});

describe('waterfall rows', () => {
  it('puts a tone in the right column with the right level and the noise floor at the median', () => {
    const fs = 12_000;
    const rows: Float32Array[] = [];
    const w = new WaterfallRows(256, 512);
    // A -3 kHz tone of power 0.01 (-20 dBFS), in two pushes that split a block.
    const tone = (from: number, n: number) =>
      Float32Array.from({ length: 2 * n }, (_, i) => {
        const t = (from + (i >> 1)) / fs;
        const a =
          0.1 * (i % 2 ? Math.sin(-2 * Math.PI * 3000 * t) : Math.cos(-2 * Math.PI * 3000 * t));
        return a;
      });
    w.push(tone(0, 700), (r) => rows.push(r));
    w.push(tone(700, 1348), (r) => rows.push(r));
    expect(rows).toHaveLength(4);
    const row = rows[1];
    const peak = row.indexOf(Math.max(...row));
    // -3 kHz is a quarter of the band from the left edge: column 64 of 256.
    expect(Math.abs(peak - 64)).toBeLessThanOrEqual(1);
    // Hann: the peak bin holds about 10 log10(1/1.5) = -1.8 dB of the tone's power.
    expect(row[peak]).toBeGreaterThan(-23);
    expect(row[peak]).toBeLessThan(-19);
    expect(rowMedianDb(row)).toBeLessThan(-100);
  });
});
