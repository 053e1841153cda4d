/**
 * The TDoA maths against an independent numpy/scipy implementation
 * (training/reference/make_tdoa_vectors.py -> tests/fixtures/tdoa/vectors.json).
 */
import { readFileSync } from 'node:fs';
import FFT from 'fft.js';
import { describe, expect, it } from 'vitest';
import { hannWindow } from '../../src/core/tdoa/blockSpectra';
import { estimatePairLag } from '../../src/core/tdoa/pairLag';
import { logLikelihood } from '../../src/core/tdoa/posteriorGrid';
import { fastDistanceM, fastPoint, geodesicDistanceM } from '../../src/core/tdoa/propagation';
import { delayModel } from '../../src/core/tdoa/solvePosition';

interface Vectors {
  distances: { a: [number, number]; b: [number, number]; distanceM: number }[];
  correlation: {
    blockSize: number;
    blocks: number;
    hop: number;
    sampleRateHz: number;
    bandHz: [number, number];
    trueDelaySamples: number;
    x: number[];
    y: number[];
    lagSamples: number;
  };
  likelihood: {
    stations: [number, number][];
    measuredS: number[];
    variancesS2: number[];
    points: [number, number][];
    logL: number[];
  };
}

const V = JSON.parse(
  readFileSync(new URL('../fixtures/tdoa/vectors.json', import.meta.url), 'utf8'),
) as Vectors;

describe('ground-wave distances against Vincenty (numpy)', () => {
  it('geographiclib agrees to a millimetre, Andoyer-Lambert (the grids) to 20 m up to 3000 km', () => {
    let worst = 0;
    for (const d of V.distances) {
      const a = { lat: d.a[0], lon: d.a[1] };
      const b = { lat: d.b[0], lon: d.b[1] };
      expect(Math.abs(geodesicDistanceM(a, b) - d.distanceM)).toBeLessThan(1e-3);
      const fast = fastDistanceM(fastPoint(a), fastPoint(b));
      worst = Math.max(worst, Math.abs(fast - d.distanceM));
    }
    expect(worst).toBeLessThan(20);
  });
});

describe('block envelope cross-correlation against scipy', () => {
  it('finds the same sub-sample lag (t_b - t_a positive: b delayed)', () => {
    const c = V.correlation;
    const n = c.blockSize;
    const fft = new FFT(n);
    const w = hannWindow(n);
    const bins: number[] = [];
    for (let i = 0; i < n; i++) {
      const k = i < n / 2 ? i : i - n;
      const hz = (k * c.sampleRateHz) / n;
      if (hz >= c.bandHz[0] && hz <= c.bandHz[1]) bins.push(i);
    }
    const spectra = (iq: number[]) => {
      const out = new Float32Array(c.blocks * bins.length * 2);
      const input = new Float64Array(2 * n);
      const spec = new Float64Array(2 * n);
      for (let b = 0; b < c.blocks; b++) {
        for (let i = 0; i < n; i++) {
          input[2 * i] = iq[2 * (b * c.hop + i)] * w[i];
          input[2 * i + 1] = iq[2 * (b * c.hop + i) + 1] * w[i];
        }
        fft.transform(spec, input);
        bins.forEach((bin, j) => {
          out[2 * (b * bins.length + j)] = spec[2 * bin];
          out[2 * (b * bins.length + j) + 1] = spec[2 * bin + 1];
        });
      }
      return out;
    };
    const est = estimatePairLag({
      specA: spectra(c.x),
      specB: spectra(c.y),
      blocks: c.blocks,
      bins: Int32Array.from(bins),
      weights: new Float64Array(bins.length).fill(1),
      blockSize: n,
      sampleRateHz: c.sampleRateHz,
      maxLagSamples: 20,
      overlap: 2,
    });
    const lagSamples = est.lagS * c.sampleRateHz;
    // Float32 spectra: agreement to a thousandth of a sample (7 ns at 12 kHz).
    expect(Math.abs(lagSamples - c.lagSamples)).toBeLessThan(1e-3);
    // And the truth lies within a few of the estimator's own standard errors.
    expect(Math.abs(lagSamples - c.trueDelaySamples)).toBeLessThan(
      4 * est.sigmaS * c.sampleRateHz + 0.01,
    );
    expect(est.atEdge).toBe(false);
  });
});

describe('grid log-likelihood against numpy with Vincenty distances', () => {
  it('matches at every point to within what 20 m of distance error allows', () => {
    const L = V.likelihood;
    const stations = L.stations.map(([lat, lon]) => ({ lat, lon }));
    const model = delayModel(stations, [0, ...L.measuredS], L.variancesS2);
    for (let i = 0; i < L.points.length; i++) {
      const [lat, lon] = L.points[i];
      // A one-cell grid centred on the point.
      const spec = {
        south: lat - 1e-6,
        west: lon - 1e-6,
        latStepDeg: 2e-6,
        lonStepDeg: 2e-6,
        rows: 1,
        cols: 1,
      };
      const got = logLikelihood(spec, model)[0];
      expect(Math.abs(got - L.logL[i])).toBeLessThan(1e-3 * Math.abs(L.logL[i]) + 0.05);
    }
  });
});
