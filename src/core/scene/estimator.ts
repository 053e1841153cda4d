/**
 * One interface for every way of locating a transmitter from a scene: the learned models, the
 * power baseline and TDoA. Each takes a scene (stations with positions, one recording each) and
 * gives an estimate in one shape, saying which method made it and which receivers it used, so
 * the CLI, the worker and the UI can put any two side by side.
 */
import type { Cov2, EllipseSummary } from '../ellipse';
import type { Scene } from './types';

export type EstimateMethod = 'model' | 'power-baseline' | 'tdoa';

export interface SceneEstimate {
  sceneId: string;
  method: EstimateMethod;
  /** Absent when the evidence gives no point (TDoA from two stations: a hyperbola). */
  lat?: number;
  lon?: number;
  /** Covariance in metres^2, east/north at the estimate, when the method gives one. */
  cov?: Cov2;
  /** 68 % and 95 % regions as ellipses (empty when there is no point). */
  ellipses: EllipseSummary[];
  /** Station ids of the receivers whose recordings the estimate used. */
  receiverIds: string[];
}

export interface SceneEstimator<T, E extends SceneEstimate = SceneEstimate> {
  readonly method: EstimateMethod;
  /**
   * Null when this estimator can locate the scene; otherwise why not, for the operator (a fixed
   * network model given other stations, fewer than two receivers).
   */
  whyNot(scene: Scene<T>): string | null;
  /** Rejects with a HeimdallError naming the scene (and the file, where one is to blame). */
  locate(scene: Scene<T>): Promise<E>;
}
