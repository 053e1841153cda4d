/**
 * The Cramer-Rao bound of one simulated scene: its signal's spectrum, each usable station's SNR
 * and clock, the time all usable stations overlap, and the geometry. Stations a correct solver
 * must exclude (no GPS fix, a gap) are left out of the bound too. Multipath is not in the bound:
 * it is a bias the solver cannot remove, and the evaluation reports those scenes apart.
 */
import type { Cov2 } from '../../ellipse';
import { geodesicInverse } from '../../geodesy';
import {
  echoedStationShareS2,
  medianRadialErrorM,
  pairDelayCrbS2,
  stationDelayShareS2,
  tdoaPositionCrb,
} from '../../tdoa/crb';
import { streamIndex } from './kiwiClock';
import type { SimulatedStation, TdoaScene } from './scene';

export interface SceneCrb {
  /** Stations in the bound (the usable ones), in scene order. */
  stationIds: string[];
  durationS: number;
  /** Bound on each pair's lag standard deviation (a before b in stationIds order), microseconds. */
  pairSigmaUs: Map<string, number>;
  /** Position covariance at the transmitter, m^2 (undefined with fewer than 3 stations). */
  cov?: Cov2;
  /** Median radial error of that covariance, m: what an efficient solver's median error would be. */
  medianErrorM?: number;
  /**
   * The same bound with every echo's amplitude, phase and delay unknown as well (three nuisances
   * per echo, crb.ts echoedStationShareS2): what any unbiased solver that must find the echoes
   * itself can reach. Only for scenes where a usable station has an echo. Where an echo cannot be
   * told from its station's delay at all (a single tone), that station tells nothing; where fewer
   * than three others are left, no such solver is bounded: cov is then absent and medianErrorM
   * infinite.
   */
  withEchoes?: { cov?: Cov2; medianErrorM: number };
  /**
   * The same again with the levels taken to say nothing (crb.ts echoedStationShareS2 phaseOnly):
   * the bound of a solver that does not trust its receivers' passbands to match, as this one
   * does not (directPath.ts, measureLags.ts subbandLevels).
   */
  withEchoesPhasesOnly?: { cov?: Cov2; medianErrorM: number };
}

export const pairKey = (a: string, b: string) => (a < b ? `${a}|${b}` : `${b}|${a}`);

function endS(s: SimulatedStation): number {
  return s.startS + streamIndex(s.samples, s.gap) / s.trueRateHz;
}

/**
 * Where in `stations` the best-timed one (the smallest share) sits: the bound's reference, exact at
 * high SNR for any choice.
 */
function bestTimed(stations: readonly number[], share: (k: number) => number): number {
  return stations.reduce((best, k, i) => (share(k) < share(stations[best]) ? i : best), 0);
}

export function sceneCrb(scene: TdoaScene): SceneCrb {
  const usable = scene.stations.filter((s) => !s.expectedExclusion);
  const durationS = Math.max(
    0,
    Math.min(...usable.map(endS)) - Math.max(...usable.map((s) => s.startS)),
  );
  const { freqHz, densityPerHz, binHz } = scene.psd;
  const snr = usable.map((s) => Float64Array.from(densityPerHz, (d) => d * s.perBinSnrScale));
  const shares = snr.map((x) => stationDelayShareS2(freqHz, x, durationS, binHz));
  const pairVariance = (a: number, b: number) =>
    pairDelayCrbS2(freqHz, snr[a], snr[b], durationS, binHz);
  const pairSigmaUs = new Map<string, number>();
  for (let a = 0; a < usable.length; a++) {
    for (let b = a + 1; b < usable.length; b++) {
      const variance = pairVariance(a, b) + usable[a].timingVarianceS2 + usable[b].timingVarianceS2;
      pairSigmaUs.set(
        pairKey(usable[a].station.id, usable[b].station.id),
        Math.sqrt(variance) * 1e6,
      );
    }
  }
  const out: SceneCrb = { stationIds: usable.map((s) => s.station.id), durationS, pairSigmaUs };
  if (usable.length < 3 || !(durationS > 0)) return out;
  const reference = bestTimed(
    usable.map((_, k) => k),
    (k) => shares[k],
  );
  const cov = tdoaPositionCrb(
    usable.map((s, k) => ({
      azimuthDeg: geodesicInverse(scene.transmitter, s.station).azimuthDeg,
      shareS2: shares[k],
      clockVarianceS2: s.timingVarianceS2,
    })),
    pairVariance,
    reference,
  );
  if (cov) {
    out.cov = cov;
    out.medianErrorM = medianRadialErrorM(cov);
  }
  if (!usable.some((s) => s.echoes.length > 0)) return out;
  // Each echoed station's share grows by what its echoes take from the delay; the pair bound's
  // low-SNR part stays as it was.
  const echoBound = (phaseOnly: boolean): { cov?: Cov2; medianErrorM: number } => {
    const extra = usable.map((s, k) =>
      s.echoes.length > 0
        ? Math.max(
            0,
            echoedStationShareS2(freqHz, snr[k], durationS, binHz, s.echoes, phaseOnly) - shares[k],
          )
        : 0,
    );
    // A station whose echo cannot be told from its delay at all (infinite share) tells nothing of
    // the position: the bound is that of the others, and none where fewer than three remain.
    const told = usable.map((_, k) => k).filter((k) => Number.isFinite(extra[k]));
    const echoCov =
      told.length < 3
        ? undefined
        : tdoaPositionCrb(
            told.map((k) => ({
              azimuthDeg: geodesicInverse(scene.transmitter, usable[k].station).azimuthDeg,
              shareS2: shares[k] + extra[k],
              clockVarianceS2: usable[k].timingVarianceS2,
            })),
            (a, b) => pairVariance(told[a], told[b]) + extra[told[a]] + extra[told[b]],
            bestTimed(told, (k) => shares[k] + extra[k]),
          );
    return echoCov
      ? { cov: echoCov, medianErrorM: medianRadialErrorM(echoCov) }
      : { medianErrorM: Infinity };
  };
  out.withEchoes = echoBound(false);
  out.withEchoesPhasesOnly = echoBound(true);
  return out;
}
