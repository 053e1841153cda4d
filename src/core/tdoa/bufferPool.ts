/**
 * Large scratch arrays reused from one TDoA solve to the next (issue 12, item 10: warm speed).
 *
 * A solve of three 30 s recordings needs about 40 MB of short-lived typed arrays (block spectra,
 * band spectra, cross spectra, sample chunks). Fresh memory is expensive: the allocator hands out
 * new pages that are zeroed and faulted in on first touch, and V8 collects more often as external
 * memory grows. Measured on the 2-core development machine, first-touching 17 MB of new
 * Float32Array took 65-110 ms of CPU, against 4 ms for writing the same bytes into a reused
 * array; profiles of the solver put the lines that first write its big arrays at the top.
 *
 * Borrowed arrays hold whatever the last user left in them: callers write every element they
 * read. A borrowed array belongs to its borrower until it is given back, so solves that interleave
 * at their awaits (a file scene and a live window in one worker) never share one.
 */

/** Kept for reuse at most this many bytes (the arrays of one 3-8 station, 30-60 s scene). */
const MAX_POOLED_BYTES = 96 * 1024 * 1024;
/** Arrays smaller than this come and go cheaply through the ordinary heap: not pooled. */
const MIN_POOLED_BYTES = 256 * 1024;
/** Unused this long, the pool lets its memory go (a page that solves once keeps nothing). */
const IDLE_RELEASE_MS = 60_000;

/** The host's timers: core is typed without the DOM or Node, and both provide these. */
type TimerId = { unref?: () => void } | number;
const timers = globalThis as unknown as {
  setTimeout(run: () => void, ms: number): TimerId;
  clearTimeout(id: TimerId): void;
};

const free: ArrayBuffer[] = [];
let pooledBytes = 0;
let idleTimer: TimerId | undefined;

function buffer(bytes: number): ArrayBuffer {
  let best = -1;
  for (let i = 0; i < free.length; i++) {
    const b = free[i].byteLength;
    if (b >= bytes && (best < 0 || b < free[best].byteLength)) best = i;
  }
  // A buffer much larger than asked for is worth more to a later, larger request.
  if (best >= 0 && free[best].byteLength <= 4 * bytes) {
    const [b] = free.splice(best, 1);
    pooledBytes -= b.byteLength;
    return b;
  }
  return new ArrayBuffer(bytes);
}

export function borrowFloat32(length: number): Float32Array {
  return new Float32Array(buffer(4 * length), 0, length);
}

export function borrowFloat64(length: number): Float64Array {
  return new Float64Array(buffer(8 * length), 0, length);
}

/** Returns arrays from borrowFloat32/64 (or any typed array no one else holds) to the pool. */
export function giveBack(...arrays: readonly (Float32Array | Float64Array | undefined)[]): void {
  for (const a of arrays) {
    if (!a || !(a.buffer instanceof ArrayBuffer) || a.buffer.byteLength < MIN_POOLED_BYTES)
      continue;
    if (free.includes(a.buffer)) continue;
    free.push(a.buffer);
    pooledBytes += a.buffer.byteLength;
  }
  // Over the cap: the oldest go first.
  while (pooledBytes > MAX_POOLED_BYTES && free.length > 0) {
    pooledBytes -= free.shift()!.byteLength;
  }
  if (idleTimer !== undefined) timers.clearTimeout(idleTimer);
  idleTimer = timers.setTimeout(releasePool, IDLE_RELEASE_MS);
  // Node: an idle pool must not keep the command line running.
  if (typeof idleTimer === 'object') idleTimer.unref?.();
}

/** Scratch kept between calls, by owner (scratchFloat64). */
const scratchOf = new Map<string, Float64Array>();

/**
 * `count` arrays of `length` doubles carved from one buffer that `owner` keeps between calls: the
 * per-call scratch of a synchronous function (never held past its return), without fresh memory
 * each call (arrays of a few tens of kB cost a fraction of a millisecond each in the browser;
 * issue 12, item 10). They hold what the last call left: write before reading.
 */
export function scratchFloat64(owner: string, length: number, count = 1): Float64Array[] {
  let b = scratchOf.get(owner);
  if (!b || b.length < length * count) {
    b = new Float64Array(length * count);
    scratchOf.set(owner, b);
  }
  const kept = b;
  return Array.from({ length: count }, (_, i) => kept.subarray(i * length, (i + 1) * length));
}

/** Drops every pooled array (the garbage collector takes them). */
export function releasePool(): void {
  scratchOf.clear();
  free.length = 0;
  pooledBytes = 0;
  if (idleTimer !== undefined) timers.clearTimeout(idleTimer);
  idleTimer = undefined;
}

/** Bytes held for reuse now (tests and diagnostics). */
export function pooledByteCount(): number {
  return pooledBytes;
}
