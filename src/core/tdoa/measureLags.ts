/**
 * The lags of every pair of a scene: one block plan over the common span, the band, then the
 * pair estimator (pairLag.ts) within the lags the geometry allows.
 */
import {
  advanceBins,
  forEachBlockSpectrum,
  MIN_STRETCH_SAMPLES,
  needsStretch,
  rateOffset,
  signedBin,
  type BlockPlan,
} from './blockSpectra';
import {
  BAND_EDGE_SNR,
  commonWideExcess,
  pairWeights,
  selectBand,
  stationSpectrum,
  type Band,
  type StationSpectrum,
} from './bandSelect';
import { borrowFloat32, borrowFloat64, giveBack } from './bufferPool';
import { channelTilts, type ChannelTilt } from './channelSlope';
import { coherentCross, subbandOf } from './coherentCross';
import {
  echoPowerGain,
  fitDirectPaths,
  type PairSpectrum,
  type StationEcho,
  type StationLevels,
} from './directPath';
import { driftShiftHz, MIN_DRIFT_CORRECTED_HZ, refBand } from './frequencyDrift';
import { trustedShiftHz } from './frequencyOffset';
import { steadyBins, withoutSteady } from './steadyLines';
import { estimatePairLag, placePairLag, type PairEstimate, type PairInput } from './pairLag';
import {
  MAX_WINDOW_MOVES,
  movesWindows,
  readableBlocks,
  windowOffsetsS,
  windowShiftThresholdS,
} from './windowAlign';
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
  STATION_MODEL_ERROR_S,
  STRETCH_MIN_BIAS_SHARE,
} from './tdoaDefaults';

export interface MeasuredPair extends PairEstimate {
  a: number;
  b: number;
  /** Added to the estimator's lag for the stations' fitted echoes (directPath.ts), seconds. */
  echoCorrectionS?: number;
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
      /** Echoes resolved from the direct path (directPath.ts), by candidate index. */
      echoes?: Map<number, StationEcho>;
    }
  | { ok: false; reason: string };

/** Sub-bands of the direct-path fit: at most this many, of at least BINS_PER_SUBBAND bins each. */
const MAX_SUBBANDS = 32;
const BINS_PER_SUBBAND = 4;
const MIN_SUBBANDS = 6;
/** Relative error of a station's estimated noise floor (a percentile of its spectrum). */
const NOISE_FLOOR_ERROR = 0.1;

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
  /** The stations still in use (a transform that finds bad samples excludes one at any pass). */
  const liveStations = () => cands.map((_, s) => s).filter((s) => !dead[s]);

  // Pass 1: mean power spectrum per station. The block spectra are kept (as float32) when they
  // fit in SPECTRA_CACHE_BYTES, so pass 2 transforms again only stations with a frequency error.
  const power = cands.map(() => new Float64Array(n));
  // The same, over the first and the second half of the blocks (frequencyOffset.ts checks the
  // stations' frequency errors on each).
  const halfBlocks = Math.floor(plan.blocks / 2);
  const halves = cands.map(() => [new Float64Array(n), new Float64Array(n)]);
  // The mean of |X|^4 per bin: how steady each bin's power is (steadyLines.ts).
  const fourth = cands.map(() => new Float64Array(n));
  const cacheable = cands.length * plan.blocks * n * 8 <= SPECTRA_CACHE_BYTES;
  // The big arrays come from the pool (bufferPool.ts); each is written in full before it is read.
  const cache = cands.map(() => (cacheable ? borrowFloat32(plan.blocks * n * 2) : undefined));
  const deltas = cands.map(() => new Float64Array(plan.blocks));
  await forEachBlockSpectrum(
    timed,
    plan,
    (k, s, spec, delta) => {
      addPower(
        spec,
        power[s],
        fourth[s],
        k < halfBlocks ? halves[s][0] : halves[s][1],
        n,
        1 / plan.blocks,
      );
      cache[s]?.set(spec, 2 * k * n);
      deltas[s][k] = delta;
    },
    // As sampled (no onGrid): the power spectra and the phase drift cannot tell, and whether any
    // station needs taking onto the grid's time base is known only later (decideStretch).
    problem,
  );
  lap('spectra');
  power.forEach((p, s) => {
    if (dead[s]) return;
    if (p.every((v) => v === 0)) problem(s, 'all its samples in the common span are zero');
    else if (noiseless(p))
      problem(
        s,
        'its samples in the common span are constant (no signal and no noise: a stuck receiver or a broken copy)',
      );
  });
  // Two receivers never hear the same noise: a station whose spectrum equals another's to the
  // last bit holds that one's samples (one file given under two station names), and counted
  // twice it would shrink the regions as if it were a second, independent measurement.
  power.forEach((p, s) => {
    if (dead[s]) return;
    const same = power.findIndex((q, r) => r < s && !dead[r] && q.every((v, i) => v === p[i]));
    if (same >= 0)
      problem(
        s,
        `its samples in the common span are exactly those of ${cands[same].recording.info.name} (one recording under two station names?)`,
      );
  });
  const alive = liveStations();
  if (alive.length < 2) {
    giveBack(...cache);
    return { ok: false, reason: 'fewer than two stations have usable samples' };
  }
  // Each station's frequency error against the first live one, removed before pass 2.
  const firstSpectra = cands.map((_, s) => stationSpectrum(power[s], plan.blocks));
  const halved = cands.map((_, s) =>
    dead[s]
      ? undefined
      : {
          whole: firstSpectra[s].snr,
          first: stationSpectrum(halves[s][0], halfBlocks).snr,
          second: stationSpectrum(halves[s][1], plan.blocks - halfBlocks).snr,
        },
  );
  const binHz = fs / n;
  const ref = alive[0];
  const shiftHz = cands.map((_, s) =>
    s === ref || dead[s] ? 0 : trustedShiftHz(halved[ref]!, halved[s]!, binHz),
  );
  // A station's pass-1 spectrum with its current frequency error removed.
  const shifted = (sp: StationSpectrum, s: number) =>
    shiftHz[s] === 0 ? sp : { ...sp, snr: shiftedSnr(sp.snr, shiftHz[s] / binHz) };
  const unshifted = (s: number) => shifted(firstSpectra[s], s);
  const spectra = firstSpectra.map((_, s) => unshifted(s));
  // The same without their steady lines (steadyLines.ts): what has timing.
  const steady = alive.map((s) => steadyBins(power[s], fourth[s], firstSpectra[s].snr));
  const modulated = alive.map((s, k) => shifted(withoutSteady(firstSpectra[s], steady[k]), s));
  const chosen = pickBand(
    alive.map((s) => spectra[s]),
    modulated,
    steady,
    fs,
    band,
  );
  if ('reason' in chosen) {
    giveBack(...cache);
    return { ok: false, reason: chosen.reason };
  }
  const nb = chosen.bins.length;
  // Each frequency error to a small fraction of a hertz from the kept spectra (frequencyDrift.ts);
  // without them (a long scene) the spectral estimate stays.
  const refKept = cache[ref];
  // The reference's band, moved onto the time grid, serves every other station's drift and then
  // its own pass 2 (the same advanceBins, done once; issue 12, item 10).
  const refMoved =
    refKept && alive.length > 1
      ? refBand(
          refKept,
          deltas[ref],
          plan.blocks,
          n,
          chosen.bins,
          borrowFloat64(plan.blocks * nb * 2),
        )
      : undefined;
  for (const s of alive) {
    const kept = cache[s];
    if (s === ref || !kept || !refKept) continue;
    const fine = driftShiftHz({
      refSpectra: refKept,
      otherSpectra: kept,
      refDeltas: deltas[ref],
      otherDeltas: deltas[s],
      blocks: plan.blocks,
      blockSize: n,
      bins: chosen.bins,
      hopS: plan.hop / fs,
      coarseHz: shiftHz[s],
      binHz,
      refBand: refMoved,
    });
    if (fine === undefined) continue;
    // The blocks are on the grid's time base (blockSpectra.ts): the oscillators are all there is.
    shiftHz[s] = Math.abs(fine) < MIN_DRIFT_CORRECTED_HZ ? 0 : fine;
    spectra[s] = unshifted(s);
  }
  lap('band');

  // Pass 2: the band bins of every block, each station's frequency error removed and its block
  // moved onto the common time grid (as sampled: see decideStretch below).
  const bandSpec = cands.map(() => borrowFloat32(plan.blocks * nb * 2));
  const done = cands.map((_, s) => dead[s] || (cache[s] !== undefined && shiftHz[s] === 0));
  for (let s = 0; s < cands.length; s++) {
    const kept = cache[s];
    if (dead[s] || !done[s] || !kept) continue;
    // The reference (never shifted) was moved already: float32 of the same values.
    if (s === ref && refMoved) {
      bandSpec[s].set(refMoved.subarray(0, plan.blocks * nb * 2));
      continue;
    }
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
  giveBack(...cache, refMoved);
  cache.fill(undefined);
  lap('align');

  // Read against a carrier: its bins (each station's steady bins, moved by its frequency
  // error onto the reference's) and flat weights (the sidebands' spectrum is under the noise).
  const lineBins = chosen.againstCarrier
    ? carrierPositions(chosen.bins, alive, steady, shiftHz, binHz)
    : undefined;
  const scratch = borrowFloat64(plan.blocks * nb * 2);
  // The plan's blocks from `first` on are in use (a moved window may drop the first or last).
  let first = 0;
  let used = plan;
  const pairOf = (a: number, b: number) => {
    const baselineS = geodesicDistanceM(cands[a].station, cands[b].station) / SPEED_OF_LIGHT_M_S;
    return {
      specA: bandSpec[a].subarray(2 * first * nb),
      specB: bandSpec[b].subarray(2 * first * nb),
      blocks: used.blocks,
      bins: chosen.bins,
      weights: chosen.againstCarrier
        ? new Float64Array(nb).fill(1 / Math.sqrt(spectra[a].noiseFloor * spectra[b].noiseFloor))
        : pairWeights(spectra[a], spectra[b], chosen.bins),
      ...(lineBins && lineBins.length > 0 ? { lineBins } : {}),
      blockSize: n,
      sampleRateHz: fs,
      overlap: BLOCK_OVERLAP,
      maxLagSamples: (baselineS + LAG_MARGIN_S) * fs + LAG_MARGIN_SAMPLES,
    };
  };
  // The lags on the grid's windows, then (windowAlign.ts) with each station's window moved by its
  // arrival time fitted from them, so that every pair's blocks hold the same stretch of signal;
  // again while the windows move (the first lags of a keyed carrier fall short by a share of
  // themselves). A window needs its lag to a fraction of a sample only: the first windows are
  // placed from the coarse search (placePairLag, a quarter of the full estimator's cost), and the
  // full estimator runs at each moved set of windows, whose lags decide the next move and, at the
  // last, are the lags (issue 12, items 8 and 10: a solve that moves once, as the DCF77 set does,
  // pays for one full round, not two).
  const eachPair = <T>(estimate: (p: PairInput) => T) => {
    const now = liveStations();
    return now.flatMap((a, i) =>
      now.slice(i + 1).map((b) => ({ a, b, ...estimate({ ...pairOf(a, b), scratch }) })),
    );
  };
  let offsetsS = cands.map(() => 0);
  /** The windows before the current ones (none while they are on the grid). */
  let previousS: number[] | undefined;
  // Which stations' blocks go onto the grid's time base (blockSpectra.ts): all that are off its
  // rate, when the stations' rate spread could bias a lag by a tenth of the finest pair's timing
  // error, read from the first windows' placement (the spectra's own bound cannot say: on the
  // real DCF77 set it gives 0.15 ns where the lags scatter by 20-30 us). Until then every
  // station's blocks are as sampled; the realignment transforms the moved ones again, and
  // onGridRest() the others.
  let offRate = cands.map(() => false);
  const onGrid = cands.map(() => true);
  const decideStretch = (placed: readonly { sigmaS: number }[]) => {
    const sigmas = placed.map((p) => p.sigmaS).filter((x) => x > 0 && Number.isFinite(x));
    const live = liveStations();
    if (sigmas.length === 0) return;
    const eps = cands.map((_, s) => rateOffset(timed[s].clock, plan));
    const stretch = needsStretch(
      live.map((s) => eps[s]),
      sigmas,
      n / 2 / fs,
      STRETCH_MIN_BIAS_SHARE,
    );
    offRate = cands.map((_, s) => stretch && Math.abs(eps[s]) * n >= MIN_STRETCH_SAMPLES);
    offRate.forEach((o, s) => (onGrid[s] = !o));
  };
  /** The band blocks of the stations not skipped, again, at these windows (the used blocks). */
  const transformAgain = (skip: readonly boolean[], windows: readonly number[]) =>
    forEachBlockSpectrum(
      timed,
      used,
      (k, s, spec, delta) =>
        advanceBins(spec, 0, chosen.bins, n, delta, bandSpec[s], (k + first) * nb),
      problem,
      skip,
      shiftHz,
      windows,
      offRate,
    );
  /** Transforms again, onto the grid's time base, the live stations whose blocks are not. */
  const onGridRest = async () => {
    const rest = cands.map((_, s) => !dead[s] && !onGrid[s]);
    if (!rest.some((r) => r)) return;
    await transformAgain(
      rest.map((r) => !r),
      offsetsS,
    );
    rest.forEach((r, s) => r && (onGrid[s] = true));
  };
  // The full estimate at the current windows, once they have moved.
  let lags: ReturnType<typeof eachPair<PairEstimate>> | undefined;
  for (let round = 0; round < MAX_WINDOW_MOVES; round++) {
    const live = liveStations();
    const placed = lags ?? eachPair(placePairLag);
    if (round === 0) decideStretch(placed);
    const minShiftS = windowShiftThresholdS(placed, fs, STATION_MODEL_ERROR_S);
    const next = windowOffsetsS(cands.length, live, placed, minShiftS, plan.hop / fs);
    if (!next || !movesWindows(next, offsetsS, previousS, minShiftS, fs)) break;
    // The first live station stays on the grid (offset 0): its blocks are kept, and so are those
    // of a station whose window the round leaves where it was.
    const moved = next.map((o, s) => !dead[s] && o !== 0);
    const moving = next.map((o, s) => moved[s] && o !== offsetsS[s]);
    const range = readableBlocks(plan, timed, next, moved);
    if (range.count < 8) break;
    first = range.first;
    used = { ...plan, startS: plan.startS + (first * plan.hop) / fs, blocks: range.count };
    await transformAgain(
      moving.map((m) => !m),
      next,
    );
    moving.forEach((m, s) => m && (onGrid[s] = true));
    previousS = offsetsS;
    offsetsS = next;
    await onGridRest();
    lags = eachPair(estimatePairLag);
  }
  // The windows stayed on the grid: the full estimate there.
  if (!lags) await onGridRest();
  const final = lags ?? eachPair(estimatePairLag);
  if (chosen.againstCarrier) {
    // Read against a carrier, a pair whose peak does not stand out carries no timing: its lag
    // keeps the width of its whole allowed window; a scene where most pairs are so is refused.
    const significance = final.map((l) => l.significance).sort((x, y) => x - y);
    if (!(significance[Math.floor((significance.length - 1) / 2)] >= CARRIER_MIN_SIGNIFICANCE)) {
      giveBack(scratch, ...bandSpec);
      return { ok: false, reason: chosen.againstCarrier.refusal };
    }
    for (const l of final) {
      if (l.significance >= CARRIER_MIN_SIGNIFICANCE) continue;
      l.sigmaS = Math.max(l.sigmaS, pairOf(l.a, l.b).maxLagSamples / fs / Math.sqrt(3));
    }
  }
  const lastLags = new Map(final.map((l) => [`${l.a} ${l.b}`, l]));
  lap('realign');

  const pairs: MeasuredPair[] = [];
  const live = liveStations();
  const subbands = Math.min(MAX_SUBBANDS, Math.floor(nb / BINS_PER_SUBBAND));
  const crossSpectra: PairSpectrum[] = [];
  // The sub-bands' frequencies, averaged over the pairs (each pair weights its bins by its own
  // cross-spectrum; the transmitted spectrum they share dominates).
  let subbandOmega = new Float64Array(0);
  let omegaCount = 0;
  for (let i = 0; i < live.length; i++)
    for (let j = i + 1; j < live.length; j++) {
      const a = live[i];
      const b = live[j];
      const spectraOfPair = pairOf(a, b);
      const { a: _a, b: _b, ...est } = lastLags.get(`${a} ${b}`)!;
      pairs.push({ ...est, a, b });
      if (subbands >= MIN_SUBBANDS && Number.isFinite(est.lagS)) {
        const c = coherentCross({ ...spectraOfPair, lagSamples: est.lagS * fs, subbands });
        if (subbandOmega.length === 0) subbandOmega = new Float64Array(subbands);
        c.omegaRadS.forEach((o, q) => (subbandOmega[q] += o));
        omegaCount++;
        crossSpectra.push({
          a: i,
          b: j,
          cross: c.cross,
          phaseVar: est.atEdge ? c.phaseVar.map(() => Infinity) : c.phaseVar,
        });
      }
    }
  const echoes = new Map<number, StationEcho>();
  let echoCentreRadS = 0;
  // (Read against a carrier the sidebands are under the noise: no echo can be fitted from them.)
  if (crossSpectra.length === pairs.length && live.length >= 3 && !chosen.againstCarrier) {
    const fit = fitDirectPaths(
      live.length,
      crossSpectra,
      subbandOmega.map((o) => o / omegaCount),
      live.map((s) =>
        subbandLevels(
          bandSpec[s].subarray(2 * first * nb),
          spectra[s].noiseFloor,
          used.blocks,
          nb,
          subbands,
        ),
      ),
    );
    fit.echoes.forEach((e, i) => {
      if (e) echoes.set(live[i], e);
    });
    echoCentreRadS = fit.centreRadS;
    pairs.forEach((p, k) => {
      if (fit.correctionS[k] === 0) return;
      p.echoCorrectionS = fit.correctionS[k];
      p.lagS += fit.correctionS[k];
      p.sigmaS = Math.sqrt(p.sigmaS ** 2 + fit.correctionVarS2[k]);
    });
  }
  const omegaRadS = Float64Array.from(chosen.bins, (b) => (2 * Math.PI * signedBin(b, n) * fs) / n);
  // The tilt left once each fitted echo's own ripple is divided out: a corrected station counts as
  // echoed only for what its fitted echo does not explain.
  const tiltSnr = live.map((s) => {
    const e = echoes.get(s);
    if (!e) return spectra[s].snr;
    const out = Float64Array.from(spectra[s].snr);
    chosen.bins.forEach((b, j) => (out[b] /= echoPowerGain(e, omegaRadS[j], echoCentreRadS)));
    return out;
  });
  const tilt: ChannelTilt | undefined = channelTilts(tiltSnr, chosen.bins, omegaRadS, used.blocks);
  const tilts = tilt
    ? new Map(live.map((s, i) => [s, { slopeS: tilt.slopeS[i], sigmaS: tilt.sigmaS[i] }]))
    : undefined;
  giveBack(scratch, ...bandSpec);
  lap('pairs');
  return {
    ok: true,
    plan: used,
    band: chosen,
    pairs,
    spectra,
    shiftHz,
    ...(tilts ? { tilts } : {}),
    ...(echoes.size ? { echoes } : {}),
  };
}

/**
 * A station's power per sub-band for the direct-path fit, from its band spectra as the pairs use
 * them (its frequency error removed in time, not interpolated): ln of its summed per-bin SNR, and
 * that logarithm's variance from the station's own noise. A bin of SNR S averaged over K blocks
 * scatters by (1 + 2 S) / K (signal times noise, and noise alone); the signal's own fluctuation
 * is common to every station and left out. Neighbouring bins of a Hann window and half-overlapping
 * blocks are correlated: twice the independent figure. The noise floor itself is an estimate
 * (bandSelect.ts): an error of NOISE_FLOOR_ERROR of it moves the SNR by that much of (1 + S), which
 * bends a station's spectrum where the signal is weak; that is in the variance too.
 */
function subbandLevels(
  spec: Float32Array,
  noiseFloor: number,
  blocks: number,
  nb: number,
  subbands: number,
): StationLevels {
  const of = subbandOf(nb, subbands);
  const sum = new Float64Array(subbands);
  const spread = new Float64Array(subbands);
  for (let j = 0; j < nb; j++) {
    let p = 0;
    for (let k = 0; k < blocks; k++) {
      const o = 2 * (k * nb + j);
      p += spec[o] * spec[o] + spec[o + 1] * spec[o + 1];
    }
    const s = Math.max(0, p / blocks / noiseFloor - 1);
    sum[of[j]] += s;
    spread[of[j]] += (1 + 2 * s) / blocks;
  }
  const bins = new Float64Array(subbands);
  for (let j = 0; j < nb; j++) bins[of[j]]++;
  return {
    logPower: sum.map((v) => (v > 0 ? Math.log(v) : Number.NaN)),
    variance: sum.map((v, q) =>
      v > 0 ? (2 * spread[q] + (NOISE_FLOOR_ERROR * (v + bins[q])) ** 2) / (v * v) : Infinity,
    ),
  };
}

/**
 * One block's bin powers added to a station's mean (scaled by inv) and to its half's sum. A
 * function of its own with its inputs as arguments: the same loop in the closure that calls it,
 * reading the block size and the scale from the enclosing scope, was several times slower in the
 * browser (issue 12, item 10). Same arithmetic, same order.
 */
function addPower(
  spec: Float32Array,
  p: Float64Array,
  q: Float64Array,
  h: Float64Array,
  n: number,
  inv: number,
): void {
  for (let i = 0; i < n; i++) {
    const v = spec[2 * i] ** 2 + spec[2 * i + 1] ** 2;
    p[i] += v * inv;
    q[i] += v * v * inv;
    h[i] += v;
  }
}

/**
 * The band: the operator's, or around the strongest common signal (selectBand). A steady line
 * (steadyLines.ts; `steady` marks each station's) carries no timing, so where the band holds one,
 * it is kept only if something else all stations share shows in it without the lines (AM's
 * sidebands around its carrier); otherwise the strongest common signal is sought again without
 * them: another place (a carrier beside the signal of interest) is the band instead. Nowhere, or
 * not in the operator's band, and all the stations share is the carrier: its sidebands, if any,
 * are under the noise, and are read against it (Band.againstCarrier; pairLag.ts lineBins) over
 * CARRIER_SIDEBAND_HZ either side or the operator's band; a scene whose pairs show no timing so
 * is refused. The weights keep the lines: within a block AM's carrier is the phase reference of
 * its sidebands.
 */
function pickBand(
  spectra: readonly StationSpectrum[],
  modulated: readonly StationSpectrum[],
  steady: readonly Uint8Array[],
  fs: number,
  band: { lo: number; hi: number } | undefined,
): Band | { reason: string } {
  const chosen = selectBand(spectra, fs, band);
  if ('reason' in chosen || chosen.chosenBy === 'whole-band') return chosen;
  const lineAt = (bin: number) => steady.some((m) => m[bin] === 1);
  if (!chosen.bins.some(lineAt)) return chosen;
  // Something besides the lines in the band: a broad weak signal (AM audio a few dB under the
  // noise) shows in the stations' 200 Hz averages, a narrow one where selectBand finds it.
  const n = spectra[0].power.length;
  const wide = commonWideExcess(modulated, fs / n);
  if (chosen.bins.some((bin) => wide[(bin + n / 2) % n] > BAND_EDGE_SNR)) return chosen;
  const again = selectBand(modulated, fs);
  if (!('reason' in again) && again.chosenBy === 'strongest-common-signal') {
    const overlaps = again.loHz <= chosen.hiHz && again.hiHz >= chosen.loHz;
    if (overlaps) return chosen;
    if (!band) return again;
  }
  const line = band
    ? 'a carrier'
    : `a carrier at ${chosen.peakHz.toFixed(0)} Hz from the centre, ${chosen.peakSnrDb.toFixed(0)} dB`;
  const refusal =
    `the only signal the stations share${band ? ' in the band' : ''} is steady (${line}): a ` +
    'steady carrier carries no timing, and no keying, data or voice beside it stands out, even ' +
    'read against the carrier';
  // Its sidebands, if any, are under the noise: read them against the carrier over the band a
  // voice or data signal on it would take (or the operator's).
  if (band) return { ...chosen, againstCarrier: { refusal } };
  const binHz = fs / n;
  const edgeHz = (0.5 - CARRIER_BAND_EDGE) * fs;
  const loHz = Math.max(-edgeHz, chosen.peakHz - CARRIER_SIDEBAND_HZ);
  const hiHz = Math.min(edgeHz, chosen.peakHz + CARRIER_SIDEBAND_HZ);
  const bins: number[] = [];
  for (let j = Math.ceil(loHz / binHz); j <= Math.floor(hiHz / binHz); j++) bins.push((j + n) % n);
  return { ...chosen, bins: Int32Array.from(bins), loHz, hiHz, againstCarrier: { refusal } };
}

/** The band a carrier's sidebands are sought in, Hz either side (AM broadcast audio: 4.5 kHz). */
const CARRIER_SIDEBAND_HZ = 4500;
/** ... within the passband less this share of the sample rate at each edge. */
const CARRIER_BAND_EDGE = 0.04;
/**
 * Read against a carrier, a pair's lag counts only where its peak stands out by this t statistic
 * (PairEstimate.significance): pure carriers give 1-4 (24 pairs of 4 simulated scenes, in every
 * round of window moves), AM whose audio is under the noise 6-45 (36 pairs of 4 scenes,
 * eval:tdoa --seed 1).
 */
export const CARRIER_MIN_SIGNIFICANCE = 5;

/**
 * Band positions of the carrier: every station's steady bins moved by its frequency error onto the
 * reference's spectrum, as its band spectra are (pass 2 removes shiftHz).
 */
function carrierPositions(
  bins: Int32Array,
  alive: readonly number[],
  steady: readonly Uint8Array[],
  shiftHz: readonly number[],
  binHz: number,
): Int32Array {
  const n = steady[0].length;
  const at = new Map<number, number>();
  bins.forEach((b, j) => at.set(b, j));
  const out = new Set<number>();
  alive.forEach((s, k) => {
    const move = Math.round(shiftHz[s] / binHz);
    for (let b = 0; b < n; b++) {
      if (steady[k][b] !== 1) continue;
      const j = at.get((((b - move) % n) + n) % n);
      if (j !== undefined) out.add(j);
    }
  });
  return Int32Array.from([...out].sort((x, y) => x - y));
}

/**
 * A receiver always has a noise floor: a spectrum whose low bins lie more than 150 dB under its
 * strongest is not a recording of the air (constant samples give a line at 0 Hz over exact
 * zeros; 16-bit samples in a 4096-point transform span about 130 dB).
 */
function noiseless(power: Float64Array): boolean {
  let max = 0;
  let low = 0;
  for (const v of power) max = Math.max(max, v);
  for (const v of power) if (v <= max * 1e-15) low++;
  return low > power.length / 2;
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
