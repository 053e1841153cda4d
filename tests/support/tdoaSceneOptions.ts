/**
 * Simulated TDoA scenes shared by the unit tests and the browser tests: the same scene checked in
 * Node and dropped on the page.
 */
import { NO_IMPAIRMENTS } from '../../src/core/sim/tdoa/impairments';
import {
  simulateTdoaScene,
  type TdoaScene,
  type TdoaSceneOptions,
} from '../../src/core/sim/tdoa/scene';

/** Three KiwiSDRs 200 km out, noise-like signal 20 dB up, nothing impaired. */
export const CLEAN_KIWI_SCENE: Partial<TdoaSceneOptions> = {
  durationS: 12,
  kinds: ['noise'],
  snrDb: { lo: 20, hi: 20 },
  network: {
    stationCount: { min: 3, max: 3 },
    radiusKm: { lo: 200, hi: 200 },
    transmitterRadiusFactor: 0.5,
  },
  impairments: NO_IMPAIRMENTS,
  formatShares: { kiwi: 1, sigmf: 0 },
};

/** Four KiwiSDRs, each at 12001 Hz or (half of them, drawn) in the 20250 Hz wide mode. */
export const MIXED_RATES_SCENE: Partial<TdoaSceneOptions> = {
  durationS: 12,
  kinds: ['noise'],
  snrDb: { lo: 22, hi: 22 },
  network: {
    stationCount: { min: 4, max: 4 },
    radiusKm: { lo: 300, hi: 300 },
    transmitterRadiusFactor: 0.5,
  },
  impairments: { ...NO_IMPAIRMENTS, sampleRateOffsetPpm: 40 },
  formatShares: { kiwi: 1, sigmf: 0 },
  kiwiWideShare: 0.5,
};

/** The first scene of seed 777 with stations at both rates. */
export function mixedRatesScene(): TdoaScene {
  for (let index = 0; ; index++) {
    const scene = simulateTdoaScene(777, index, MIXED_RATES_SCENE);
    if (new Set(scene.stations.map((s) => s.nominalRateHz)).size === 2) return scene;
  }
}

/** Four KiwiSDRs hearing an unmodulated carrier 45 dB above the noise in its bin. */
export const CARRIER_SCENE: Partial<TdoaSceneOptions> = {
  kinds: ['carrier'],
  durationS: 12,
  snrDb: { lo: 45, hi: 45 },
  network: {
    stationCount: { min: 4, max: 4 },
    radiusKm: { lo: 300, hi: 300 },
    transmitterRadiusFactor: 0.8,
  },
  impairments: { ...NO_IMPAIRMENTS, sampleRateOffsetPpm: 40, frequencyOffsetHz: 0.5 },
  formatShares: { kiwi: 1, sigmf: 0 },
};

/**
 * Five KiwiSDRs hearing AM 1 dB under the noise in its band: the carrier stands out, its audio
 * does not (in 200 Hz averages), so its sidebands are read against the carrier (measureLags.ts).
 */
export const WEAK_AM_SCENE: Partial<TdoaSceneOptions> = {
  kinds: ['am'],
  durationS: 20,
  snrDb: { lo: -1, hi: -1 },
  network: {
    stationCount: { min: 5, max: 5 },
    radiusKm: { lo: 300, hi: 300 },
    transmitterRadiusFactor: 0.5,
  },
  impairments: { ...NO_IMPAIRMENTS, sampleRateOffsetPpm: 40, frequencyOffsetHz: 0.5 },
  formatShares: { kiwi: 1, sigmf: 0 },
};

/**
 * Fiji, Samoa and Tonga around a transmitter on the antimeridian: a weak noise-like signal, so
 * the posterior, its regions and its heat map stretch hundreds of kilometres across it.
 */
export const PACIFIC_SCENE: Partial<TdoaSceneOptions> = {
  durationS: 12,
  kinds: ['noise'],
  snrDb: { lo: 0, hi: 0 },
  stations: [
    { id: 'SUVA', lat: -18.14, lon: 178.44 },
    { id: 'APIA', lat: -13.83, lon: -171.76 },
    { id: 'TONGA', lat: -21.14, lon: -175.2 },
  ],
  transmitter: { lat: -17.2, lon: 179.99 },
  impairments: NO_IMPAIRMENTS,
  formatShares: { kiwi: 1, sigmf: 0 },
};
