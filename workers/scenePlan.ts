/**
 * Which model locates a request's scene (issue 13), by the rule of src/core/scene/servingModel.ts
 * that `heimdall locate` follows too, and the request laid out for it: in the fixed network's
 * receiver order for the fixed-network model, or with its stations for the any-network model.
 */
import { HeimdallError } from '../src/core/errors';
import {
  chooseServing,
  servingSpec,
  whyNotServes,
  type ServingSpec,
} from '../src/core/scene/servingModel';
import type { Scene, Station } from '../src/core/scene/types';
import type { Engine } from './engine';
import type { PredictRequest } from './types';

export interface ScenePlan {
  /** The request in the chosen model's receiver order. */
  request: PredictRequest;
  /** Set when the any-network model locates the scene: its stations, in request order. */
  stations?: Station[];
}

const given = (r: PredictRequest): readonly unknown[] => ('iq' in r ? r.iq : r.recordingIds);

/** The stations of a request, checked: one per recording, each with a position, none twice. */
function checkedStations(request: PredictRequest, stations: readonly Station[]): Station[] {
  const scene = request.sceneId;
  const n = given(request).length;
  if (stations.length !== n) {
    throw new HeimdallError(
      'ConfigError',
      `scene ${scene}: ${stations.length} station(s) for ${n} recording(s); give one per recording`,
    );
  }
  const seen = new Set<string>();
  for (const s of stations) {
    if (!Number.isFinite(s.lat) || !Number.isFinite(s.lon)) {
      throw new HeimdallError(
        'ReceiverUnknownError',
        `scene ${scene}: station ${s.id} has no position (add it to the station list)`,
      );
    }
    if (seen.has(s.id)) {
      throw new HeimdallError(
        'SceneIncompleteError',
        `scene ${scene} has two recordings of station ${s.id}; a scene takes one per station`,
      );
    }
    seen.add(s.id);
  }
  return [...stations];
}

/** Ids and positions of a scene's stations, in order: the any-network part of the cache key. */
export function stationsKey(stations: readonly Station[]): string {
  return stations.map((s) => `${s.id}@${s.lat},${s.lon}`).join(';');
}

/** The request as a scene of its stations, for the serving rule. */
function sceneOf(request: PredictRequest, stations: readonly Station[]): Scene<number> {
  return {
    id: request.sceneId,
    captureTimeMs: 'captureTimeMs' in request ? (request.captureTimeMs ?? 0) : 0,
    members: stations.map((station, i) => ({
      recording: i,
      station,
      source: 'operator',
      captureTimeMs: 0,
    })),
  };
}

/**
 * Whether the fixed-network model in service locates the request's scene, so that it need not
 * wait for an any-network model still being prepared: planScene tries the fixed model first.
 */
export function fixedModelServes(engine: Engine, request: PredictRequest): boolean {
  const active = engine.pool.get('active');
  if (!active) return false;
  if (!request.stations) return true;
  return whyNotServes(servingSpec(active.metadata), sceneOf(request, request.stations)) === null;
}

export function planScene(engine: Engine, request: PredictRequest): ScenePlan {
  const active = engine.pool.get('active');
  const network = engine.pool.get('network');
  // Without stations, the receivers are the fixed network's in model order (as before issue
  // 13); with only the any-network model serving, those receivers are the stations. With no
  // model at all, routing says that none is ready.
  if ((!request.stations && active) || (!active && !network)) return { request };
  const stations = checkedStations(request, request.stations ?? engine.constellation().receivers);
  const scene = sceneOf(request, stations);
  const candidates: { spec: ServingSpec; slot: 'fixed' | 'network' }[] = [];
  if (active) candidates.push({ spec: servingSpec(active.metadata), slot: 'fixed' });
  if (network) candidates.push({ spec: servingSpec(network.metadata), slot: 'network' });
  const chosen = chooseServing(scene, candidates);
  if (chosen.slot === 'network') return { request, stations };
  // The fixed-network model: its receivers in model order, as its input channels need.
  const order = active!.metadata.constellation.receivers.map((r) =>
    stations.findIndex((s) => s.id === r.id),
  );
  const { stations: _dropped, ...rest } = request;
  void _dropped;
  return {
    request:
      'iq' in rest
        ? { ...rest, iq: order.map((i) => rest.iq[i]) }
        : { ...rest, recordingIds: order.map((i) => rest.recordingIds[i]) },
  };
}
