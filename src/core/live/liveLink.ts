/**
 * One transmitter-to-receiver link of the live simulator, applied chunk after chunk: the same
 * physics as simulateScene (src/core/sim/scene.ts, physics.ts) - log-distance path loss, a fixed
 * log-normal shadowing per link, Rician fading, the receiver's noise and gain offset and LO error -
 * but with every time-varying part a function of the absolute sample index, so consecutive chunks
 * join without a seam.
 */
import { geodesicInverse, type LatLon } from '../geodesy';
import type { Receiver } from '../modelMetadata';
import type { Rng } from '../rng';
import {
  dbmToDbfs,
  noisePowerDbm,
  pathLossDb,
  type PhysicsRanges,
  type Range,
} from '../sim/physics';

/** Scattered paths of the sum-of-sinusoids Rician model (as in sim/fading.ts). */
const PATHS = 16;
/** Fading changes over tenths of a second: evaluate it every STEP samples and interpolate. */
const FADING_STEP = 64;
/** Receivers' LO error bound, Hz (a TCXO at 145 MHz, +-0.7 ppm; as in sim/scene.ts). */
const LO_ERROR_HZ = 100;

const draw = (rng: Rng, r: Range) => rng.uniform(r.lo, r.hi);

export interface LinkState {
  distanceM: number;
  /** Mean received power at the antenna before fading, dBm. */
  signalDbm: number;
  noiseDbm: number;
  snrDb: number;
  /** The receiver's gain error: its dBFS reading is dBm - REFERENCE_DBM + this. */
  gainOffsetDb: number;
}

export class LiveLink {
  readonly gainOffsetDb: number;
  readonly noiseDbm: number;
  readonly shadowDb: number;
  private readonly los: number;
  private readonly losPhase: number;
  private readonly scatter: number;
  private readonly pathFreqHz = new Float64Array(PATHS);
  private readonly pathPhase = new Float64Array(PATHS);
  private readonly loErrorHz: number;
  private lastAmplitude: number | undefined;

  constructor(
    readonly receiver: Receiver,
    physics: PhysicsRanges,
    shadowingSigmaDb: number,
    private readonly sampleRateHz: number,
    private readonly centerFrequencyHz: number,
    private readonly pathLossExponent: number,
    private readonly rng: Rng,
    /** Bound of the LO error, Hz; a GPS-disciplined receiver (GPS mode) is within about 1 Hz. */
    loErrorBoundHz = LO_ERROR_HZ,
  ) {
    this.shadowDb = shadowingSigmaDb * rng.normal();
    this.gainOffsetDb = draw(rng, physics.gainOffsetDb);
    this.noiseDbm = noisePowerDbm(draw(rng, physics.noiseFigureDb), sampleRateHz);
    const k = 10 ** (draw(rng, physics.ricianKDb) / 10);
    const dopplerHz = draw(rng, physics.dopplerHz);
    this.los = Math.sqrt(k / (k + 1));
    this.scatter = Math.sqrt(1 / (k + 1) / PATHS);
    this.losPhase = rng.uniform(0, 2 * Math.PI);
    for (let m = 0; m < PATHS; m++) {
      this.pathFreqHz[m] = dopplerHz * Math.cos(rng.uniform(0, 2 * Math.PI));
      this.pathPhase[m] = rng.uniform(0, 2 * Math.PI);
    }
    this.loErrorHz = rng.uniform(-loErrorBoundHz, loErrorBoundHz);
  }

  state(tx: LatLon, txPowerDbm: number): LinkState {
    const distanceM = geodesicInverse(tx, this.receiver).distanceM;
    const signalDbm =
      txPowerDbm -
      pathLossDb(distanceM, this.centerFrequencyHz, this.pathLossExponent) +
      this.shadowDb;
    return {
      distanceM,
      signalDbm,
      noiseDbm: this.noiseDbm,
      snrDb: signalDbm - this.noiseDbm,
      gainOffsetDb: this.gainOffsetDb,
    };
  }

  /**
   * The receiver's samples for one chunk of the clean transmitted signal starting at absolute
   * sample `start`. The amplitude ramps from the previous chunk's to this one's, so a moving
   * transmitter never makes a step.
   */
  receive(clean: Float32Array, start: number, link: LinkState): Float32Array {
    const samples = clean.length / 2;
    const amplitude = Math.sqrt(10 ** (dbmToDbfs(link.signalDbm, this.gainOffsetDb) / 10));
    const from = this.lastAmplitude ?? amplitude;
    this.lastAmplitude = amplitude;
    const noiseStd = Math.sqrt(10 ** (dbmToDbfs(this.noiseDbm, this.gainOffsetDb) / 10) / 2);
    const out = new Float32Array(2 * samples);
    const loStep = (2 * Math.PI * this.loErrorHz) / this.sampleRateHz;
    let grid = Math.floor(start / FADING_STEP);
    let [h0r, h0i] = this.fadingAt(grid * FADING_STEP);
    let [h1r, h1i] = this.fadingAt((grid + 1) * FADING_STEP);
    for (let j = 0; j < samples; j++) {
      const n = start + j;
      if (Math.floor(n / FADING_STEP) !== grid) {
        grid = Math.floor(n / FADING_STEP);
        [h0r, h0i] = [h1r, h1i];
        [h1r, h1i] = this.fadingAt((grid + 1) * FADING_STEP);
      }
      const f = (n - grid * FADING_STEP) / FADING_STEP;
      const hr = h0r + (h1r - h0r) * f;
      const hi = h0i + (h1i - h0i) * f;
      const a = from + ((amplitude - from) * j) / samples;
      // Signal through the channel (h times the clean signal), rotated by the LO error.
      const sr = clean[2 * j] * hr - clean[2 * j + 1] * hi;
      const si = clean[2 * j] * hi + clean[2 * j + 1] * hr;
      const lo = (loStep * n) % (2 * Math.PI);
      const c = Math.cos(lo);
      const s = Math.sin(lo);
      out[2 * j] = a * (sr * c - si * s) + noiseStd * this.rng.normal();
      out[2 * j + 1] = a * (sr * s + si * c) + noiseStd * this.rng.normal();
    }
    return out;
  }

  /** Rician gain h at absolute sample n, E|h|^2 = 1 (Clarke's model, sum of sinusoids). */
  private fadingAt(n: number): [number, number] {
    const t = n / this.sampleRateHz;
    let re = this.los * Math.cos(this.losPhase);
    let im = this.los * Math.sin(this.losPhase);
    for (let m = 0; m < PATHS; m++) {
      const a = 2 * Math.PI * this.pathFreqHz[m] * t + this.pathPhase[m];
      re += this.scatter * Math.cos(a);
      im += this.scatter * Math.sin(a);
    }
    return [re, im];
  }
}
