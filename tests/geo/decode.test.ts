import { describe, expect, it } from 'vitest';
import { decodeBatch, decodeRow } from '../../src/core/decode';
import { kForProbability } from '../../src/core/ellipse';
import { outputLayouts, outputSchema, type ModelOutput } from '../../src/core/modelMetadata';

const diagonal: ModelOutput = outputSchema.parse({
  name: 'estimate',
  covariance: 'diagonal',
  layout: [...outputLayouts.diagonal],
  frame: 'local-east-north-at-estimate',
});
const full: ModelOutput = { ...diagonal, covariance: 'full', layout: [...outputLayouts.full] };

describe('decodeRow', () => {
  it('decodes the diagonal layout', () => {
    const e = decodeRow([48.1, 11.6, 300, 500], diagonal);
    expect(e.lat).toBe(48.1);
    expect(e.lon).toBe(11.6);
    expect(e.cov).toEqual({ ee: 90000, en: 0, nn: 250000 });
    expect(e.ellipses.map((x) => x.p)).toEqual([0.68, 0.95]);
    expect(e.ellipses[0].semiMajorM).toBeCloseTo(500 * kForProbability(0.68), 9);
    expect(e.ellipses[1].semiMinorM).toBeCloseTo(300 * kForProbability(0.95), 9);
    expect(e.ellipses[1].azimuthDeg).toBe(0); // north-south major axis
  });

  it('decodes the full layout: en = rho * sigmaEast * sigmaNorth', () => {
    const e = decodeRow([-33.9, 151.2, 1000, 1000, 0.5], full);
    expect(e.cov.ee).toBe(1e6);
    expect(e.cov.nn).toBe(1e6);
    expect(e.cov.en).toBe(0.5e6);
    // Equal sigmas, positive correlation: the major axis points north-east.
    expect(e.ellipses[0].azimuthDeg).toBeCloseTo(45, 9);
    // Eigenvalues (1 +- rho) sigma^2.
    expect(e.ellipses[1].semiMajorM).toBeCloseTo(Math.sqrt(1.5e6) * kForProbability(0.95), 6);
    expect(e.ellipses[1].semiMinorM).toBeCloseTo(Math.sqrt(0.5e6) * kForProbability(0.95), 6);
  });

  it('finds columns by name, in any order', () => {
    const shuffled = {
      ...full,
      layout: ['rhoEastNorth', 'sigmaNorthM', 'lon', 'sigmaEastM', 'lat'],
    };
    const e = decodeRow([-0.25, 200, 11.6, 100, 48.1], shuffled);
    expect(e).toMatchObject({
      lat: 48.1,
      lon: 11.6,
      cov: { ee: 1e4, en: -0.25 * 100 * 200, nn: 4e4 },
    });
  });

  it('wraps the longitude into [-180, 180)', () => {
    expect(decodeRow([0, 181, 1, 1], diagonal).lon).toBe(-179);
  });

  it('rejects impossible rows with InferenceError', () => {
    const bad: [number[], ModelOutput, RegExp][] = [
      [[NaN, 11, 1, 1], diagonal, /non-finite/],
      [[48, Infinity, 1, 1], diagonal, /non-finite/],
      [[48, 11, 0, 1], diagonal, /sigmas must be > 0/],
      [[48, 11, 1, -5], diagonal, /sigmas must be > 0/],
      [[91, 11, 1, 1], diagonal, /latitude/],
      [[48, 11, 1, 1, 1], full, /correlation/],
      [[48, 11, 1, 1, -1.2], full, /correlation/],
      [[48, 11, 1, 1, NaN], full, /non-finite/],
      [[48, 11, 1], diagonal, /3 values/],
      [[48, 11, 1, 1], full, /4 values/],
    ];
    for (const [row, output, message] of bad) {
      expect(() => decodeRow(row, output)).toThrow(message);
      expect(() => decodeRow(row, output)).toThrow(
        expect.objectContaining({ name: 'InferenceError' }),
      );
    }
  });

  it('rejects a layout lacking a needed column with ManifestError', () => {
    const broken = { ...full, layout: ['lat', 'lon', 'sigmaEastM', 'sigmaNorthM', 'rho'] };
    expect(() => decodeRow([1, 2, 3, 4, 0], broken)).toThrow(
      expect.objectContaining({ name: 'ManifestError' }),
    );
  });
});

describe('decodeBatch', () => {
  it('decodes a row-major (batch, n) tensor', () => {
    const data = new Float32Array([
      48.1, 11.6, 300, 500, 0.1, 70.2, 20.5, 50, 40, -0.9, 0, 0, 1, 2, 0,
    ]);
    const out = decodeBatch(data, [3, 5], full);
    expect(out).toHaveLength(3);
    expect(out[1].lat).toBe(Math.fround(70.2));
    expect(out[1].cov.en).toBeCloseTo(Math.fround(-0.9) * 50 * 40, 9);
    expect(out[2].cov).toEqual({ ee: 1, en: 0, nn: 4 });
    expect(decodeBatch(new Float32Array(0), [0, 5], full)).toEqual([]);
  });

  it('names the bad row and checks dims', () => {
    const data = new Float32Array([48, 11, 1, 1, 48, 11, 1, 0]);
    expect(() => decodeBatch(data, [2, 4], diagonal)).toThrow(/row 1/);
    expect(() => decodeBatch(data, [4, 2], diagonal)).toThrow(/dims \[4, 2\]/);
    expect(() => decodeBatch(data, [8], diagonal)).toThrow(/expected \[batch, 4\]/);
    expect(() => decodeBatch(data, [3, 4], diagonal)).toThrow(/holds 8 values/);
  });
});
