import { HeimdallError } from '../errors';

/**
 * Sample-rate conversion of complex baseband (interleaved I,Q) by a windowed-sinc interpolator
 * evaluated in polyphase form.
 *
 * Output sample m lies at input time t = m * fromHz / toHz (input-sample units; output 0 is
 * input 0, no delay). Its value is sum_k x[k] h(t - k) over the 2K input samples nearest t,
 * with the Kaiser-windowed sinc
 *   h(u) = 2 fc sinc(2 fc u) * I0(beta sqrt(1 - (u/K)^2)) / I0(beta),   |u| < K,
 * fc being the cutoff in cycles per input sample. The same real filter runs over I and Q.
 *
 * Design, with fMin = min(fromHz, toHz) (a complex signal at rate fs spans -fs/2..fs/2):
 *  - passband edge 0.45 fMin, stopband edge 0.50 fMin (the lower of the two Nyquist limits),
 *    so fc = 0.475 fMin / fromHz: everything that would alias into the band is in the stopband;
 *  - stopband attenuation 80 dB: beta = 0.1102 (80 - 8.7) = 7.857, and the length from Kaiser's
 *    formula N = (A - 7.95) / (2.285 * 2 pi * df / fromHz) + 1 with df = 0.05 fMin, so
 *    K = ceil(N / 2) input samples either side (Oppenheim & Schafer, 3rd ed., 7.6.1).
 *    Passband ripple is then about 1e-4 (0.001 dB).
 *    Examples: 24000 -> 12000 Hz: 2K = 202 taps; 48000 -> 12000: 404; 20250 -> 12000: 172;
 *    8000 -> 12000: 102 (per output sample).
 *
 * Phases: when both rates are whole hertz and toHz/fromHz = L/M in lowest terms with L small
 * (L <= 1024), the L phases of the filter are tabulated and used exactly. Otherwise (e.g. a
 * KiwiSDR's 12001.135 Hz) P phases are tabulated and the taps for t are interpolated linearly
 * between the two nearest phases; P scales with fc so the interpolation error stays below
 * about 1e-6 (-120 dB) while the table stays small. Each phase is normalised to unit sum, so DC
 * gain is exactly 1 at every phase and a tone is not modulated at the phase rate.
 *
 * Inputs outside the recording are taken as zero: the first and last K/ratio output samples see
 * the filter's edge. Callers that need clean output read K extra input samples at each end.
 */

const STOPBAND_DB = 80;
const KAISER_BETA = 0.1102 * (STOPBAND_DB - 8.7);
const PASSBAND_EDGE = 0.45;
const STOPBAND_EDGE = 0.5;
const MAX_EXACT_PHASES = 1024;
/**
 * Taps in an exact table at most (8 MB of float64). A ratio like 12000/30000012 (up = 1000) at a
 * high input rate has both many phases and long ones: tabulating it exactly took 2 GB and 30 s.
 * Past this the interpolated table (at most about INTERPOLATED_PHASES_AT_MAX_CUTOFF phases of
 * the same length, fewer as the cutoff falls) is used instead.
 */
const MAX_EXACT_TABLE_TAPS = 1 << 20;
/** Phases for the interpolated table at the widest cutoff (fc = 0.475 cycles per input sample). */
const INTERPOLATED_PHASES_AT_MAX_CUTOFF = 1024;

interface Design {
  /** Taps either side of t; each phase row holds 2K taps. */
  halfTaps: number;
  phases: number;
  /** (phases + 1) rows of 2K taps; row p is for fractional position p / phases. */
  table: Float64Array;
  /** Exact rational ratio toHz/fromHz = up/down, or null for the interpolated path. */
  exact: { up: number; down: number } | null;
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** Modified Bessel function of the first kind, order 0 (power series; converges for all x). */
function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  const q = (x * x) / 4;
  for (let k = 1; term > 1e-17 * sum; k++) {
    term *= q / (k * k);
    sum += term;
  }
  return sum;
}

function exactRatio(fromHz: number, toHz: number): { up: number; down: number } | null {
  if (!Number.isInteger(fromHz) || !Number.isInteger(toHz)) return null;
  const g = gcd(fromHz, toHz);
  const up = toHz / g;
  return up <= MAX_EXACT_PHASES ? { up, down: fromHz / g } : null;
}

function design(fromHz: number, toHz: number, anyPosition: boolean): Design {
  const fMin = Math.min(fromHz, toHz);
  const fc = (((PASSBAND_EDGE + STOPBAND_EDGE) / 2) * fMin) / fromHz;
  const transition = ((STOPBAND_EDGE - PASSBAND_EDGE) * fMin) / fromHz;
  const length = (STOPBAND_DB - 7.95) / (2.285 * 2 * Math.PI * transition) + 1;
  const halfTaps = Math.ceil(length / 2);
  const ratio = anyPosition ? null : exactRatio(fromHz, toHz);
  const exact = ratio && (ratio.up + 1) * 2 * halfTaps <= MAX_EXACT_TABLE_TAPS ? ratio : null;
  const phases = exact
    ? exact.up
    : Math.max(
        16,
        Math.ceil((INTERPOLATED_PHASES_AT_MAX_CUTOFF * fc) / ((PASSBAND_EDGE + STOPBAND_EDGE) / 2)),
      );

  const width = 2 * halfTaps;
  const table = new Float64Array((phases + 1) * width);
  const i0Beta = besselI0(KAISER_BETA);
  for (let p = 0; p <= phases; p++) {
    const frac = p / phases;
    let sum = 0;
    for (let j = 0; j < width; j++) {
      // Tap j multiplies input sample base - K + 1 + j; its distance from t is u.
      const u = frac + halfTaps - 1 - j;
      const r = u / halfTaps;
      const window = Math.abs(r) < 1 ? besselI0(KAISER_BETA * Math.sqrt(1 - r * r)) / i0Beta : 0;
      const x = 2 * fc * u;
      const sinc = x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
      const h = 2 * fc * sinc * window;
      table[p * width + j] = h;
      sum += h;
    }
    for (let j = 0; j < width; j++) table[p * width + j] /= sum;
  }
  return { halfTaps, phases, table, exact };
}

// Designs are reused across calls (one per rate pair; a scene rarely has more than a few).
const CACHE_LIMIT = 8;
const designs = new Map<string, Design>();

/** anyPosition: the interpolated table, whose taps serve any fractional position (interpolateIqAt). */
function cachedDesign(fromHz: number, toHz: number, anyPosition = false): Design {
  const key = `${fromHz}:${toHz}:${anyPosition}`;
  let d = designs.get(key);
  if (!d) {
    d = design(fromHz, toHz, anyPosition);
    if (designs.size >= CACHE_LIMIT) designs.delete(designs.keys().next().value as string);
    designs.set(key, d);
  }
  return d;
}

function checkRates(fromHz: number, toHz: number): void {
  if (!(Number.isFinite(fromHz) && fromHz > 0 && Number.isFinite(toHz) && toHz > 0)) {
    throw new HeimdallError('ConfigError', `invalid resampling rates ${fromHz} Hz -> ${toHz} Hz`);
  }
}

/**
 * How many input samples either side of its instant each output sample depends on (K above).
 * Outputs closer than this to either end of the input see the zero padding; a caller wanting
 * clean output over a span reads this many extra input samples before and after it.
 */
export function resamplerHalfWidth(fromHz: number, toHz: number): number {
  checkRates(fromHz, toHz);
  return fromHz === toHz ? 0 : cachedDesign(fromHz, toHz).halfTaps;
}

/**
 * Complex samples out for `n` in: the output instants m / toHz that fall inside the input span
 * [0, n / fromHz), i.e. ceil(n * toHz / fromHz).
 */
export function resampledLength(n: number, fromHz: number, toHz: number): number {
  checkRates(fromHz, toHz);
  if (!Number.isSafeInteger(n) || n < 0)
    throw new HeimdallError('ConfigError', `invalid sample count ${n}`);
  if (fromHz === toHz) return n;
  const exact = Number.isInteger(fromHz) && Number.isInteger(toHz) ? gcd(fromHz, toHz) : 0;
  if (exact) {
    const up = toHz / exact;
    const down = fromHz / exact;
    return Math.floor((n * up + down - 1) / down);
  }
  const x = (n * toHz) / fromHz;
  // Guard against x landing a rounding error above a whole number.
  return Math.ceil(x - 1e-9 * Math.max(1, x));
}

/** Resamples interleaved I,Q from `fromHz` to `toHz` (see the header comment). Returns a new array. */
export function resampleIq(iq: Float32Array, fromHz: number, toHz: number): Float32Array {
  checkRates(fromHz, toHz);
  if (iq.length % 2 !== 0) {
    throw new HeimdallError('ConfigError', `interleaved IQ needs an even length, got ${iq.length}`);
  }
  if (fromHz === toHz) return iq.slice();
  const n = iq.length / 2;
  const outLength = resampledLength(n, fromHz, toHz);
  const out = new Float32Array(2 * outLength);
  const { halfTaps, phases, table, exact } = cachedDesign(fromHz, toHz);
  const width = 2 * halfTaps;
  const step = fromHz / toHz;
  const x = paddedInput(iq, width);

  for (let m = 0; m < outLength; m++) {
    let base: number;
    let phase: number;
    let weight: number; // of row phase + 1
    if (exact) {
      const num = m * exact.down;
      base = Math.floor(num / exact.up);
      phase = num - base * exact.up;
      weight = 0;
    } else {
      const t = m * step;
      base = Math.floor(t);
      const position = (t - base) * phases;
      phase = Math.min(Math.floor(position), phases - 1);
      weight = position - phase;
    }
    tapSum(x, n, table, width, base - halfTaps + 1, phase, weight, out, m);
  }
  return out;
}

/**
 * The input as float64 with `width` zero samples either side (input sample i at x[2 (i + width)]),
 * in a buffer reused across calls: each input sample meets about width * toHz / fromHz taps, so
 * converting it once instead of at each tap, and padding instead of clamping the tap range, is
 * what makes tapSum cheap (interpolateIqAt on 31 s at 20250 Hz: 160 -> 101 ms).
 */
let padded = new Float64Array(0);

function paddedInput(iq: Float32Array, width: number): Float64Array {
  const n = iq.length / 2;
  const size = 2 * (n + 2 * width);
  if (padded.length < size) padded = new Float64Array(size);
  padded.fill(0, 0, 2 * width);
  padded.set(iq, 2 * width);
  padded.fill(0, 2 * (n + width), size);
  return padded;
}

/**
 * out[2k], out[2k + 1] = the filter's output at input row `first`: its taps j = 0..width-1
 * multiply input sample first + j (interpolated between phase rows `phase` and `phase + 1` by
 * `weight`). `x` is paddedInput's copy (padded by `width`) of an input of n samples; taps
 * beyond it see zeros. The
 * taps are summed in two interleaved partial sums per channel (even and odd taps), so the
 * additions do not wait on one another.
 */
function tapSum(
  x: Float64Array,
  n: number,
  table: Float64Array,
  width: number,
  first: number,
  phase: number,
  weight: number,
  out: Float32Array,
  k: number,
): void {
  if (first + width <= 0 || first >= n) {
    // No tap meets the input.
    out[2 * k] = 0;
    out[2 * k + 1] = 0;
    return;
  }
  const row = phase * width;
  const next = row + width;
  let i = 2 * (first + width); // paddedInput put `width` zeros before the input
  let evenI = 0;
  let evenQ = 0;
  let oddI = 0;
  let oddQ = 0;
  for (let j = 0; j < width; j += 2) {
    const a0 = table[row + j];
    const a1 = table[row + j + 1];
    const c0 = a0 + weight * (table[next + j] - a0);
    const c1 = a1 + weight * (table[next + j + 1] - a1);
    evenI += c0 * x[i];
    evenQ += c0 * x[i + 1];
    oddI += c1 * x[i + 2];
    oddQ += c1 * x[i + 3];
    i += 4;
  }
  out[2 * k] = evenI + oddI;
  out[2 * k + 1] = evenQ + oddQ;
}

/**
 * The same filter as resampleIq (fromHz to toHz) evaluated at any input positions: out sample k
 * is the band-limited input at fractional input index positions[k]. `iq` holds input samples
 * [offset, offset + iq.length / 2); a position needs resamplerHalfWidth input samples either side
 * of it there (beyond them the input counts as zero). For a recording whose own clock says where
 * each output instant falls (tdoa/resampleOnClock.ts): no delay is added at any frequency.
 */
export function interpolateIqAt(
  iq: Float32Array,
  offset: number,
  positions: Float64Array,
  fromHz: number,
  toHz: number,
  out: Float32Array,
): Float32Array {
  checkRates(fromHz, toHz);
  const { halfTaps, phases, table } = cachedDesign(fromHz, toHz, true);
  const width = 2 * halfTaps;
  const n = iq.length / 2;
  const x = paddedInput(iq, width);
  for (let k = 0; k < positions.length; k++) {
    const t = positions[k];
    const base = Math.floor(t);
    const position = (t - base) * phases;
    const phase = Math.min(Math.floor(position), phases - 1);
    // Tap 0's input sample, counted from iq's first.
    tapSum(x, n, table, width, base - halfTaps + 1 - offset, phase, position - phase, out, k);
  }
  return out;
}
