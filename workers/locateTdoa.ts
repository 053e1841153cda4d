/**
 * TDoA in the worker (issue 12): locates one scene of opened GPS-stamped recordings with the
 * shared solver (src/core/tdoa/locateTdoa.ts), off the page's main thread. The recordings were
 * opened by openFiles (the readers only read headers); the solver reads their samples here.
 *
 * Plain JS/WASM-free TypeScript on the CPU: the heavy parts (FFT cross-correlation, a grid of
 * about 200k cells) take tens of milliseconds, and WebGPU here is a software adapter.
 */
import { transfer } from 'comlink';
import { liveTdoaRecording, type LiveTdoaRecording } from '../src/core/live/liveTdoaBuffer';
import { locateTdoa } from '../src/core/tdoa/locateTdoa';
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
  /** Time in the solver, ms (performance.now in the worker). */
  solveMs: number;
}

export async function locateTdoaScene(
  engine: Engine,
  request: LocateTdoaRequest,
): Promise<LocateTdoaReply> {
  const recordings = engine.recordings.entries(request.recordingIds).map(([, rec]) => rec);
  const t0 = performance.now();
  let result: TdoaResult;
  try {
    result = await locateTdoa(request.scene, recordings, request.stations, request.options);
  } catch (err) {
    throw asHeimdallError(err);
  }
  return transferGrid({ result, solveMs: performance.now() - t0 });
}

/** The posterior grid is the one big array: hand it over instead of copying it. */
function transferGrid(reply: LocateTdoaReply): LocateTdoaReply {
  const grid = reply.result.grid?.prob;
  return grid ? transfer(reply, [grid.buffer as ArrayBuffer]) : reply;
}

export interface LocateLiveTdoaRequest {
  scene: string;
  /** The live windows (src/core/live/liveTdoaBuffer.ts); their samples are transferred. */
  recordings: LiveTdoaRecording[];
  options?: TdoaOptions;
}

/** Live TDoA: the same solver on the last seconds of the GPS-stamped live streams. */
export async function locateLiveTdoa(request: LocateLiveTdoaRequest): Promise<LocateTdoaReply> {
  const t0 = performance.now();
  let result: TdoaResult;
  try {
    // Each recording carries its receiver's position (geolocation): no station list needed.
    result = await locateTdoa(
      request.scene,
      request.recordings.map(liveTdoaRecording),
      [],
      request.options,
    );
  } catch (err) {
    throw asHeimdallError(err);
  }
  return transferGrid({ result, solveMs: performance.now() - t0 });
}
