/**
 * The scene model (issue 9): stations with positions, recordings with timing, scenes of N
 * recordings. Nothing here assumes a fixed network: a model's three receivers are one station
 * list among others, and a TDoA run takes whichever stations heard the transmitter.
 *
 * Stations are the TDoA contract's (src/core/tdoa/types.ts): one type for a receiver site
 * everywhere, from the station-list JSON to the model's constellation.
 */
import type { HeimdallError } from '../errors';
import type { Station } from '../tdoa/types';

export type { Station, StationList } from '../tdoa/types';

/**
 * Where a recording's station came from: its own SigMF position, the operator's station list,
 * a model's receiver (matched by id, name, position or file name), or the operator's choice.
 */
export type PlacementSource = 'sigmf-geolocation' | 'station-list' | 'model-receiver' | 'operator';

/** A recording placed at a station. */
export interface Placement {
  station: Station;
  source: PlacementSource;
}

/** One recording of a scene: the recording itself, its station, and when it was captured. */
export interface SceneMember<T> {
  recording: T;
  station: Station;
  source: PlacementSource;
  /** Capture time of its first sample, ms since the epoch (UTC). */
  captureTimeMs: number;
}

/** Recordings of one transmission from several stations, one recording per station. */
export interface Scene<T> {
  /** Capture time of the earliest recording, ISO 8601: the scene's id. */
  id: string;
  captureTimeMs: number;
  /** In capture-time order of arrival; at most one per station id. */
  members: SceneMember<T>[];
  /**
   * Recordings that belong with the scene by time but whose station has no known position, with
   * the reason (the operator can add the station or place it by hand). An estimator that reports
   * per station (TDoA) lists them as not used; the others ignore them.
   */
  unplaced?: UnplacedRecording<T>[];
}

export interface UnplacedRecording<T> {
  recording: T;
  reason: string;
  captureTimeMs: number;
}

/** Scenes, and the recordings that fit none, each with an error naming its file. */
export interface SceneGrouping<T> {
  scenes: Scene<T>[];
  errors: { file: string; error: HeimdallError }[];
}

/** Every position estimate needs two receivers at least (a power ratio, or one time lag). */
export const MIN_SCENE_RECEIVERS = 2;

/** The station ids of a scene, in member order. */
export function sceneStationIds(scene: Scene<unknown>): string[] {
  return scene.members.map((m) => m.station.id);
}

/** The stations of a scene, in member order (with their positions). */
export function sceneStations(scene: Scene<unknown>): Station[] {
  return scene.members.map((m) => m.station);
}
