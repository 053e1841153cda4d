import { describe, expect, it } from 'vitest';
import { geodesicInverse } from '../../src/core/geodesy';
import {
  networkCentroid,
  networkGeometry,
  packNetworkBatch,
  receiverOffsetsKm,
} from '../../src/core/networkFeatures';

describe('network features', () => {
  it('puts the centroid among receivers that straddle the antimeridian', () => {
    const c = networkCentroid([
      { lat: 10, lon: 179.5 },
      { lat: 10, lon: -179.5 },
    ]);
    expect(Math.abs(c.lon)).toBeCloseTo(180, 5);
    expect(c.lat).toBeCloseTo(10, 2);
  });

  it('gives offsets east/north of the centroid in km', () => {
    const rx = [
      { lat: 45, lon: 8 },
      { lat: 45, lon: 9 },
    ];
    const c = networkCentroid(rx);
    const off = receiverOffsetsKm(rx, c);
    const half = geodesicInverse(rx[0], rx[1]).distanceM / 2000;
    expect(off[0]).toBeCloseTo(-half, 0);
    expect(off[2]).toBeCloseTo(half, 0);
    expect(Math.abs(off[1])).toBeLessThan(1);
    expect(off[0] + off[2]).toBeCloseTo(0, 3);
  });

  it('refuses one receiver and more than twelve, naming the count', () => {
    expect(() => networkGeometry([{ lat: 1, lon: 1 }])).toThrow(
      /2 to 12 receivers, this scene has 1/,
    );
    const many = Array.from({ length: 13 }, (_, i) => ({ lat: i * 0.1, lon: 0 }));
    expect(() => networkGeometry(many)).toThrow(/has 13/);
  });

  it('pads scenes of different sizes into one masked batch', () => {
    const a = networkGeometry([
      { lat: 0, lon: 0 },
      { lat: 0, lon: 1 },
    ]);
    const b = networkGeometry([
      { lat: 0, lon: 0 },
      { lat: 1, lon: 0 },
      { lat: 1, lon: 1 },
    ]);
    const batch = packNetworkBatch(
      [
        { logmel: new Float32Array(2 * 4).fill(1), geometry: a },
        { logmel: new Float32Array(3 * 4).fill(2), geometry: b },
      ],
      4,
    );
    expect(batch.receivers).toBe(3);
    expect(Array.from(batch.mask)).toEqual([1, 1, 0, 1, 1, 1]);
    expect(Array.from(batch.logmel.subarray(8, 12))).toEqual([0, 0, 0, 0]);
    expect(Array.from(batch.logmel.subarray(12, 24))).toEqual(new Array(12).fill(2));
    expect(Array.from(batch.positionKm.subarray(6, 12))).toEqual(Array.from(b.positionKm));
    expect(() => packNetworkBatch([{ logmel: new Float32Array(5), geometry: a }], 4)).toThrow(
      /5 feature values for 2 receivers/,
    );
  });
});
