/**
 * The classical baseline the models are judged against: maximum likelihood over a grid on the
 * per-receiver received power, with the transmit power unknown (estimated in closed form at each
 * grid point) and receivers that hear nothing treated as censored (power below their detection
 * threshold). It knows the simulator's nominal physics, which a real deployment would not.
 */
import type { Constellation } from './modelMetadata';
import { geodesicInverse } from './geodesy';
import { pathLossDb, REFERENCE_DBM } from './sim/physics';
import type { Region } from './sim/scene';
import { nearestRank } from './stats';

export interface BaselineModel {
  pathLossExponent: number;
  shadowingSigmaDb: number;
  frequencyHz: number;
  gridStepDeg: number;
  /** A receiver whose estimated SNR is below this is treated as not hearing the signal. */
  detectionSnrDb: number;
}

export const NOMINAL_BASELINE: BaselineModel = {
  pathLossExponent: 3.15,
  shadowingSigmaDb: 6.5,
  frequencyHz: 145e6,
  gridStepDeg: 0.02,
  detectionSnrDb: -3,
};

/** The noise per bin is this percentile of the bins (nearest rank: a bin's own value). */
const NOISE_PERCENTILE = 0.1;

export interface PowerMeasurement {
  /** Estimated signal power at the antenna, dBm (nominal receiver gain), or null if not heard. */
  signalDbm: number | null;
  /** Estimated noise power over the band, dBm. */
  noiseDbm: number;
}

/**
 * Signal and noise power of one receiver from its averaged power spectrum (mean-power units per
 * bin, dBFS scale): the noise per bin is the 10th percentile of the bins (signals here occupy
 * well under 90% of the band), the signal is what the band holds above it.
 */
export function measurePower(
  meanPowerPerBin: Float64Array,
  detectionSnrDb: number,
): PowerMeasurement {
  const noisePerBin = nearestRank(meanPowerPerBin, NOISE_PERCENTILE);
  let total = 0;
  for (const v of meanPowerPerBin) total += v;
  const noise = noisePerBin * meanPowerPerBin.length;
  const signal = total - noise;
  const noiseDbm = 10 * Math.log10(noise) + REFERENCE_DBM;
  if (signal <= 0 || 10 * Math.log10(signal / noise) < detectionSnrDb)
    return { signalDbm: null, noiseDbm };
  return { signalDbm: 10 * Math.log10(signal) + REFERENCE_DBM, noiseDbm };
}

/** log Phi(z), accurate in the far left tail. */
function logNormalCdf(z: number): number {
  if (z > -5) return Math.log(0.5 * erfc(-z / Math.SQRT2));
  return -0.5 * z * z - Math.log(-z) - 0.5 * Math.log(2 * Math.PI);
}

function erfc(x: number): number {
  // Numerical Recipes erfcc (Chebyshev), relative error < 1.2e-7.
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 +
                            t *
                              (-1.13520398 +
                                t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

export interface BaselineEstimate {
  lat: number;
  lon: number;
  /** Posterior covariance (flat prior over the grid) in the local east/north frame, m^2. */
  cov: { ee: number; en: number; nn: number };
}

export class GridBaseline {
  private readonly lats: Float64Array;
  private readonly lons: Float64Array;
  /** Path loss from each grid point to each receiver, dB, [receiver][point]. */
  private readonly lossDb: Float64Array[];
  private readonly eastM: Float64Array;
  private readonly northM: Float64Array;

  constructor(
    constellation: Constellation,
    region: Region,
    readonly model: BaselineModel = NOMINAL_BASELINE,
  ) {
    const lats: number[] = [];
    const lons: number[] = [];
    for (let lat = region.latMin; lat <= region.latMax + 1e-9; lat += model.gridStepDeg) {
      for (let lon = region.lonMin; lon <= region.lonMax + 1e-9; lon += model.gridStepDeg) {
        lats.push(lat);
        lons.push(lon);
      }
    }
    this.lats = Float64Array.from(lats);
    this.lons = Float64Array.from(lons);
    this.lossDb = constellation.receivers.map((rx) =>
      this.lats.map((lat, i) =>
        pathLossDb(
          geodesicInverse({ lat, lon: this.lons[i] }, rx).distanceM,
          model.frequencyHz,
          model.pathLossExponent,
        ),
      ),
    );
    // East/north of each grid point about the region centre, for the posterior covariance.
    const centre = {
      lat: (region.latMin + region.latMax) / 2,
      lon: (region.lonMin + region.lonMax) / 2,
    };
    this.eastM = new Float64Array(lats.length);
    this.northM = new Float64Array(lats.length);
    this.lats.forEach((lat, i) => {
      const g = geodesicInverse(centre, { lat, lon: this.lons[i] });
      const az = (g.azimuthDeg * Math.PI) / 180;
      this.eastM[i] = g.distanceM * Math.sin(az);
      this.northM[i] = g.distanceM * Math.cos(az);
    });
  }

  locate(measurements: readonly PowerMeasurement[]): BaselineEstimate {
    const sigma = this.model.shadowingSigmaDb;
    const n = this.lats.length;
    const logLik = new Float64Array(n);
    let best = 0;
    for (let i = 0; i < n; i++) {
      // ML transmit power at this point: the mean of (received + loss) over receivers that hear it.
      let sum = 0;
      let heard = 0;
      measurements.forEach((m, r) => {
        if (m.signalDbm !== null) {
          sum += m.signalDbm + this.lossDb[r][i];
          heard++;
        }
      });
      const txDbm = heard > 0 ? sum / heard : -Infinity;
      let ll = 0;
      measurements.forEach((m, r) => {
        const predicted = txDbm - this.lossDb[r][i];
        if (m.signalDbm !== null) ll -= (m.signalDbm - predicted) ** 2 / (2 * sigma * sigma);
        else if (heard > 0) {
          const threshold = m.noiseDbm + this.model.detectionSnrDb;
          ll += logNormalCdf((threshold - predicted) / sigma);
        }
      });
      logLik[i] = ll;
      if (ll > logLik[best]) best = i;
    }
    // Posterior moments with a flat prior over the grid (used for the baseline's ellipses).
    let w = 0,
      me = 0,
      mn = 0;
    const max = logLik[best];
    const weights = logLik.map((ll) => Math.exp(ll - max));
    for (let i = 0; i < n; i++) {
      w += weights[i];
      me += weights[i] * this.eastM[i];
      mn += weights[i] * this.northM[i];
    }
    me /= w;
    mn /= w;
    let ee = 0,
      en = 0,
      nn = 0;
    for (let i = 0; i < n; i++) {
      const de = this.eastM[i] - me;
      const dn = this.northM[i] - mn;
      ee += (weights[i] * de * de) / w;
      en += (weights[i] * de * dn) / w;
      nn += (weights[i] * dn * dn) / w;
    }
    return { lat: this.lats[best], lon: this.lons[best], cov: { ee, en, nn } };
  }
}
