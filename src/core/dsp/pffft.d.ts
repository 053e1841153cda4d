/** The parts of @echogarden/pffft-wasm (PFFFT compiled by Emscripten; no types shipped) used here. */
interface PffftModule {
  HEAPF32: Float32Array;
  _pffft_new_setup(n: number, transform: number): number;
  _pffft_aligned_malloc(bytes: number): number;
  _pffft_transform_ordered(
    setup: number,
    input: number,
    output: number,
    work: number,
    direction: number,
  ): void;
}

declare module '@echogarden/pffft-wasm/simd' {
  const load: () => Promise<PffftModule>;
  export default load;
}

declare module '@echogarden/pffft-wasm' {
  const load: () => Promise<PffftModule>;
  export default load;
}
