import { describe, expect, it } from 'vitest';
import { insideEllipse } from '../../src/core/ellipse';
import { localOffset } from '../../src/core/geodesy';
import { buildOverlays, overlayBounds } from '../../src/map/overlays';
import type { SceneView } from '../../src/state/types';
import { CONSTELLATION, prediction } from './fixtures';

const scene = (id: string, t: number, truth?: { lat: number; lon: number }): SceneView => ({
  id,
  captureTimeMs: t,
  recordingIds: ['a', 'b', 'c'],
  receivers: CONSTELLATION.receivers,
  missingReceiverIds: [],
  model: '1.0.0',
  truth,
});

describe('buildOverlays', () => {
  const scenes = [scene('s1', 1, { lat: 45.0, lon: 8.0 }), scene('s2', 2), scene('s3', 3)];
  const predictions = {
    s1: prediction('s1', 45.01, 8.02),
    s2: prediction('s2', 44.8, 8.5),
    s3: prediction('s3', 45.3, 7.9),
  };

  it('draws the selected estimate, both ellipses as closed rings, and its truth', () => {
    const o = buildOverlays(CONSTELLATION.receivers, scenes, predictions, 's1');
    expect(o.receivers.features.map((f) => f.properties.id)).toEqual(
      CONSTELLATION.receivers.map((r) => r.id),
    );
    expect(o.estimate.features[0].geometry.coordinates).toEqual([8.02, 45.01]);
    expect(o.ellipses.features.map((f) => f.properties.p)).toEqual([0.95, 0.68]);
    for (const f of o.ellipses.features) {
      const ring = f.geometry.coordinates[0];
      expect(ring[0]).toEqual(ring[ring.length - 1]);
      // Every vertex lies on the ellipse of its probability (geodesic ring from src/core).
      const p = Number(f.properties.p);
      const [lon, lat] = ring[10];
      const off = localOffset({ lat: 45.01, lon: 8.02 }, { lat, lon });
      expect(insideEllipse(predictions.s1.cov, off.eastM * 0.999, off.northM * 0.999, p)).toBe(
        true,
      );
      expect(insideEllipse(predictions.s1.cov, off.eastM * 1.001, off.northM * 1.001, p)).toBe(
        false,
      );
    }
    expect(o.truth.features[0].geometry.coordinates).toEqual([8.0, 45.0]);
  });

  it('puts the other scenes in the history, oldest first, newest with age 0', () => {
    const o = buildOverlays(CONSTELLATION.receivers, scenes, predictions, 's1');
    expect(o.history.features.map((f) => f.properties.sceneId)).toEqual(['s2', 's3']);
    expect(o.history.features.map((f) => f.properties.age)).toEqual([1, 0]);
  });

  it('draws no estimate, ellipse or truth when the selection has no result', () => {
    const o = buildOverlays(CONSTELLATION.receivers, scenes, {}, 's1');
    expect(o.estimate.features).toHaveLength(0);
    expect(o.ellipses.features).toHaveLength(0);
    expect(o.truth.features).toHaveLength(1); // truth is known before any result
    expect(o.history.features).toHaveLength(0);
  });
});

describe('overlayBounds', () => {
  it('covers receivers, history and the whole 95 % ring', () => {
    const scenes = [scene('s1', 1)];
    const big = prediction('s1', 44.0, 10.5, { ee: 4e8, en: 0, nn: 4e8 }); // 20 km sigma
    const o = buildOverlays(CONSTELLATION.receivers, scenes, { s1: big }, 's1');
    const [[w, s], [e, n]] = overlayBounds(o)!;
    expect(w).toBeCloseTo(7.27);
    expect(n).toBeCloseTo(45.478);
    // 2.45 sigma = 49 km east of 10.5 deg at 44 N is about 0.61 deg of longitude.
    expect(e).toBeGreaterThan(11.05);
    expect(s).toBeLessThan(43.6);
  });
  it('is null for an empty map', () => {
    expect(overlayBounds(buildOverlays([], [], {}, null))).toBeNull();
  });
});
