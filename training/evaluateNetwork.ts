/**
 * Held-out random networks for any-network models (issue 13), used by training/evaluate.ts: per set
 * the median and p90 error, 68 % / 95 % coverage, and, on nominal physics, the oracle of each
 * scene (networkOracle.ts) with the ratio of the model's error to it.
 */
import { geodesicInverse, localOffset } from '../src/core/geodesy';
import { mahalanobis2 } from '../src/core/ellipse';
import { networkGeometry, type NetworkGeometry } from '../src/core/networkFeatures';
import type { SceneFeaturizer } from '../src/core/sceneFeatures';
import { NETWORK_RANGES, simulateNetworkScene } from '../src/core/sim/network';
import { PHYSICS_PRESETS, type PhysicsRanges } from '../src/core/sim/physics';
import type { Estimate } from '../src/core/decode';
import type { LatLon } from '../src/core/geodesy';
import type { NetworkSceneInput, NodeNetworkModel } from '../src/node/nodeNetworkModel';
import { oracleSceneOf, oraclePosteriorMean } from './networkOracle';
import { median } from '../src/core/stats';
import { summarise, type Summary } from './summary';

export interface NetworkSet {
  name: string;
  seed: number;
  physics: PhysicsRanges;
  scenes: number;
  nReceivers?: number;
  /** Compute the oracle (nominal physics only: the priors it knows are the set's). */
  oracle: boolean;
}

/** The receiver counts the error is printed for (issue 13). */
export const RECEIVER_COUNTS = [2, 3, 4, 6, 8, 12] as const;

/** Seeds of the held-out network sets; training uses 11 (train) and 12 (validation). */
export function networkSets(scenes: number, perSize: number): NetworkSet[] {
  return [
    {
      name: 'networks nominal',
      seed: 3001,
      physics: PHYSICS_PRESETS.nominal,
      scenes,
      oracle: true,
    },
    {
      name: 'networks shifted',
      seed: 3002,
      physics: PHYSICS_PRESETS.shifted,
      scenes,
      oracle: false,
    },
    ...RECEIVER_COUNTS.map((n) => ({
      name: `networks of ${n}`,
      seed: 3100 + n,
      physics: PHYSICS_PRESETS.nominal,
      scenes: perSize,
      nReceivers: n,
      oracle: true,
    })),
  ];
}

export interface NetworkRow extends Summary {
  /** Median of the oracle's errors, km (null without an oracle). */
  oracleMedianKm: number | null;
  /** Median model error over median oracle error (the goal: at most 1.15). */
  ratioToOracle: number | null;
  /** Median over scenes of model error / oracle error. */
  medianSceneRatio: number | null;
}

const BATCH = 128;

/** Errors (km) and Mahalanobis d^2 of a model's estimates against the truths. */
export function scoreEstimates(estimates: readonly Estimate[], truths: readonly LatLon[]) {
  const errorsKm = estimates.map((e, i) => geodesicInverse(e, truths[i]).distanceM / 1000);
  const d2 = estimates.map((e, i) => {
    const off = localOffset(e, truths[i]);
    return mahalanobis2(e.cov, off.eastM, off.northM);
  });
  return { errorsKm, d2 };
}

/** Runs a network model over scenes in batches. */
export async function predictAll(model: NodeNetworkModel, scenes: NetworkSceneInput[]) {
  const out: Estimate[] = [];
  for (let s = 0; s < scenes.length; s += BATCH) {
    out.push(...(await model.predict(scenes.slice(s, s + BATCH))).estimates);
  }
  return out;
}

export async function evaluateNetworkSet(
  method: string,
  model: NodeNetworkModel,
  set: NetworkSet,
  featurizer: SceneFeaturizer,
  samples: number,
): Promise<NetworkRow> {
  const inputs: NetworkSceneInput[] = [];
  const truths: LatLon[] = [];
  const oracleKm: number[] = [];
  for (let i = 0; i < set.scenes; i++) {
    const scene = simulateNetworkScene(set.seed, i, {
      physics: set.physics,
      sampleRateHz: featurizer.preprocessing.sampleRateHz,
      samples,
      nReceivers: set.nReceivers,
    });
    const geometry: NetworkGeometry = networkGeometry(scene.network.receivers);
    inputs.push({ logmel: featurizer.modelInput(scene.receivers.map((r) => r.iq)), geometry });
    truths.push(scene.truth);
    if (set.oracle) {
      const mean = oraclePosteriorMean(
        oracleSceneOf(scene, geometry.positionKm),
        set.physics,
        NETWORK_RANGES,
      );
      const truth = localOffset(geometry.centroid, scene.truth);
      oracleKm.push(Math.hypot(mean.eastM - truth.eastM, mean.northM - truth.northM) / 1000);
    }
  }
  const { errorsKm, d2 } = scoreEstimates(await predictAll(model, inputs), truths);
  const row = summarise(method, set.name, errorsKm, d2);
  if (!set.oracle)
    return { ...row, oracleMedianKm: null, ratioToOracle: null, medianSceneRatio: null };
  const oracleMedianKm = median(oracleKm);
  return {
    ...row,
    oracleMedianKm,
    ratioToOracle: row.medianErrorKm / oracleMedianKm,
    medianSceneRatio: median(errorsKm.map((e, i) => e / Math.max(oracleKm[i], 1e-3))),
  };
}
