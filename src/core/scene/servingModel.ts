/**
 * Which model locates a scene (issue 13), one rule for `heimdall locate`, the browser's worker
 * and the live relay: the fixed-network model when the scene is exactly its network (each of its
 * receivers, each where the model has it: isNetworkReceiver), otherwise the any-network model
 * when the scene's receiver count is one it serves. An operator who pins a version offers that
 * one candidate alone, and gets it or the reason it cannot serve the scene.
 *
 * The fixed-network model never serves part of its network: its input is one channel per
 * receiver ([batch, 3, nMels, nFrames] in 1.x's metadata.json), with no mask, normalised across
 * all of them together, so a scene that lacks a receiver has no input to give it.
 */
import { HeimdallError } from '../errors';
import { geodesicInverse } from '../geodesy';
import type { Constellation, Receiver } from '../modelMetadata';
import type { AnyNetworkServes } from '../networkModelMetadata';
import { inNetworkOrder } from './network';
import { RECEIVER_MATCH_RADIUS_M } from './placement';
import { sceneStationIds, type Scene, type Station } from './types';

/**
 * A station is a fixed network's receiver when it has that receiver's id and stands within this
 * distance of where the model has it. The fixed model learnt its receivers' positions, so a
 * station of the same id elsewhere is another station, for the any-network model, which takes
 * its real position. It is the radius placement matches a recording's own position by
 * (placement.ts), so a recording placed at a receiver is that receiver here too; a receiver
 * written to 0.01 degree is well inside it, and 10 km is a fifth of 1.1.0's 52 km median error
 * (README, `npm run eval`).
 */
export const SAME_RECEIVER_RADIUS_M = RECEIVER_MATCH_RADIUS_M;

/** How far the station stands from the network's receiver of its id; null when none has its id. */
function offsetFromReceiverM(station: Station, constellation: Constellation): number | null {
  const r: Receiver | undefined = constellation.receivers.find((c) => c.id === station.id);
  if (!r) return null;
  if (!Number.isFinite(station.lat) || !Number.isFinite(station.lon)) return Infinity;
  return geodesicInverse(r, station).distanceM;
}

/** Whether the station is one of the network's receivers: its id, within SAME_RECEIVER_RADIUS_M. */
export function isNetworkReceiver(station: Station, constellation: Constellation): boolean {
  const offsetM = offsetFromReceiverM(station, constellation);
  return offsetM !== null && offsetM <= SAME_RECEIVER_RADIUS_M;
}

/** The scene's stations that bear a receiver's id but stand elsewhere, as the operator reads them. */
function displacedStations(scene: Scene<unknown>, constellation: Constellation): string[] {
  return scene.members.flatMap(({ station }) => {
    const offsetM = offsetFromReceiverM(station, constellation);
    if (offsetM === null || offsetM <= SAME_RECEIVER_RADIUS_M) return [];
    const where = Number.isFinite(offsetM)
      ? `stands ${(offsetM / 1000).toFixed(1)} km from`
      : 'has no position, unlike';
    return [`station ${station.id} ${where} the fixed network's ${station.id}`];
  });
}

/** What a model serves, as the rule needs it (from metadata.json or a manifest line). */
export type ServingSpec =
  | { kind: 'fixed'; version: string; constellation: Constellation }
  | { kind: 'any-network'; version: string; serves: AnyNetworkServes };

/** The spec of a fixed-network or an any-network model's metadata (or manifest line). */
export function servingSpec(
  m:
    | { version: string; constellation: Constellation }
    | { version: string; serves: AnyNetworkServes },
): ServingSpec {
  return 'serves' in m
    ? { kind: 'any-network', version: m.version, serves: m.serves }
    : { kind: 'fixed', version: m.version, constellation: m.constellation };
}

/** Null when the model serves the scene; otherwise why not, for the operator. */
export function whyNotServes(spec: ServingSpec, scene: Scene<unknown>): string | null {
  if (spec.kind === 'fixed') {
    const displaced = displacedStations(scene, spec.constellation);
    if (displaced.length > 0) {
      const radiusKm = SAME_RECEIVER_RADIUS_M / 1000;
      return `scene ${scene.id}: ${displaced.join('; ')} (beyond ${radiusKm} km a station is not the receiver the fixed-network model learnt)`;
    }
    try {
      inNetworkOrder(scene, spec.constellation);
      return null;
    } catch (err) {
      return (err as Error).message;
    }
  }
  const { minReceivers, maxReceivers } = spec.serves;
  const n = scene.members.length;
  if (n >= minReceivers && n <= maxReceivers) return null;
  const ids = sceneStationIds(scene).join(', ');
  return `scene ${scene.id} has ${n} receiver(s) with a position (${ids}); model ${spec.version} needs ${minReceivers} to ${maxReceivers}`;
}

/**
 * The first candidate (fixed-network first, then any-network) that serves the scene; a
 * SceneIncompleteError with every candidate's reason when none does. Absent candidates are skipped.
 */
export function chooseServing<C extends { spec: ServingSpec }>(
  scene: Scene<unknown>,
  candidates: readonly (C | null | undefined)[],
): C {
  const reasons: string[] = [];
  for (const c of candidates) {
    if (!c) continue;
    const why = whyNotServes(c.spec, scene);
    if (why === null) return c;
    reasons.push(why);
  }
  if (reasons.length === 0) throw new HeimdallError('ModelLoadError', 'no model to locate with');
  throw new HeimdallError('SceneIncompleteError', reasons.join('; '));
}

/**
 * The any-network version that serves beside the production model when none is pinned: the
 * newest one that is not archived (any-network models take no part in the A/B split).
 */
export function servingNetworkVersion<E extends { version: string; stage: string }>(
  networkEntries: readonly E[],
): E | null {
  return (
    networkEntries
      .filter((e) => e.stage !== 'archived')
      .sort((a, b) => b.version.localeCompare(a.version, undefined, { numeric: true }))[0] ?? null
  );
}
