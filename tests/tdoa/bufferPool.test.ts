/** The solver's scratch pool (src/core/tdoa/bufferPool.ts): reuse, exclusivity, limits. */
import { afterEach, describe, expect, it } from 'vitest';
import {
  borrowFloat32,
  borrowFloat64,
  giveBack,
  pooledByteCount,
  releasePool,
} from '../../src/core/tdoa/bufferPool';

describe('buffer pool', () => {
  afterEach(releasePool);

  it('hands a given-back array out again, and never one still borrowed', () => {
    const a = borrowFloat32(300_000);
    const b = borrowFloat32(300_000);
    expect(a.buffer).not.toBe(b.buffer);
    giveBack(a);
    expect(pooledByteCount()).toBe(1_200_000);
    const c = borrowFloat64(150_000);
    expect(c.buffer).toBe(a.buffer);
    expect(c.length).toBe(150_000);
    expect(pooledByteCount()).toBe(0);
    giveBack(b, c, undefined);
    giveBack(b); // twice: kept once
    expect(pooledByteCount()).toBe(2_400_000);
  });

  it('keeps neither small arrays nor a buffer far larger than asked for', () => {
    giveBack(new Float32Array(1000));
    expect(pooledByteCount()).toBe(0);
    giveBack(borrowFloat32(4_000_000));
    expect(borrowFloat32(100_000).buffer.byteLength).toBe(400_000);
    expect(pooledByteCount()).toBe(16_000_000);
    releasePool();
    expect(pooledByteCount()).toBe(0);
  });
});
