/**
 * A receiver's frequency error from the drift of the cross-spectrum's phase across blocks
 * (frequencyDrift.ts): exact to a small fraction of a hertz where the spectral-shape estimate is
 * good to tenths, beyond a bin too, and silent where the two stations share no signal.
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng';
import { crossLagged, driftShiftHz, refBand } from '../../src/core/tdoa/frequencyDrift';

const N = 128;
const HOP = N / 2;
const FS = 1000;
const BLOCKS = 40;
const BIN_HZ = FS / N;

/** Hann-windowed block spectra (plain DFT) of complex samples x (re/im interleaved). */
function blockSpectra(x: Float64Array): Float32Array {
  const out = new Float32Array(BLOCKS * N * 2);
  for (let k = 0; k < BLOCKS; k++) {
    for (let f = 0; f < N; f++) {
      let re = 0;
      let im = 0;
      for (let t = 0; t < N; t++) {
        const w = 0.5 - 0.5 * Math.cos((2 * Math.PI * t) / N);
        const xr = x[2 * (k * HOP + t)] * w;
        const xi = x[2 * (k * HOP + t) + 1] * w;
        const ph = (-2 * Math.PI * f * t) / N;
        re += xr * Math.cos(ph) - xi * Math.sin(ph);
        im += xr * Math.sin(ph) + xi * Math.cos(ph);
      }
      out[2 * (k * N + f)] = re;
      out[2 * (k * N + f) + 1] = im;
    }
  }
  return out;
}

/** A common noise-like signal, the second station's offset by dfHz and delayed 3 samples. */
function pair(dfHz: number, seed: number, shared = true) {
  const rng = new Rng(seed);
  const len = (BLOCKS + 1) * HOP + 8;
  const s = Float64Array.from({ length: 2 * len }, () => rng.normal());
  const other = shared ? s : Float64Array.from({ length: 2 * len }, () => rng.normal());
  const a = new Float64Array(2 * len);
  const b = new Float64Array(2 * len);
  for (let t = 0; t < len - 3; t++) {
    a[2 * t] = s[2 * t] + 0.3 * rng.normal();
    a[2 * t + 1] = s[2 * t + 1] + 0.3 * rng.normal();
    const ph = (2 * Math.PI * dfHz * t) / FS;
    const [r, i] = [other[2 * (t + 3)], other[2 * (t + 3) + 1]];
    b[2 * t] = r * Math.cos(ph) - i * Math.sin(ph) + 0.3 * rng.normal();
    b[2 * t + 1] = r * Math.sin(ph) + i * Math.cos(ph) + 0.3 * rng.normal();
  }
  return { a: blockSpectra(a), b: blockSpectra(b) };
}

const input = (a: Float32Array, b: Float32Array, coarseHz: number) => ({
  refSpectra: a,
  otherSpectra: b,
  refDeltas: new Float64Array(BLOCKS),
  otherDeltas: new Float64Array(BLOCKS),
  blocks: BLOCKS,
  blockSize: N,
  // The middle half of the band.
  bins: Int32Array.from({ length: N / 2 }, (_, j) => (j - N / 4 + N) % N),
  hopS: HOP / FS,
  coarseHz,
  binHz: BIN_HZ,
});

describe('frequency error from the phase drift', () => {
  it('measures a third of a bin to a hundredth of a hertz when the coarse estimate says 0', () => {
    const { a, b } = pair(2.6, 1);
    expect(driftShiftHz(input(a, b, 0))).toBeCloseTo(2.6, 2);
  });

  it('measures beyond a bin, to 1 % of one, around a coarse estimate a few tenths of a bin off', () => {
    const { a, b } = pair(-11.3, 2);
    expect(driftShiftHz(input(a, b, -12.5))).toBeCloseTo(-11.3, 1);
    const up = pair(9.1, 3);
    expect(driftShiftHz(input(up.a, up.b, 8.2))).toBeCloseTo(9.1, 1);
  });

  it('gives exactly the same answer from the reference band moved once (refBand)', () => {
    const { a, b } = pair(-11.3, 2);
    const plain = input(a, b, -12.5);
    // Deltas that are not zero, so the moving itself is exercised.
    plain.refDeltas = Float64Array.from({ length: BLOCKS }, (_, k) => 0.37 - 0.01 * k);
    plain.otherDeltas = Float64Array.from({ length: BLOCKS }, (_, k) => -0.2 + 0.02 * k);
    const nb = plain.bins.length;
    const moved = refBand(
      a,
      plain.refDeltas,
      BLOCKS,
      N,
      plain.bins,
      new Float64Array(BLOCKS * nb * 2),
    );
    const once = driftShiftHz({ ...plain, refBand: moved });
    expect(once).toBeDefined();
    expect(once).toBe(driftShiftHz(plain));
  });

  it('says nothing when the two stations share no signal', () => {
    const { a, b } = pair(2.6, 4, false);
    expect(driftShiftHz(input(a, b, 0))).toBeUndefined();
  });
});

describe('crossLagged', () => {
  it("gives the block product and both lags' sums exactly as one pass per lag does", () => {
    const rng = new Rng(7, 1);
    const nb = 37;
    const vec = () => Float64Array.from({ length: 2 * nb }, () => rng.normal());
    const [a, b, then1, then2] = [vec(), vec(), vec(), vec()];
    for (const lags of [0, 1, 2]) {
      const start = Float64Array.from({ length: 6 }, () => rng.normal());
      const sum = Float64Array.from(start);
      const now = new Float64Array(2 * nb);
      crossLagged(a, b, nb, now, then1, then2, lags, sum);
      // The product, then each lag's sums in a pass of their own (the definition).
      const want = Float64Array.from(start);
      const x = new Float64Array(2 * nb);
      for (let j = 0; j < nb; j++) {
        x[2 * j] = a[2 * j] * b[2 * j] + a[2 * j + 1] * b[2 * j + 1];
        x[2 * j + 1] = a[2 * j] * b[2 * j + 1] - a[2 * j + 1] * b[2 * j];
      }
      [then1, then2].slice(0, lags).forEach((y, l) => {
        for (let j = 0; j < nb; j++) {
          const [xr, xi, yr, yi] = [x[2 * j], x[2 * j + 1], y[2 * j], y[2 * j + 1]];
          want[3 * l] += xr * yr + xi * yi;
          want[3 * l + 1] += xi * yr - xr * yi;
          want[3 * l + 2] += (xr * xr + xi * xi) * (yr * yr + yi * yi);
        }
      });
      expect(Array.from(now)).toEqual(Array.from(x));
      expect(Array.from(sum)).toEqual(Array.from(want));
    }
  });
});
