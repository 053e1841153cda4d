/**
 * Which model locates a scene (issue 13), one rule for `heimdall locate` and the browser's
 * worker: the fixed-network model when the scene is exactly its network, otherwise the
 * any-network model when the scene's receiver count is one it serves. An operator who pins a
 * version offers that one candidate alone, and gets it or the reason it cannot serve the scene.
 */
import { HeimdallError } from '../errors';
import type { Constellation } from '../modelMetadata';
import type { AnyNetworkServes } from '../networkModelMetadata';
import { inNetworkOrder } from './network';
import { sceneStationIds, type Scene } from './types';

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
