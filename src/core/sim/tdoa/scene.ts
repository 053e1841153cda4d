/**
 * One simulated TDoA scene: a transmitter, N receivers (positions), and what each receiver
 * records of it, with its own clock. Deterministic in (seed, index).
 *
 * Every station samples the same continuous-time signal s(t) at its own true sample times
 * t_n = start + n / trueRate, delayed by the geodesic time of flight (and, with multipath, plus
 * echoes), so the delay is exact to the picosecond; then its receiver's frequency error and
 * carrier phase rotate it and white Gaussian noise is added at the station's SNR.
 */
import type { KiwiGpsStamp } from '../../kiwi/sndFrame';
import type { LatLon } from '../../geodesy';
import { Rng } from '../../rng';
import { median } from '../../stats';
import type { Station } from '../../tdoa/types';
import { KIWI_BLOCK_PAIRS } from '../kiwiWavWriter';
import { DEFAULT_NETWORK, drawNetwork, type NetworkOptions } from './geometry';
import { DEFAULT_IMPAIRMENTS, type Range, type TdoaImpairments } from './impairments';
import { gpsStampOf, kiwiBlockTimings, streamIndex, type KiwiBlockTiming } from './kiwiClock';
import { propagationDelayS } from './propagation';
import { occupiedBandwidthHz, psdPower, welchPsd, type Psd } from './spectrum';
import { drawWaveform, TDOA_SIGNAL_KINDS, type TdoaSignalKind } from './waveforms';

export type TdoaRecordingFormat = 'kiwi' | 'sigmf';
export type TdoaFormatMix = 'kiwi' | 'sigmf' | 'mixed';

export interface TdoaSceneOptions {
  network: NetworkOptions;
  /** Fixed receivers instead of a drawn network (then `transmitter` must be given too). */
  stations?: Station[];
  transmitter?: LatLon;
  kinds: readonly TdoaSignalKind[];
  /** Scene SNR (in the signal's occupied band), dB; each station within +-stationSnrSpreadDb of it. */
  snrDb: Range;
  stationSnrSpreadDb: number;
  durationS: number;
  /** Share of scenes recorded as Kiwi WAVs only, SigMF only, and a mix (rest). */
  formatShares: { kiwi: number; sigmf: number };
  impairments: TdoaImpairments;
  /** A Kiwi's nominal rate (its WAV header rounds it) and a GPS-disciplined SigMF recorder's. */
  kiwiNominalRateHz: number;
  sigmfRateHz: number;
  /**
   * Share of Kiwi stations recording at kiwiWideRateHz instead (a KiwiSDR in its 3-channel wide
   * mode): mixed-rate scenes, read at the lowest rate by the solver. Drawn from a stream of its
   * own, so a scene differs from the same seed and index without wide Kiwis in their rates (and
   * what follows from them: sample counts, noise samples) only.
   */
  kiwiWideShare: number;
  kiwiWideRateHz: number;
}

export const DEFAULT_SCENE_OPTIONS: TdoaSceneOptions = {
  network: DEFAULT_NETWORK,
  kinds: TDOA_SIGNAL_KINDS,
  snrDb: { lo: -3, hi: 30 },
  stationSnrSpreadDb: 3,
  durationS: 20,
  formatShares: { kiwi: 0.7, sigmf: 0.2 },
  impairments: DEFAULT_IMPAIRMENTS,
  kiwiNominalRateHz: 12001,
  sigmfRateHz: 12000,
  kiwiWideShare: 0,
  kiwiWideRateHz: 20250,
};

export interface Echo {
  relativeAmplitude: number;
  delayS: number;
  /** Phase at time 0 (the scene's epoch). */
  phaseRad: number;
  /** The phase turns at this rate, Hz (impairments' echoFadeHz); absent: it stands still. */
  fadeHz?: number;
}

export interface SimulatedStation {
  station: Station;
  format: TdoaRecordingFormat;
  /** Time of flight from the transmitter, s. */
  delayS: number;
  /** SNR in the signal's occupied band, dB. */
  snrDb: number;
  /** Per-bin SNR is perBinSnrScale * psd.densityPerHz (noise: unit power per sample). */
  perBinSnrScale: number;
  nominalRateHz: number;
  trueRateHz: number;
  /** True time of the first recorded sample, s from the epoch. */
  startS: number;
  samples: number;
  frequencyOffsetHz: number;
  echoes: Echo[];
  /**
   * The receiver's passband, when not flat: H(f) = 1 + 2 Re(c e^{-i 2 pi f spanS}) (taps c and
   * conj(c) at -/+ spanS: real, so no phase and no delay), c = re + i im.
   */
  passband?: { re: number; im: number; spanS: number };
  gap?: { afterBlock: number; lostBlocks: number };
  kiwi?: { blocks: KiwiBlockTiming[]; stamps: KiwiGpsStamp[]; pcClockS: number };
  /** SigMF capture segments: first sample, and the time its core:datetime states (s from the epoch). */
  sigmf?: { captures: { sampleStart: number; datetimeS: number }[] };
  /** Why a correct solver must leave this station out (no GPS fix, a gap); absent if usable. */
  expectedExclusion?: string;
  /** Variance of this station's time reference after averaging its fresh stamps, s^2. */
  timingVarianceS2: number;
  /** Interleaved IQ, full scale 1.0 (a 16-bit writer quantises it). */
  iq: Float32Array;
}

export interface TdoaScene {
  id: string;
  seed: number;
  index: number;
  /** Whole Unix second all times are counted from. */
  epochUnixS: number;
  centerFrequencyHz: number;
  transmitter: LatLon;
  signal: {
    kind: TdoaSignalKind;
    description: string;
    offsetHz: number;
    occupiedBandwidthHz: number;
    meanPower: number;
  };
  /** PSD of the clean transmitted signal at the Kiwi nominal rate, for the Cramer-Rao bound. */
  psd: Psd;
  radiusKm: number;
  multipath: boolean;
  /** Median of the stations' SNR, dB. */
  snrDb: number;
  /** Time span every station covers, s from the epoch. */
  overlapS: { startS: number; endS: number };
  stations: SimulatedStation[];
}

// Scenes are an hour apart from 2026-03-02T00:00:00Z (a Monday, mid GPS week).
const EPOCH_BASE_UNIX_S = Date.UTC(2026, 2, 2) / 1000;
const SCENE_SPACING_S = 3600;
/** The first recording starts this long after the epoch (so no time is negative). */
const LEAD_S = 1;
/** Each recording's PC clock (its file name) runs this much after its first sample. */
const PC_LATENCY_S: Range = { lo: 0.2, hi: 1.5 };
/** Seed offset of the stream that picks the wide-mode Kiwis (kiwiWideShare). */
const WIDE_SEED_OFFSET = 0x5eed;
/** Complex RMS of a recording relative to full scale: about 17 dB headroom for 16 bits. */
const RECORDING_RMS = 0.14;

const draw = (rng: Rng, r: Range) => rng.uniform(r.lo, r.hi);

function drawCenterFrequencyHz(rng: Rng): number {
  // LF to HF, on whole kHz as operators tune.
  return Math.round(rng.logUniform(60e3, 30e6) / 1000) * 1000;
}

function drawFormats(rng: Rng, n: number, shares: TdoaSceneOptions['formatShares']) {
  const u = rng.next();
  const mix: TdoaFormatMix =
    u < shares.kiwi ? 'kiwi' : u < shares.kiwi + shares.sigmf ? 'sigmf' : 'mixed';
  const formats: TdoaRecordingFormat[] = [];
  for (let i = 0; i < n; i++) {
    formats.push(mix === 'mixed' ? (i % 2 === 0 ? 'kiwi' : 'sigmf') : mix);
  }
  return formats;
}

interface StationPlan {
  s: Omit<SimulatedStation, 'iq' | 'perBinSnrScale' | 'timingVarianceS2'>;
  noiseRng: Rng;
  phaseRad: number;
  jitterS: number;
}

function planStation(
  rng: Rng,
  station: Station,
  format: TdoaRecordingFormat,
  wide: boolean,
  tx: LatLon,
  sceneSnrDb: number,
  multipath: boolean,
  o: TdoaSceneOptions,
): StationPlan {
  const imp = o.impairments;
  const nominalRateHz =
    format === 'kiwi' ? (wide ? o.kiwiWideRateHz : o.kiwiNominalRateHz) : o.sigmfRateHz;
  const ppm = format === 'kiwi' ? rng.uniform(-1, 1) * imp.sampleRateOffsetPpm : 0;
  const trueRateHz = nominalRateHz * (1 + ppm * 1e-6);
  const startS = LEAD_S + rng.uniform(0, imp.startSpreadS);
  const blocks = Math.floor(
    (o.durationS * trueRateHz * rng.uniform(0.97, 1.03)) / KIWI_BLOCK_PAIRS,
  );
  const large = rng.next() < imp.largeFrequencyOffsetFraction;
  const frequencyOffsetHz =
    rng.uniform(-1, 1) * (large ? imp.largeFrequencyOffsetHz : imp.frequencyOffsetHz);
  const echoes: Echo[] =
    multipath && rng.next() < imp.echoStationFraction
      ? [
          {
            relativeAmplitude: draw(rng, imp.echoRelativeAmplitude),
            delayS: draw(rng, imp.echoDelayUs) * 1e-6,
            phaseRad: rng.uniform(0, 2 * Math.PI),
          },
        ]
      : [];
  const gap =
    rng.next() < imp.gapFraction
      ? {
          afterBlock: rng.int(Math.floor(blocks / 4), Math.floor((3 * blocks) / 4)),
          lostBlocks: Math.round(draw(rng, imp.gapBlocks)),
        }
      : undefined;
  const noFix = rng.next() < imp.noFixFraction;
  const late = rng.next() < imp.lateFirstFixFraction;
  const jitterS = draw(rng, imp.stampJitterNs) * 1e-9;
  const s: StationPlan['s'] = {
    station,
    format,
    delayS: propagationDelayS(tx, station),
    snrDb: sceneSnrDb + rng.uniform(-1, 1) * o.stationSnrSpreadDb,
    nominalRateHz,
    trueRateHz,
    startS,
    samples: blocks * KIWI_BLOCK_PAIRS,
    frequencyOffsetHz,
    echoes,
  };
  if (gap) s.gap = gap;
  // A Kiwi WAV cannot say where samples went missing (the stamps jump, the count does not): such
  // a station must be excluded. SigMF starts a new capture segment with its own core:datetime.
  if (gap && format === 'kiwi')
    s.expectedExclusion = `a gap of ${gap.lostBlocks} blocks after block ${gap.afterBlock}`;
  if (format === 'kiwi') {
    const firstFixS = noFix
      ? Infinity
      : late
        ? startS + draw(rng, imp.lateFirstFixS)
        : startS - rng.uniform(0, draw(rng, imp.fixIntervalS));
    const u = rng.next();
    const badFirstBlock =
      u < imp.zeroFirstBlockFraction
        ? 'zero'
        : rng.next() < imp.staleFirstBlockFraction
          ? 'stale'
          : 'none';
    const timings = kiwiBlockTimings(rng, {
      startS,
      sampleRateHz: trueRateHz,
      blocks,
      firstFixS,
      fixIntervalS: imp.fixIntervalS,
      stampJitterS: jitterS,
      rateErrorFraction: imp.rateErrorBetweenFixes,
      badFirstBlock,
      gap,
    });
    s.kiwi = { blocks: timings, stamps: [], pcClockS: startS + draw(rng, PC_LATENCY_S) };
    if (noFix) s.expectedExclusion = 'no GPS fix';
  } else {
    // A GPS-disciplined recorder: the declared rate is exact and each capture segment's
    // core:datetime is its first sample's time to within the GPS jitter.
    const captures = [{ sampleStart: 0, datetimeS: startS + jitterS * rng.normal() }];
    if (gap) {
      const sampleStart = (gap.afterBlock + 1) * KIWI_BLOCK_PAIRS;
      const trueS = startS + streamIndex(sampleStart, gap) / trueRateHz;
      captures.push({ sampleStart, datetimeS: trueS + jitterS * rng.normal() });
    }
    s.sigmf = { captures };
  }
  const noiseSeed = rng.nextUint32();
  if (imp.passbandRippleDb > 0) {
    // A stream of its own: with the ripple off, every other draw is what it was.
    const own = new Rng(noiseSeed, 2);
    const peakDb = own.uniform(0, imp.passbandRippleDb);
    const size = (10 ** (peakDb / 20) - 1) / 2;
    const arg = own.uniform(0, 2 * Math.PI);
    s.passband = {
      re: size * Math.cos(arg),
      im: size * Math.sin(arg),
      spanS: own.uniform(PASSBAND_SPAN_S.lo, PASSBAND_SPAN_S.hi),
    };
  }
  if (imp.echoFadeHz > 0) {
    // A stream of its own too: with the fading off, every other draw is what it was.
    const own = new Rng(noiseSeed, 3);
    for (const e of echoes) e.fadeHz = own.uniform(-1, 1) * imp.echoFadeHz;
  }
  return {
    s,
    noiseRng: new Rng(noiseSeed, 1),
    phaseRad: rng.uniform(0, 2 * Math.PI),
    jitterS,
  };
}

/** Variance of a station's time reference after a line fit through its fresh stamps (sigma^2 / n). */
function timingVarianceS2(s: StationPlan['s'], jitterS: number): number {
  const fresh = s.kiwi
    ? s.kiwi.blocks.filter((b) => b.fresh && Number.isFinite(b.stampS)).length
    : 1;
  return fresh > 0 ? (jitterS * jitterS) / fresh : Infinity;
}

export function simulateTdoaScene(
  seed: number,
  index: number,
  options: Partial<TdoaSceneOptions> = {},
): TdoaScene {
  const o: TdoaSceneOptions = { ...DEFAULT_SCENE_OPTIONS, ...options };
  const rng = new Rng(seed, index);
  let stations: Station[];
  let transmitter: LatLon;
  let radiusKm: number;
  if (o.stations) {
    if (!o.transmitter) throw new Error('a scene with fixed stations needs a fixed transmitter');
    ({ stations, transmitter } = { stations: o.stations, transmitter: o.transmitter });
    radiusKm = NaN;
  } else {
    ({ stations, transmitter, radiusKm } = drawNetwork(rng, o.network, o.transmitter));
  }
  const centerFrequencyHz = drawCenterFrequencyHz(rng);
  const multipath = rng.next() < o.impairments.multipathSceneFraction;
  const sceneSnrDb = draw(rng, o.snrDb);
  const formats = drawFormats(rng, stations.length, o.formatShares);
  // Which Kiwis record in their wide mode comes from a stream of its own: the scene is otherwise
  // the one the same seed and index give without wide receivers (paired comparisons).
  const wideRng = new Rng(seed + WIDE_SEED_OFFSET, index);
  const wide = stations.map(
    (_, i) => formats[i] === 'kiwi' && o.kiwiWideShare > 0 && wideRng.next() < o.kiwiWideShare,
  );
  const plans = stations.map((st, i) =>
    planStation(rng, st, formats[i], wide[i], transmitter, sceneSnrDb, multipath, o),
  );

  const ends = plans.map((p) => {
    const last = streamIndex(p.s.samples, p.s.gap);
    return p.s.startS + last / p.s.trueRateHz;
  });
  const overlapS = {
    startS: Math.max(...plans.map((p) => p.s.startS)),
    endS: Math.min(...ends),
  };
  // The transmitter is on from the epoch (LEAD_S before any recording, far more than any delay).
  const waveform = drawWaveform(rng, rng.pick(o.kinds), {
    startS: 0,
    endS: Math.max(...ends) + 1,
  });

  // The clean signal's PSD over the overlap, sampled at the Kiwi nominal rate.
  const psdRate = o.kiwiNominalRateHz;
  const psdSamples = Math.floor((overlapS.endS - overlapS.startS) * psdRate);
  const clean = new Float64Array(2 * psdSamples);
  const u = new Float64Array(2);
  for (let n = 0; n < psdSamples; n++) {
    waveform.at(overlapS.startS + n / psdRate, u);
    clean[2 * n] = u[0];
    clean[2 * n + 1] = u[1];
  }
  const psd = welchPsd(clean, psdRate);
  const meanPower = psdPower(psd);
  const bandwidthHz = occupiedBandwidthHz(psd);

  const epochUnixS = EPOCH_BASE_UNIX_S + index * SCENE_SPACING_S;
  const simulated = plans.map((p) => {
    const s = p.s;
    // Noise of unit power per sample: the in-band noise is bandwidth / rate of it.
    const signalPower = (10 ** (s.snrDb / 10) * bandwidthHz) / s.trueRateHz;
    const amp = Math.sqrt(signalPower / meanPower);
    const echoPower = s.echoes.reduce((sum, e) => sum + e.relativeAmplitude ** 2, 0);
    const scale = RECORDING_RMS / Math.sqrt(signalPower * (1 + echoPower) + 1);
    const iq = renderStation(s, waveform.at.bind(waveform), amp, p.phaseRad, p.noiseRng, scale);
    if (s.kiwi) {
      s.kiwi.stamps = s.kiwi.blocks.map((b) => gpsStampOf(epochUnixS, b.stampS, b.lastSolution));
    }
    return {
      ...s,
      perBinSnrScale: amp * amp * s.trueRateHz,
      timingVarianceS2: timingVarianceS2(s, p.jitterS),
      iq,
    };
  });
  return {
    id: `tdoa-${seed}-${String(index).padStart(5, '0')}`,
    seed,
    index,
    epochUnixS,
    centerFrequencyHz,
    transmitter,
    signal: {
      kind: waveform.kind,
      description: waveform.description,
      offsetHz: waveform.offsetHz,
      occupiedBandwidthHz: bandwidthHz,
      meanPower,
    },
    psd,
    radiusKm,
    multipath,
    snrDb: median(simulated.map((s) => s.snrDb)),
    overlapS,
    stations: simulated,
  };
}

/**
 * Tap spacing of a receiver's passband ripple, s: from a tilt across a 12 kHz band (20 us) to
 * about a third of a cycle over it (60 us).
 */
const PASSBAND_SPAN_S = { lo: 20e-6, hi: 60e-6 };

/**
 * One station's samples: delayed signal plus echoes, through its passband, frequency error,
 * noise; scaled.
 */
function renderStation(
  s: StationPlan['s'],
  at: (tS: number, out: Float64Array) => void,
  amp: number,
  phaseRad: number,
  noiseRng: Rng,
  scale: number,
): Float32Array {
  const iq = new Float32Array(2 * s.samples);
  const u = new Float64Array(2);
  const noiseStd = Math.SQRT1_2; // unit complex power
  const arrived = new Float64Array(2);
  /** Direct wave and echoes at the antenna at time tS, into `arrived`. */
  const antenna = (tS: number) => {
    at(tS - s.delayS, u);
    arrived[0] = u[0];
    arrived[1] = u[1];
    for (const e of s.echoes) {
      at(tS - s.delayS - e.delayS, u);
      const phase = e.fadeHz ? e.phaseRad + 2 * Math.PI * e.fadeHz * tS : e.phaseRad;
      const c = e.relativeAmplitude * Math.cos(phase);
      const d = e.relativeAmplitude * Math.sin(phase);
      arrived[0] += c * u[0] - d * u[1];
      arrived[1] += c * u[1] + d * u[0];
    }
  };
  const pb = s.passband;
  for (let n = 0; n < s.samples; n++) {
    const t = s.startS + streamIndex(n, s.gap) / s.trueRateHz;
    antenna(t);
    let re = arrived[0];
    let im = arrived[1];
    if (pb) {
      // c x(t - span) + conj(c) x(t + span)
      antenna(t - pb.spanS);
      re += pb.re * arrived[0] - pb.im * arrived[1];
      im += pb.re * arrived[1] + pb.im * arrived[0];
      antenna(t + pb.spanS);
      re += pb.re * arrived[0] + pb.im * arrived[1];
      im += pb.re * arrived[1] - pb.im * arrived[0];
    }
    const ph = 2 * Math.PI * s.frequencyOffsetHz * t + phaseRad;
    const cr = Math.cos(ph);
    const ci = Math.sin(ph);
    iq[2 * n] = scale * (amp * (re * cr - im * ci) + noiseStd * noiseRng.normal());
    iq[2 * n + 1] = scale * (amp * (re * ci + im * cr) + noiseStd * noiseRng.normal());
  }
  return iq;
}
