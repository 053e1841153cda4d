/**
 * TDoA in the worker (issue 12): locates one scene of opened GPS-stamped recordings with the
 * shared estimator (src/core/scene/tdoaEstimator.ts over src/core/tdoa/locateTdoa.ts), off the
 * page's main thread. The recordings were opened by openFiles (the readers only read headers);
 * the solver reads their samples here.
 *
 * Plain JS/WASM-free TypeScript on the CPU: the heavy parts (FFT cross-correlation, a grid of
 * about 200k cells) take tens of milliseconds, and WebGPU here is a software adapter.
 */
import { transfer } from 'comlink';
import { liveTdoaRecording, type LiveTdoaRecording } from '../src/core/live/liveTdoaBuffer';
import type { IqRecording } from '../src/core/readers/types';
import type { SceneEstimate } from '../src/core/scene/estimator';
import { sceneOf } from '../src/core/scene/groupByTime';
import { placeByStationList } from '../src/core/scene/placement';
import { tdoaEstimator, type TdoaEstimate } from '../src/core/scene/tdoaEstimator';
import type { StageTimes } from '../src/core/tdoa/stageTimes';
import type { Station, TdoaOptions, TdoaResult } from '../src/core/tdoa/types';
import type { Engine } from './engine';
import { asHeimdallError } from './errorInfo';

export interface LocateTdoaRequest {
  /** The scene's name in the result (the page's TDoA scene id). */
  scene: string;
  /** Ids from openFiles. */
  recordingIds: string[];
  /** The operator's station list (recordings with their own SigMF position need none). */
  stations: Station[];
  options?: TdoaOptions;
}

export interface LocateTdoaReply {
  result: TdoaResult;
  /** The part every estimator gives (method, position, ellipses, receivers used). */
  estimate: SceneEstimate;
  /** Time in the solver, ms (performance.now in the worker). */
  solveMs: number;
  /** The solver's stages, ms (stageTimes.ts): the benchmark's breakdown. */
  stageMs: StageTimes;
}

export async function locateTdoaScene(
  engine: Engine,
  request: LocateTdoaRequest,
): Promise<LocateTdoaReply> {
  const recordings = engine.recordings.entries(request.recordingIds).map(([, rec]) => rec);
  return locate(request.scene, recordings, request.stations, request.options);
}

export interface LocateLiveTdoaRequest {
  scene: string;
  /** The live windows (src/core/live/liveTdoaBuffer.ts); their samples are transferred. */
  recordings: LiveTdoaRecording[];
  options?: TdoaOptions;
}

/**
 * Live TDoA: the same estimator on the last seconds of the GPS-stamped live streams. Each
 * recording carries its receiver's position (geolocation): no station list is needed.
 */
export function locateLiveTdoa(request: LocateLiveTdoaRequest): Promise<LocateTdoaReply> {
  return locate(request.scene, request.recordings.map(liveTdoaRecording), [], request.options);
}

async function locate(
  sceneId: string,
  recordings: IqRecording[],
  stations: Station[],
  options: TdoaOptions | undefined,
): Promise<LocateTdoaReply> {
  const scene = sceneOf(sceneId, recordings, (r) => placeByStationList(r.info, stations));
  const t0 = performance.now();
  const stageMs: StageTimes = {};
  let estimate: TdoaEstimate;
  try {
    estimate = await tdoaEstimator(stations, { ...options, stageMs }).locate(scene);
  } catch (err) {
    throw asHeimdallError(err);
  }
  const { tdoa: result, ...common } = estimate;
  const reply = { result, estimate: common, solveMs: performance.now() - t0, stageMs };
  // The posterior grid is the one big array: hand it over instead of copying it.
  const grid = result.grid?.prob;
  return grid ? transfer(reply, [grid.buffer as ArrayBuffer]) : reply;
}
