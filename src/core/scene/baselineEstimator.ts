/**
 * The power baseline (src/core/baseline.ts) as a scene estimator. It needs no training, so it
 * serves any stations with positions: the grid's path losses are computed for the scene's own
 * stations (once per set of stations). The window and the spectra are the models' own
 * (readModelWindow, SceneFeaturizer), so it sees what they see.
 */
import { GridBaseline, measurePower, NOMINAL_BASELINE, type BaselineModel } from '../baseline';
import { HeimdallError } from '../errors';
import { ELLIPSE_PROBABILITIES, ellipseFromCovariance, type Cov2 } from '../ellipse';
import type { Constellation, Preprocessing } from '../modelMetadata';
import type { IqRecording } from '../readers/types';
import { SceneFeaturizer } from '../sceneFeatures';
import { readModelWindow } from '../sceneInput';
import type { Region } from '../sim/scene';
import type { SceneEstimate, SceneEstimator } from './estimator';
import { MIN_SCENE_RECEIVERS, sceneStations, type Scene, type Station } from './types';

export interface BaselineEstimate extends SceneEstimate {
  method: 'power-baseline';
  lat: number;
  lon: number;
  cov: Cov2;
}

/** The scene's stations as the grid wants them (a constellation in member order). */
function asConstellation(stations: readonly Station[]): Constellation {
  return {
    id: 'scene',
    name: 'scene',
    bandHz: [0, 0],
    receivers: stations.map((s) => ({ id: s.id, name: s.name ?? s.id, lat: s.lat, lon: s.lon })),
  };
}

export function powerBaselineEstimator(opts: {
  preprocessing: Preprocessing;
  /** The search grid's extent. */
  region: Region;
  model?: BaselineModel;
}): SceneEstimator<IqRecording, BaselineEstimate> {
  const model = opts.model ?? NOMINAL_BASELINE;
  const featurizer = new SceneFeaturizer(opts.preprocessing);
  const grids = new Map<string, GridBaseline>();
  const gridFor = (stations: Station[]) => {
    const key = JSON.stringify(stations.map((s) => [s.lat, s.lon]));
    let grid = grids.get(key);
    if (!grid) {
      grid = new GridBaseline(asConstellation(stations), opts.region, model);
      grids.set(key, grid);
    }
    return grid;
  };
  const whyNot = (scene: Scene<IqRecording>) =>
    scene.members.length >= MIN_SCENE_RECEIVERS
      ? null
      : `scene ${scene.id} has ${scene.members.length} receiver(s); received power locates from ${MIN_SCENE_RECEIVERS} or more`;
  return {
    method: 'power-baseline',
    whyNot,
    async locate(scene) {
      const reason = whyNot(scene);
      if (reason) throw new HeimdallError('SceneIncompleteError', reason);
      const windows = await Promise.all(
        scene.members.map((m) => readModelWindow(m.recording, opts.preprocessing)),
      );
      const powers = featurizer
        .averagedPowerSpectra(windows)
        .map((p) => measurePower(p, model.detectionSnrDb));
      const stations = sceneStations(scene);
      const est = gridFor(stations).locate(powers);
      return {
        sceneId: scene.id,
        method: 'power-baseline',
        lat: est.lat,
        lon: est.lon,
        cov: est.cov,
        ellipses: ELLIPSE_PROBABILITIES.map((p) => ellipseFromCovariance(est.cov, p)),
        receiverIds: stations.map((s) => s.id),
      };
    },
  };
}
