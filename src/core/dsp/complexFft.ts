/**
 * Forward complex FFTs for the TDoA solver (issue 12, item 10: speed): PFFFT compiled to
 * WebAssembly with SIMD (@echogarden/pffft-wasm), the same module in the browser's worker and in
 * Node. On the 4096-point blocks the solver transforms about 1400 times per scene it is several
 * times faster than fft.js, and the caller writes its input and reads its output in place (no
 * copies). The transform is unnormalised with the e^{-i...} kernel, exactly what fft.js's
 * `transform` computes, on the same interleaved re/im layout; it runs in float32 (the solver
 * keeps its spectra in float32 anyway), so values agree with fft.js's float64 to about 2e-7 of
 * the block's largest bin (tests/dsp/complexFft.test.ts).
 *
 * `loadComplexFft()` loads the module once per runtime; until it has, and where a runtime has no
 * WebAssembly, fft.js serves (slower, never wrong).
 */
import FFT from 'fft.js';

export interface ComplexFft {
  readonly size: number;
  /** Where the caller writes the input: `size` complex values, interleaved re/im. */
  readonly input: Float32Array;
  /** The DFT of the input after `run()`, interleaved re/im; valid until the next run. */
  readonly output: Float32Array;
  run(): void;
}

/** PFFFT's enum values pffft_transform_t PFFFT_COMPLEX and pffft_direction_t PFFFT_FORWARD. */
const PFFFT_COMPLEX = 1;
const PFFFT_FORWARD = 0;

let module: PffftModule | null = null;
let loading: Promise<void> | undefined;

/** Loads PFFFT once: the SIMD build, else the plain one (a runtime without WASM SIMD), else none. */
export function loadComplexFft(): Promise<void> {
  loading ??= (async () => {
    try {
      module = await (await import('@echogarden/pffft-wasm/simd')).default();
    } catch {
      try {
        module = await (await import('@echogarden/pffft-wasm')).default();
      } catch {
        module = null;
      }
    }
  })();
  return loading;
}

const made = new Map<number, ComplexFft>();

/**
 * The transform of n points (a power of two; PFFFT needs at least 16). One per size, shared: its
 * input and output are overwritten by every caller, so use them between one write and one read.
 */
export function complexFft(n: number): ComplexFft {
  const known = made.get(n);
  if (known && (module === null || known instanceof WasmFft)) return known;
  const setup = module && n >= 16 ? module._pffft_new_setup(n, PFFFT_COMPLEX) : 0;
  const fft = module && setup ? new WasmFft(module, setup, n) : new JsFft(n);
  made.set(n, fft);
  return fft;
}

class WasmFft implements ComplexFft {
  private readonly inputAt: number;
  private readonly outputAt: number;
  private readonly workAt: number;
  private views: { heap: ArrayBufferLike; input: Float32Array; output: Float32Array } | undefined;

  constructor(
    private readonly m: PffftModule,
    private readonly setup: number,
    readonly size: number,
  ) {
    // 16-byte aligned, as PFFFT requires; they live as long as the module.
    this.inputAt = m._pffft_aligned_malloc(8 * size);
    this.outputAt = m._pffft_aligned_malloc(8 * size);
    this.workAt = m._pffft_aligned_malloc(8 * size);
  }

  /** Views on the module's memory, made again when an allocation has grown (replaced) it. */
  private current() {
    const heap = this.m.HEAPF32;
    if (!this.views || this.views.heap !== heap.buffer) {
      this.views = {
        heap: heap.buffer,
        input: heap.subarray(this.inputAt / 4, this.inputAt / 4 + 2 * this.size),
        output: heap.subarray(this.outputAt / 4, this.outputAt / 4 + 2 * this.size),
      };
    }
    return this.views;
  }

  get input(): Float32Array {
    return this.current().input;
  }

  get output(): Float32Array {
    return this.current().output;
  }

  run(): void {
    this.m._pffft_transform_ordered(
      this.setup,
      this.inputAt,
      this.outputAt,
      this.workAt,
      PFFFT_FORWARD,
    );
  }
}

/** fft.js on float32 input and output, for sizes or runtimes PFFFT does not serve. */
class JsFft implements ComplexFft {
  readonly input: Float32Array;
  readonly output: Float32Array;
  private readonly fft: FFT;
  private readonly x: Float64Array;
  private readonly y: Float64Array;

  constructor(readonly size: number) {
    this.fft = new FFT(size);
    this.input = new Float32Array(2 * size);
    this.output = new Float32Array(2 * size);
    this.x = new Float64Array(2 * size);
    this.y = new Float64Array(2 * size);
  }

  run(): void {
    this.x.set(this.input);
    this.fft.transform(this.y, this.x);
    this.output.set(this.y);
  }
}
