/**
 * TDoA (src/core/tdoa/locateTdoa.ts) as a scene estimator: a scene of simultaneous GPS-timed
 * recordings from any stations, no model. The operator's station list is the estimator's own
 * setting: the solver places each recording itself, so one that the list does not place is
 * reported in the result (used: false, with the reason) rather than dropped from the scene.
 */
import type { IqRecording } from '../readers/types';
import { locateTdoa } from '../tdoa/locateTdoa';
import type { Station, TdoaOptions, TdoaResult } from '../tdoa/types';
import type { SceneEstimate, SceneEstimator } from './estimator';
import { MIN_SCENE_RECEIVERS, type Scene } from './types';

export interface TdoaEstimate extends SceneEstimate {
  method: 'tdoa';
  /** Everything TDoA measured: lags, closures, per-station timing, the posterior grid. */
  tdoa: TdoaResult;
}

/** The estimate's common part from a TDoA result; receiverIds are the stations used. */
export function tdoaEstimate(result: TdoaResult): TdoaEstimate {
  const estimate: TdoaEstimate = {
    sceneId: result.scene,
    method: 'tdoa',
    ellipses: result.ellipses,
    receiverIds: result.stations.filter((s) => s.used).map((s) => s.id),
    tdoa: result,
  };
  if (result.lat !== undefined && result.lon !== undefined) {
    estimate.lat = result.lat;
    estimate.lon = result.lon;
  }
  return estimate;
}

/**
 * Every recording of the scene: the placed ones in scene order, then those without a station
 * (the solver lists them as not used, with the reason).
 */
export function sceneRecordings<T>(scene: Scene<T>): T[] {
  return [...scene.members, ...(scene.unplaced ?? [])].map((m) => m.recording);
}

export function tdoaEstimator(
  stations: readonly Station[],
  options: TdoaOptions = {},
): SceneEstimator<IqRecording, TdoaEstimate> {
  return {
    method: 'tdoa',
    whyNot: (scene) =>
      scene.members.length >= MIN_SCENE_RECEIVERS
        ? null
        : `${scene.members.length} placed recording(s); TDoA needs at least ${MIN_SCENE_RECEIVERS} stations`,
    locate: async (scene) =>
      tdoaEstimate(await locateTdoa(scene.id, sceneRecordings(scene), [...stations], options)),
  };
}
