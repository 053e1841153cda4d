import { describe, expect, it } from 'vitest';
import { predictionKey, sha256Hex } from '../../workers/hashing';

describe('sha256Hex', () => {
  it('gives the standard digests (FIPS 180-2 test vectors)', async () => {
    expect(await sha256Hex('abc')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
    expect(await sha256Hex('')).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
    // Parts are concatenated, UTF-8 for strings, whatever their kinds.
    expect(await sha256Hex('a', new TextEncoder().encode('b'), 'c')).toBe(await sha256Hex('abc'));
    expect(await sha256Hex('é€😀')).toBe(await sha256Hex(new TextEncoder().encode('é€😀')));
  });

  it('gives each of many calls in flight at once its own digest (the buffer is shared)', async () => {
    const inputs = Array.from({ length: 24 }, (_, i) =>
      Float32Array.from({ length: 3000 + 997 * i }, (_, j) => Math.sin(i * 1e4 + j)),
    );
    const oneByOne: string[] = [];
    for (const x of inputs) oneByOne.push(await predictionKey(x, '1.1.0', 'prep'));
    const together = await Promise.all(inputs.map((x) => predictionKey(x, '1.1.0', 'prep')));
    expect(together).toEqual(oneByOne);
    expect(new Set(together).size).toBe(inputs.length);
    // A large input grows the shared buffer; later small ones still hash alone.
    const big = new Float32Array(200_000).fill(1);
    const [a, b] = await Promise.all([sha256Hex(big), sha256Hex('abc')]);
    expect(b).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(a).toBe(await sha256Hex(new Uint8Array(big.buffer)));
  });
});
