import type { Rng } from '../rng';

const PATHS = 16;

/**
 * Rician fading gain h(t) with E|h|^2 = 1: a fixed line-of-sight phasor plus a sum of PATHS
 * scattered sinusoids with random arrival angles and phases (Clarke's model, sum-of-sinusoids
 * form; Patzold, "Mobile Radio Channels", ch. 5). Returns interleaved re/im per sample.
 */
export function ricianFading(
  rng: Rng,
  samples: number,
  sampleRateHz: number,
  kDb: number,
  dopplerHz: number,
): Float32Array {
  const k = 10 ** (kDb / 10);
  const los = Math.sqrt(k / (k + 1));
  const scatter = Math.sqrt(1 / (k + 1) / PATHS);
  const losPhase = rng.uniform(0, 2 * Math.PI);
  const freq = new Float64Array(PATHS);
  const phase = new Float64Array(PATHS);
  for (let m = 0; m < PATHS; m++) {
    freq[m] = dopplerHz * Math.cos(rng.uniform(0, 2 * Math.PI));
    phase[m] = rng.uniform(0, 2 * Math.PI);
  }
  const h = new Float32Array(2 * samples);
  // Fading is slow (a few Hz at most): evaluate every STEP samples and interpolate linearly.
  const STEP = 64;
  let prevRe = 0,
    prevIm = 0;
  for (let n = 0; n <= samples + STEP; n += STEP) {
    const t = n / sampleRateHz;
    let re = los * Math.cos(losPhase);
    let im = los * Math.sin(losPhase);
    for (let m = 0; m < PATHS; m++) {
      const a = 2 * Math.PI * freq[m] * t + phase[m];
      re += scatter * Math.cos(a);
      im += scatter * Math.sin(a);
    }
    if (n > 0) {
      for (let j = n - STEP; j < Math.min(n, samples); j++) {
        const f = (j - (n - STEP)) / STEP;
        h[2 * j] = prevRe + (re - prevRe) * f;
        h[2 * j + 1] = prevIm + (im - prevIm) * f;
      }
    }
    prevRe = re;
    prevIm = im;
  }
  return h;
}
