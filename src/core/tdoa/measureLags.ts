/**
 * The lags of every pair of a scene: one block plan over the common span, the band, then the
 * pair estimator (pairLag.ts) within the lags the geometry allows.
 */
import { advanceBins, forEachBlockSpectrum, signedBin, type BlockPlan } from './blockSpectra';
import {
  pairWeights,
  selectBand,
  stationSpectrum,
  type Band,
  type StationSpectrum,
} from './bandSelect';
import { borrowFloat32, borrowFloat64, giveBack } from './bufferPool';
import { channelTilts, type ChannelTilt } from './channelSlope';
import { spectralShiftHz } from './frequencyOffset';
import { estimatePairLag, type PairEstimate } from './pairLag';
import type { Candidate } from './prepareStations';
import { geodesicDistanceM, SPEED_OF_LIGHT_M_S } from './propagation';
import {
  BLOCK_OVERLAP,
  BLOCK_S,
  LAG_MARGIN_S,
  LAG_MARGIN_SAMPLES,
  MAX_ANALYSIS_S,
  MAX_BASELINE_M,
  SPECTRA_CACHE_BYTES,
} from './tdoaDefaults';

export interface MeasuredPair extends PairEstimate {
  a: number;
  b: number;
}

export type LagOutcome =
  | {
      ok: true;
      plan: BlockPlan;
      band: Band;
      pairs: MeasuredPair[];
      spectra: StationSpectrum[];
      /** Frequency error removed from each station, Hz (against the first). */
      shiftHz: number[];
      /** Each live station's spectral tilt over the band (channelSlope.ts), by candidate index. */
      tilts?: Map<number, { slopeS: number; sigmaS: number }>;
    }
  | { ok: false; reason: string };

/** A block plan over [startS, endS), or undefined when the span holds too few blocks. */
export function blockPlan(sampleRateHz: number, span: { startS: number; endS: number }): BlockPlan {
  const maxLagSamples = (MAX_BASELINE_M / SPEED_OF_LIGHT_M_S) * sampleRateHz;
  const wanted = Math.max(BLOCK_S * sampleRateHz, 16 * maxLagSamples, 256);
  const blockSize = Math.min(1 << 16, 2 ** Math.ceil(Math.log2(wanted)));
  const hop = blockSize / BLOCK_OVERLAP;
  // A sample's margin at both ends: block edges are rounded to whole samples.
  let startS = span.startS + 2 / sampleRateHz;
  let lengthS = span.endS - 2 / sampleRateHz - startS;
  if (lengthS > MAX_ANALYSIS_S) {
    startS += (lengthS - MAX_ANALYSIS_S) / 2;
    lengthS = MAX_ANALYSIS_S;
  }
  const blocks = Math.max(0, Math.floor((lengthS * sampleRateHz - blockSize) / hop) + 1);
  return { sampleRateHz, blockSize, hop, startS, blocks };
}

/**
 * Measures the lags. `onExclude(candidateIndex, reason)` drops a station whose samples cannot be
 * used (NaN, all zero); the remaining ones go on.
 */
export async function measureLags(
  cands: readonly Candidate[],
  span: { startS: number; endS: number },
  band: { lo: number; hi: number } | undefined,
  onExclude: (index: number, reason: string) => void,
  /** Charges the time since its last call to a stage (stageTimes.ts). */
  lap: (stage: string) => void = () => undefined,
): Promise<LagOutcome> {
  const fs = cands[0].recording.info.sampleRateHz;
  const plan = blockPlan(fs, span);
  const n = plan.blockSize;
  if (plan.blocks < 8) {
    return {
      ok: false,
      reason: `the common span (${(span.endS - span.startS).toFixed(2)} s) holds ${plan.blocks} blocks of ${n} samples; need 8`,
    };
  }
  const timed = cands.map((c) => ({ recording: c.recording, clock: c.clock }));
  const dead = cands.map(() => false);
  const problem = (s: number, why: string) => {
    dead[s] = true;
    onExclude(s, why);
  };

  // Pass 1: mean power spectrum per station. The block spectra are kept (as float32) when they
  // fit in SPECTRA_CACHE_BYTES, so pass 2 transforms again only stations with a frequency error.
  const power = cands.map(() => new Float64Array(n));
  const cacheable = cands.length * plan.blocks * n * 8 <= SPECTRA_CACHE_BYTES;
  // The big arrays come from the pool (bufferPool.ts); each is written in full before it is read.
  const cache = cands.map(() => (cacheable ? borrowFloat32(plan.blocks * n * 2) : undefined));
  const deltas = cands.map(() => new Float64Array(plan.blocks));
  await forEachBlockSpectrum(
    timed,
    plan,
    (k, s, spec, delta) => {
      const p = power[s];
      const inv = 1 / plan.blocks;
      for (let i = 0; i < n; i++) p[i] += (spec[2 * i] ** 2 + spec[2 * i + 1] ** 2) * inv;
      cache[s]?.set(spec, 2 * k * n);
      deltas[s][k] = delta;
    },
    problem,
  );
  lap('spectra');
  power.forEach((p, s) => {
    if (!dead[s] && p.every((v) => v === 0))
      problem(s, 'all its samples in the common span are zero');
  });
  const alive = cands.map((_, s) => s).filter((s) => !dead[s]);
  if (alive.length < 2) {
    giveBack(...cache);
    return { ok: false, reason: 'fewer than two stations have usable samples' };
  }
  // Each station's frequency error against the first live one, removed before pass 2.
  const firstSpectra = cands.map((_, s) => stationSpectrum(power[s], plan.blocks));
  const binHz = fs / n;
  const ref = alive[0];
  const shiftHz = cands.map((_, s) =>
    s === ref || dead[s] ? 0 : spectralShiftHz(firstSpectra[ref].snr, firstSpectra[s].snr, binHz),
  );
  const spectra = firstSpectra.map((sp, s) =>
    shiftHz[s] === 0 ? sp : { ...sp, snr: shiftedSnr(sp.snr, shiftHz[s] / binHz) },
  );
  const chosen = selectBand(
    alive.map((s) => spectra[s]),
    fs,
    band,
  );
  if ('reason' in chosen) {
    giveBack(...cache);
    return { ok: false, reason: chosen.reason };
  }
  const nb = chosen.bins.length;
  lap('band');

  // Pass 2: the band bins of every block, each station's frequency error removed and its block
  // moved onto the common time grid.
  const bandSpec = cands.map(() => borrowFloat32(plan.blocks * nb * 2));
  const done = cands.map((_, s) => dead[s] || (cache[s] !== undefined && shiftHz[s] === 0));
  for (let s = 0; s < cands.length; s++) {
    const kept = cache[s];
    if (dead[s] || !done[s] || !kept) continue;
    for (let k = 0; k < plan.blocks; k++)
      advanceBins(kept, k * n, chosen.bins, n, deltas[s][k], bandSpec[s], k * nb);
  }
  if (done.some((d) => !d)) {
    await forEachBlockSpectrum(
      timed,
      plan,
      (k, s, spec, delta) => advanceBins(spec, 0, chosen.bins, n, delta, bandSpec[s], k * nb),
      problem,
      done,
      shiftHz,
    );
  }
  giveBack(...cache);
  cache.fill(undefined);
  lap('align');

  const pairs: MeasuredPair[] = [];
  const scratch = borrowFloat64(plan.blocks * nb * 2);
  const live = cands.map((_, s) => s).filter((s) => !dead[s]);
  for (let i = 0; i < live.length; i++)
    for (let j = i + 1; j < live.length; j++) {
      const a = live[i];
      const b = live[j];
      const baselineS = geodesicDistanceM(cands[a].station, cands[b].station) / SPEED_OF_LIGHT_M_S;
      const est = estimatePairLag({
        specA: bandSpec[a],
        specB: bandSpec[b],
        blocks: plan.blocks,
        bins: chosen.bins,
        weights: pairWeights(spectra[a], spectra[b], chosen.bins),
        blockSize: n,
        sampleRateHz: fs,
        maxLagSamples: (baselineS + LAG_MARGIN_S) * fs + LAG_MARGIN_SAMPLES,
        overlap: BLOCK_OVERLAP,
        scratch,
      });
      pairs.push({ ...est, a, b });
    }
  const omegaRadS = Float64Array.from(chosen.bins, (b) => (2 * Math.PI * signedBin(b, n) * fs) / n);
  const tilt: ChannelTilt | undefined = channelTilts(
    live.map((s) => spectra[s].snr),
    chosen.bins,
    omegaRadS,
    plan.blocks,
  );
  const tilts = tilt
    ? new Map(live.map((s, i) => [s, { slopeS: tilt.slopeS[i], sigmaS: tilt.sigmaS[i] }]))
    : undefined;
  giveBack(scratch, ...bandSpec);
  lap('pairs');
  return { ok: true, plan, band: chosen, pairs, spectra, shiftHz, ...(tilts ? { tilts } : {}) };
}

/** The SNR spectrum moved down by `bins` (linear interpolation), as pass 2 will see it. */
function shiftedSnr(snr: Float64Array, bins: number): Float64Array {
  const n = snr.length;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = i + bins;
    const lo = Math.floor(x);
    const f = x - lo;
    out[i] = (1 - f) * snr[((lo % n) + n) % n] + f * snr[(((lo + 1) % n) + n) % n];
  }
  return out;
}
