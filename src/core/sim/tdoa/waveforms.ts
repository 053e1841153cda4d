/**
 * Transmitted signals for the TDoA simulator, as functions of continuous time (complex baseband
 * relative to the receivers' tuned frequency). Their timing content spans two orders of
 * magnitude, which is what the evaluation needs to see: a keyed CW carrier (timing only from its
 * 5 ms key edges), FSK data (hundreds of Hz to a few kHz), AM voice (a strong carrier that
 * carries no timing plus 3 kHz of audio), and a noise-like wideband signal (up to 9.5 kHz).
 */
import type { Rng } from '../../rng';
import { PULSE_HALF_SPAN_SYMBOLS, PulseTrain } from './pulseTrain';

export const TDOA_SIGNAL_KINDS = ['cw', 'fsk', 'am', 'noise'] as const;
/**
 * Besides the kinds the evaluation draws, an unmodulated carrier (a beacon between its
 * identifications, a spur): it carries no timing at all, and a solver must say so rather than
 * place it (tests/tdoa/steadyCarrier.test.ts). Drawn only when asked for by name.
 */
export type TdoaSignalKind = (typeof TDOA_SIGNAL_KINDS)[number] | 'carrier';

export interface TdoaWaveform {
  kind: TdoaSignalKind;
  /** Human-readable parameters, e.g. "FSK 50 Bd, 450 Hz shift". */
  description: string;
  /** Carrier (or centre) offset from the tuned frequency, Hz. */
  offsetHz: number;
  /** Nominal half-width of the occupied band around the offset, Hz. */
  halfBandwidthHz: number;
  /** s(t) at transmitter time tS (seconds from the scene's epoch), written to out as [re, im]. */
  at(tS: number, out: Float64Array): void;
}

/** Highest |frequency| the signal may reach: a Kiwi's 12 kHz IQ passband is flat to about here. */
export const PASSBAND_EDGE_HZ = 4800;
/** Key edges of a CW transmitter (raised cosine), seconds; ARRL recommends about 5 ms. */
const CW_RISE_S = 0.005;
const ROLL_OFF = 0.35;
/** FSK modes in use: [baud, shift Hz] (RTTY, DWD weather, NAVTEX-like, 300 Bd, Bell 202-like, MSK). */
const FSK_MODES: readonly [number, number][] = [
  [45.45, 170],
  [50, 450],
  [100, 170],
  [100, 850],
  [300, 600],
  [1200, 1000],
  [2400, 1200],
];

interface Span {
  startS: number;
  endS: number;
}

function gaussianSymbols(rng: Rng, count: number): [Float64Array, Float64Array] {
  const re = new Float64Array(count);
  const im = new Float64Array(count);
  // Unit mean power: each of I and Q has variance 1/2.
  for (let k = 0; k < count; k++) {
    re[k] = rng.normal() * Math.SQRT1_2;
    im[k] = rng.normal() * Math.SQRT1_2;
  }
  return [re, im];
}

function pulseTrainOver(rng: Rng, span: Span, symbolRateHz: number): PulseTrain {
  const margin = (PULSE_HALF_SPAN_SYMBOLS + 1) / symbolRateHz;
  const first = span.startS - margin;
  const count = Math.ceil((span.endS + margin - first) * symbolRateHz) + 1;
  const [re, im] = gaussianSymbols(rng, count);
  return new PulseTrain(re, im, symbolRateHz, first, ROLL_OFF);
}

function offsetFor(rng: Rng, halfBandwidthHz: number): number {
  const max = Math.max(0, PASSBAND_EDGE_HZ - halfBandwidthHz);
  return rng.uniform(-max, max);
}

function cw(rng: Rng, span: Span): TdoaWaveform {
  const wpm = rng.uniform(12, 30);
  const dotS = 1.2 / wpm; // PARIS timing
  const starts: number[] = [];
  const ends: number[] = [];
  let t = span.startS - rng.uniform(0, 1);
  while (t < span.endS + 1) {
    const on = dotS * (rng.next() < 0.5 ? 1 : 3);
    starts.push(t);
    ends.push(t + on);
    t += on + dotS * rng.pick([1, 1, 1, 3, 3, 7]);
  }
  const half = 60;
  const offsetHz = offsetFor(rng, half);
  const phase0 = rng.uniform(0, 2 * Math.PI);
  const envelope = (tS: number): number => {
    // The last key-down that starts at or before tS (binary search).
    let lo = 0;
    let hi = starts.length - 1;
    if (tS < starts[0]) return 0;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= tS) lo = mid;
      else hi = mid - 1;
    }
    const sinceStart = tS - starts[lo];
    const toEnd = ends[lo] - tS;
    if (toEnd <= 0) return 0;
    const edge = Math.min(sinceStart, toEnd);
    return edge >= CW_RISE_S ? 1 : 0.5 - 0.5 * Math.cos((Math.PI * edge) / CW_RISE_S);
  };
  return {
    kind: 'cw',
    description: `CW ${wpm.toFixed(0)} wpm, ${CW_RISE_S * 1000} ms edges`,
    offsetHz,
    halfBandwidthHz: half,
    at(tS, out) {
      const e = envelope(tS);
      const ph = 2 * Math.PI * offsetHz * tS + phase0;
      out[0] = e * Math.cos(ph);
      out[1] = e * Math.sin(ph);
    },
  };
}

/**
 * Hard-keyed continuous-phase FSK is not band-limited: its sidebands fall only as 1/f^2 and,
 * sampled directly at a receiver's 12 kHz, they alias back into the band with a phase that
 * depends on each station's fractional delay (measured: up to -14 dB of the signal in the weak
 * edge sub-bands of 2400 Bd FSK, i.e. 0.2 rad of phase no real recording has, since a Kiwi's
 * decimation filters remove that content). So the keyed signal is what the transmitter's modem
 * makes in discrete time (sampled at fskRateHz around its centre), and its reconstruction
 * filter (the raised-cosine pulse train) band-limits it: flat over Carson's band where that
 * fits, and never past PASSBAND_EDGE_HZ from the tuned frequency.
 */
function fskRateHz(carsonHalfHz: number): number {
  const flatToHalfHz = (PASSBAND_EDGE_HZ * (1 - ROLL_OFF)) / (1 + ROLL_OFF);
  return (2 * Math.min(carsonHalfHz, flatToHalfHz)) / (1 - ROLL_OFF);
}

function fsk(rng: Rng, span: Span): TdoaWaveform {
  const [baud, shiftHz] = rng.pick(FSK_MODES);
  const rateHz = fskRateHz(shiftHz / 2 + baud);
  const half = (rateHz * (1 + ROLL_OFF)) / 2;
  const offsetHz = offsetFor(rng, half);
  const first = span.startS - 2 / baud;
  const count = Math.ceil((span.endS + 2 / baud - first) * baud) + 1;
  // Continuous-phase FSK (tones at +-shift / 2 around the centre): the phase at each symbol's
  // start, accumulated once.
  const toneHz = new Float64Array(count);
  const phaseAtStart = new Float64Array(count);
  let phase = rng.uniform(0, 2 * Math.PI);
  for (let k = 0; k < count; k++) {
    toneHz[k] = (rng.next() < 0.5 ? -0.5 : 0.5) * shiftHz;
    phaseAtStart[k] = phase;
    phase += (2 * Math.PI * toneHz[k]) / baud;
  }
  const keyed = (tS: number, out: Float64Array) => {
    const u = (tS - first) * baud;
    const k = Math.min(count - 1, Math.max(0, Math.floor(u)));
    const ph = phaseAtStart[k] + (2 * Math.PI * toneHz[k] * (u - k)) / baud;
    out[0] = Math.cos(ph);
    out[1] = Math.sin(ph);
  };
  const train = sampledTrain(keyed, span, rateHz);
  return {
    kind: 'fsk',
    description: `FSK ${baud} Bd, ${shiftHz} Hz shift`,
    offsetHz,
    halfBandwidthHz: half,
    at: mixedUp(train, offsetHz),
  };
}

/** A pulse train through the samples of `signal` at rateHz over the span (plus the pulse's reach). */
function sampledTrain(
  signal: (tS: number, out: Float64Array) => void,
  span: Span,
  rateHz: number,
): PulseTrain {
  const margin = (PULSE_HALF_SPAN_SYMBOLS + 1) / rateHz;
  const first = span.startS - margin;
  const count = Math.ceil((span.endS + margin - first) * rateHz) + 1;
  const re = new Float64Array(count);
  const im = new Float64Array(count);
  const u = new Float64Array(2);
  for (let k = 0; k < count; k++) {
    signal(first + k / rateHz, u);
    re[k] = u[0];
    im[k] = u[1];
  }
  return new PulseTrain(re, im, rateHz, first, ROLL_OFF);
}

/** The band-limited train, moved up to offsetHz. */
function mixedUp(train: PulseTrain, offsetHz: number): TdoaWaveform['at'] {
  const u = new Float64Array(2);
  return (tS, out) => {
    train.at(tS, u);
    const ph = 2 * Math.PI * offsetHz * tS;
    const c = Math.cos(ph);
    const s = Math.sin(ph);
    out[0] = u[0] * c - u[1] * s;
    out[1] = u[0] * s + u[1] * c;
  };
}

function noise(rng: Rng, span: Span): TdoaWaveform {
  const symbolRateHz = rng.logUniform(300, 7000);
  const half = (symbolRateHz * (1 + ROLL_OFF)) / 2;
  const offsetHz = offsetFor(rng, half);
  const train = pulseTrainOver(rng, span, symbolRateHz);
  return {
    kind: 'noise',
    description: `noise-like, ${((2 * half) / 1000).toFixed(2)} kHz wide`,
    offsetHz,
    halfBandwidthHz: half,
    at: mixedUp(train, offsetHz),
  };
}

/** Audio band of the AM voice signal: 300-3000 Hz, as band-limited noise at 1650 Hz centre. */
const AUDIO_CENTRE_HZ = 1650;
const AUDIO_SYMBOL_RATE_HZ = 2000;

function am(rng: Rng, span: Span): TdoaWaveform {
  const half = 3000;
  const offsetHz = offsetFor(rng, half);
  const audio = pulseTrainOver(rng, span, AUDIO_SYMBOL_RATE_HZ);
  // RMS of Re{u e^{jwt}} for unit-power symbols through a raised cosine: sqrt((1 - b/4) / 2).
  const audioRms = Math.sqrt((1 - ROLL_OFF / 4) / 2);
  const depth = rng.uniform(0.3, 0.6);
  const syllableHz = rng.uniform(2, 6);
  const syllablePhase = rng.uniform(0, 2 * Math.PI);
  const phase0 = rng.uniform(0, 2 * Math.PI);
  const u = new Float64Array(2);
  return {
    kind: 'am',
    description: `AM voice-like, ${(depth * 100).toFixed(0)} % rms modulation`,
    offsetHz,
    halfBandwidthHz: half,
    at(tS, out) {
      audio.at(tS, u);
      const a = 2 * Math.PI * AUDIO_CENTRE_HZ * tS;
      const audioSample = (u[0] * Math.cos(a) - u[1] * Math.sin(a)) / audioRms;
      const syllable = 0.55 + 0.45 * Math.sin(2 * Math.PI * syllableHz * tS + syllablePhase);
      const envelope = 1 + depth * syllable * audioSample;
      const ph = 2 * Math.PI * offsetHz * tS + phase0;
      out[0] = envelope * Math.cos(ph);
      out[1] = envelope * Math.sin(ph);
    },
  };
}

function carrier(rng: Rng): TdoaWaveform {
  const offsetHz = offsetFor(rng, 0);
  const phase0 = rng.uniform(0, 2 * Math.PI);
  return {
    kind: 'carrier',
    description: 'unmodulated carrier',
    offsetHz,
    halfBandwidthHz: 0,
    at(tS, out) {
      const ph = 2 * Math.PI * offsetHz * tS + phase0;
      out[0] = Math.cos(ph);
      out[1] = Math.sin(ph);
    },
  };
}

/** A transmitter of `kind` on the air over the whole span (seconds from the scene's epoch). */
export function drawWaveform(rng: Rng, kind: TdoaSignalKind, span: Span): TdoaWaveform {
  switch (kind) {
    case 'cw':
      return cw(rng, span);
    case 'fsk':
      return fsk(rng, span);
    case 'noise':
      return noise(rng, span);
    case 'am':
      return am(rng, span);
    case 'carrier':
      return carrier(rng);
  }
}
