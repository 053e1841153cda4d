/**
 * complexFft (src/core/dsp/complexFft.ts): PFFFT's WebAssembly transform gives what fft.js gives
 * (the float64 reference the solver used before), to float32 precision, at every size the solver
 * asks for; the fft.js fallback (before the module is loaded, or sizes PFFFT does not serve) too.
 */
import FFT from 'fft.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { complexFft, loadComplexFft, type ComplexFft } from '../../src/core/dsp/complexFft';

/** A deterministic complex test signal: a tone, a chirp and pseudo-random noise. */
function signal(n: number): Float64Array {
  const x = new Float64Array(2 * n);
  let seed = 12345;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1;
  for (let i = 0; i < n; i++) {
    const phase = (2 * Math.PI * 37.3 * i) / n + (Math.PI * i * i) / (4 * n);
    x[2 * i] = 10 * Math.cos(phase) + rand();
    x[2 * i + 1] = 10 * Math.sin(phase) + rand();
  }
  return x;
}

/** Largest difference over the largest reference magnitude. */
function relativeError(got: ArrayLike<number>, want: ArrayLike<number>): number {
  let err = 0;
  let top = 0;
  for (let i = 0; i < want.length; i++) {
    err = Math.max(err, Math.abs(got[i] - want[i]));
    top = Math.max(top, Math.abs(want[i]));
  }
  return err / top;
}

/** The transform's output for the test signal, against fft.js's float64 transform of it. */
function errorAgainstFftJs(fft: ComplexFft): number {
  const x = signal(fft.size);
  fft.input.set(x);
  fft.run();
  const want = new Float64Array(x.length);
  new FFT(fft.size).transform(want, x);
  return relativeError(fft.output, want);
}

describe('complexFft', () => {
  it('serves fft.js before the module is loaded, with its values to float32 precision', () => {
    expect(errorAgainstFftJs(complexFft(8))).toBeLessThan(1e-6);
  });

  describe('with PFFFT loaded', () => {
    beforeAll(() => loadComplexFft());
    for (const n of [16, 64, 512, 4096, 8192]) {
      it(`matches fft.js at ${n} points`, () => {
        const fft = complexFft(n);
        expect(fft.constructor.name).toBe('WasmFft');
        expect(errorAgainstFftJs(fft)).toBeLessThan(1e-6);
      });
    }
    it('keeps its input and output views valid when another size grows the memory', () => {
      const fft = complexFft(1024);
      complexFft(1 << 16); // a large setup: the module's memory may grow and be replaced
      expect(errorAgainstFftJs(fft)).toBeLessThan(1e-6);
    });
    it('an 8-point transform (below what PFFFT serves) still comes from fft.js', () => {
      const fft = complexFft(8);
      expect(fft.constructor.name).toBe('JsFft');
      expect(errorAgainstFftJs(fft)).toBeLessThan(1e-6);
    });
  });
});
