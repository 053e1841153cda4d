/**
 * Which network the live relay streams, and which model will locate it (issue 13): the
 * configured receivers, each placed by its own `lat`/`lon` or as the fixed-network model's
 * receiver of the same id. Exactly the fixed model's network (in any order) keeps that model;
 * any other network of 2 to 12 placed receivers goes to the any-network model, when the registry
 * has one. The page makes the same choice from the hello's constellation id.
 */
import { HeimdallError } from '../../src/core/errors';
import { fromLocalOffset, geodesicInverse } from '../../src/core/geodesy';
import type { ScenarioConfig } from '../../src/core/live/scenario';
import { networkCentroid } from '../../src/core/networkFeatures';
import type { Constellation, Receiver } from '../../src/core/modelMetadata';
import type { AnyNetworkServes } from '../../src/core/networkModelMetadata';
import { RECEIVER_MATCH_RADIUS_M } from '../../src/core/scene/placement';
import type { LiveConfig, LiveReceiverConfig } from './liveConfig';

/** The models the registry offers the live view. */
export interface LiveModels {
  /** The production model when it serves one fixed network. */
  fixed?: { constellation: Constellation; sampleRateHz: number };
  /** The any-network model, when the registry has one that is not archived. */
  anyNetwork?: { serves: AnyNetworkServes; sampleRateHz: number };
}

/** The constellation id of a configured network (what the page compares with its fixed model's). */
export const CONFIGURED_NETWORK_ID = 'live-configured';

export interface LiveNetwork {
  /** 'fixed': exactly the fixed model's network (or part of it when no other model can serve). */
  kind: 'fixed' | 'any';
  /** The receivers in the config's order, as the simulator and the hello see them. */
  constellation: Constellation;
  /** The receivers' configs in the same order. */
  receivers: LiveReceiverConfig[];
  /** The sample rate of the model that will locate the windows. */
  sampleRateHz: number;
}

const WHERE = 'live config';

function fail(message: string): never {
  throw new HeimdallError('ConfigError', message, WHERE);
}

/** The receiver's own position, or the fixed network's receiver of that id, or an error saying so. */
function place(r: LiveReceiverConfig, fixed: Constellation | undefined): Receiver {
  const known = fixed?.receivers.find((c) => c.id === r.id);
  if (r.lat !== undefined && r.lon !== undefined) {
    return {
      id: r.id,
      name: r.name ?? known?.name ?? r.id,
      lat: r.lat,
      lon: r.lon,
      ...(r.altM !== undefined
        ? { altM: r.altM }
        : known?.altM !== undefined
          ? { altM: known.altM }
          : {}),
    };
  }
  if (known) return r.name ? { ...known, name: r.name } : known;
  const ids = fixed
    ? ` or use a receiver of the model's network (${fixed.receivers.map((c) => c.id).join(', ')})`
    : '';
  return fail(`receiver ${r.id} has no position: give "lat" and "lon"${ids}`);
}

/** The fixed network's receiver this station is (same id, within the matching radius), if any. */
function isFixedReceiver(station: Receiver, fixed: Constellation): boolean {
  const c = fixed.receivers.find((x) => x.id === station.id);
  return c !== undefined && geodesicInverse(c, station).distanceM <= RECEIVER_MATCH_RADIUS_M;
}

/** The default transmitter's speed (scenario.ts): its motion shows within a minute. */
const CROSSING_SPEED_MPS = 400;
/** It crosses this fraction of the network's radius either side of the centroid. */
const CROSSING_FRACTION = 0.6;

/**
 * The simulated scenario for the network: as configured, except that a configured network whose
 * scenario names no transmitter gets one moving west to east through its centroid (the built-in
 * default crosses north-west Italy, which may be nowhere near the configured receivers).
 */
export function scenarioFor(config: LiveConfig, net: LiveNetwork): ScenarioConfig {
  if (net.kind !== 'any' || !config.defaultTransmitter) return config.scenario;
  const receivers = net.constellation.receivers;
  const centroid = networkCentroid(receivers);
  const radiusM = Math.max(...receivers.map((r) => geodesicInverse(centroid, r).distanceM));
  const halfM = CROSSING_FRACTION * radiusM;
  return {
    ...config.scenario,
    transmitter: {
      motion: 'moving',
      from: fromLocalOffset(centroid, -halfM, 0),
      to: fromLocalOffset(centroid, halfM, 0),
      speedMps: CROSSING_SPEED_MPS,
    },
  };
}

export function resolveLiveNetwork(config: LiveConfig, models: LiveModels): LiveNetwork {
  const fixed = models.fixed?.constellation;
  const receivers: LiveReceiverConfig[] =
    config.receivers ??
    fixed?.receivers.map((r) => ({ id: r.id, source: 'simulated' as const })) ??
    fail(
      'the registry has no fixed-network production model to take the receivers from: list "receivers" with their "lat" and "lon"',
    );
  const stations = receivers.map((r) => place(r, fixed));
  const allFixed = fixed !== undefined && stations.every((s) => isFixedReceiver(s, fixed));
  const wholeFixed = allFixed && stations.length === fixed.receivers.length;
  const any = models.anyNetwork;
  // Part of the fixed network with no other model to serve it streams as before (waterfalls,
  // recording, TDoA); the fixed model waits for the receivers it lacks.
  if (wholeFixed || (allFixed && (!any || stations.length < any.serves.minReceivers))) {
    return {
      kind: 'fixed',
      constellation: fixed,
      receivers,
      sampleRateHz: models.fixed!.sampleRateHz,
    };
  }
  if (!any) {
    fail(
      `receivers ${stations.map((s) => s.id).join(', ')} are not the fixed model's network and the registry has no any-network model to locate them`,
    );
  }
  const { minReceivers, maxReceivers, bandHz } = any.serves;
  if (stations.length < minReceivers || stations.length > maxReceivers) {
    fail(
      `a network of ${stations.length} receiver(s); the any-network model takes ${minReceivers} to ${maxReceivers}`,
    );
  }
  return {
    kind: 'any',
    constellation: {
      id: CONFIGURED_NETWORK_ID,
      name: `Configured network of ${stations.length} receivers`,
      bandHz,
      receivers: stations,
    },
    receivers,
    sampleRateHz: any.sampleRateHz,
  };
}
