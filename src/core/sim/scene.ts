import type { Constellation } from '../modelMetadata';
import { geodesicInverse } from '../geodesy';
import { Rng } from '../rng';
import { ricianFading } from './fading';
import { drawSignal, generateSignal, type SignalKind } from './signals';
import {
  dbmToDbfs,
  noisePowerDbm,
  pathLossDb,
  wattsToDbm,
  type PhysicsRanges,
  type Range,
} from './physics';

/** The region transmitters are drawn from: the constellation with a margin (issue #2). */
export interface Region {
  latMin: number;
  latMax: number;
  lonMin: number;
  lonMax: number;
}
export const DEFAULT_REGION: Region = { latMin: 43.8, latMax: 46.0, lonMin: 6.6, lonMax: 9.8 };

export interface SceneTruth {
  lat: number;
  lon: number;
  powerW: number;
  kind: SignalKind;
  offsetHz: number;
  carrierHz: number;
  pathLossExponent: number;
  shadowingSigmaDb: number;
}

export interface SimulatedReceiver {
  receiverId: string;
  /** Interleaved I/Q at the scene's sample rate, full scale 1.0. */
  iq: Float32Array;
  distanceM: number;
  /** Mean received signal power at the antenna (before fast fading), dBm. */
  signalDbm: number;
  noiseDbm: number;
  gainOffsetDb: number;
  snrDb: number;
}

export interface Scene {
  id: string;
  seed: number;
  index: number;
  sampleRateHz: number;
  /** The receivers' tuned (centre) frequency, Hz. */
  centerFrequencyHz: number;
  captureTime: string;
  truth: SceneTruth;
  receivers: SimulatedReceiver[];
}

export interface SceneOptions {
  constellation: Constellation;
  physics: PhysicsRanges;
  sampleRateHz: number;
  samples: number;
  region?: Region;
  /** Force a position instead of drawing it (live scenarios). */
  position?: { lat: number; lon: number };
  kind?: SignalKind;
  /** Capture time of scene index 0; scene i is captured STEP_S later per index. */
  epochMs?: number;
}

const DEFAULT_EPOCH_MS = Date.UTC(2026, 0, 1, 12, 0, 0);
const SCENE_SPACING_S = 10;
/** Receivers' local oscillators are off by up to this much (a TCXO at 145 MHz, +-0.7 ppm). */
const LO_ERROR_HZ = 100;

const draw = (rng: Rng, r: Range) => rng.uniform(r.lo, r.hi);

/** One scene: one transmitter, one simultaneous recording per receiver. Deterministic in (seed, index). */
export function simulateScene(seed: number, index: number, o: SceneOptions): Scene {
  const rng = new Rng(seed, index);
  const region = o.region ?? DEFAULT_REGION;
  const fs = o.sampleRateHz;
  const lat = o.position?.lat ?? draw(rng, { lo: region.latMin, hi: region.latMax });
  const lon = o.position?.lon ?? draw(rng, { lo: region.lonMin, hi: region.lonMax });
  const powerW = rng.logUniform(o.physics.txPowerW.lo, o.physics.txPowerW.hi);
  const exponent = draw(rng, o.physics.pathLossExponent);
  const shadowSigma = draw(rng, o.physics.shadowingSigmaDb);
  const [bandLo, bandHi] = o.constellation.bandHz;
  const centerFrequencyHz = Math.round(rng.uniform(bandLo + fs, bandHi - fs) / 1000) * 1000;
  const signal = drawSignal(rng, fs, o.kind);
  const clean = generateSignal(rng, signal, o.samples, fs);

  const receivers = o.constellation.receivers.map((rx) => {
    const distanceM = geodesicInverse({ lat, lon }, rx).distanceM;
    const shadowDb = shadowSigma * rng.normal();
    const signalDbm =
      wattsToDbm(powerW) - pathLossDb(distanceM, centerFrequencyHz, exponent) + shadowDb;
    const gainOffsetDb = draw(rng, o.physics.gainOffsetDb);
    const noiseDbm = noisePowerDbm(draw(rng, o.physics.noiseFigureDb), fs);
    const fading = ricianFading(
      rng,
      o.samples,
      fs,
      draw(rng, o.physics.ricianKDb),
      draw(rng, o.physics.dopplerHz),
    );
    const amp = Math.sqrt(10 ** (dbmToDbfs(signalDbm, gainOffsetDb) / 10));
    const noiseStd = Math.sqrt(10 ** (dbmToDbfs(noiseDbm, gainOffsetDb) / 10) / 2);
    const loError = rng.uniform(-LO_ERROR_HZ, LO_ERROR_HZ);
    const iq = new Float32Array(2 * o.samples);
    for (let n = 0; n < o.samples; n++) {
      const a = (2 * Math.PI * loError * n) / fs;
      const c = Math.cos(a);
      const s = Math.sin(a);
      // Signal through the channel: fading h times the clean signal, rotated by the LO error.
      const sr = clean[2 * n] * fading[2 * n] - clean[2 * n + 1] * fading[2 * n + 1];
      const si = clean[2 * n] * fading[2 * n + 1] + clean[2 * n + 1] * fading[2 * n];
      iq[2 * n] = amp * (sr * c - si * s) + noiseStd * rng.normal();
      iq[2 * n + 1] = amp * (sr * s + si * c) + noiseStd * rng.normal();
    }
    return {
      receiverId: rx.id,
      iq,
      distanceM,
      signalDbm,
      noiseDbm,
      gainOffsetDb,
      snrDb: signalDbm - noiseDbm,
    };
  });

  const epoch = o.epochMs ?? DEFAULT_EPOCH_MS;
  return {
    id: `s${String(index).padStart(5, '0')}`,
    seed,
    index,
    sampleRateHz: fs,
    centerFrequencyHz,
    captureTime: new Date(epoch + index * SCENE_SPACING_S * 1000).toISOString(),
    truth: {
      lat,
      lon,
      powerW,
      kind: signal.kind,
      offsetHz: signal.offsetHz,
      carrierHz: centerFrequencyHz + signal.offsetHz,
      pathLossExponent: exponent,
      shadowingSigmaDb: shadowSigma,
    },
    receivers,
  };
}
