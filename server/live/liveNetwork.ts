/**
 * Which network the live relay streams, and which model will locate it (issue 13): the
 * configured receivers, each placed by its own `lat`/`lon` or as the fixed-network model's
 * receiver of the same id, go to the model that the one rule of src/core/scene/servingModel.ts
 * picks (the one `heimdall locate` and the worker follow): exactly the fixed model's network
 * (in any order, each receiver where the model has it) keeps that model; any other network the
 * any-network model serves goes to it. A network no model serves (part of the fixed network
 * with no other model, a lone receiver) is a ConfigError saying why, since the fixed model takes
 * no subset of its receivers. The page makes the same choice from the hello's constellation id.
 */
import { HeimdallError } from '../../src/core/errors';
import { fromLocalOffset, geodesicInverse } from '../../src/core/geodesy';
import type { ScenarioConfig } from '../../src/core/live/scenario';
import { networkCentroid } from '../../src/core/networkFeatures';
import type { Constellation, Receiver } from '../../src/core/modelMetadata';
import type { AnyNetworkServes } from '../../src/core/networkModelMetadata';
import { chooseServing, servingSpec } from '../../src/core/scene/servingModel';
import type { Scene } from '../../src/core/scene/types';
import type { LiveConfig, LiveReceiverConfig } from './liveConfig';

/** The models the registry offers the live view. */
export interface LiveModels {
  /** The production model when it serves one fixed network. */
  fixed?: { version: string; constellation: Constellation; sampleRateHz: number };
  /** The any-network model, when the registry has one that is not archived. */
  anyNetwork?: { version: string; serves: AnyNetworkServes; sampleRateHz: number };
}

/** The constellation id of a configured network (what the page compares with its fixed model's). */
export const CONFIGURED_NETWORK_ID = 'live-configured';

export interface LiveNetwork {
  /** 'fixed': exactly the fixed model's network; 'any': a network the any-network model serves. */
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

/** The configured network as a scene of the serving rule: one member per receiver, in order. */
function networkScene(
  receivers: readonly LiveReceiverConfig[],
  stations: readonly Receiver[],
): Scene<LiveReceiverConfig> {
  return {
    id: 'of the live config',
    captureTimeMs: 0,
    members: receivers.map((recording, i) => ({
      recording,
      station: stations[i],
      source: recording.lat !== undefined ? 'operator' : 'model-receiver',
      captureTimeMs: 0,
    })),
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
  const candidates = [
    models.fixed && { spec: servingSpec(models.fixed), model: models.fixed },
    models.anyNetwork && { spec: servingSpec(models.anyNetwork), model: models.anyNetwork },
  ];
  let chosen: NonNullable<(typeof candidates)[number]>;
  try {
    chosen = chooseServing(networkScene(receivers, stations), candidates);
  } catch (err) {
    const ids = stations.map((s) => s.id).join(', ');
    const lacking = models.anyNetwork ? '' : ' (the registry has no any-network model)';
    return fail(`no model locates receivers ${ids}: ${(err as Error).message}${lacking}`);
  }
  if (chosen.spec.kind === 'fixed') {
    return {
      kind: 'fixed',
      constellation: chosen.spec.constellation,
      receivers,
      sampleRateHz: chosen.model.sampleRateHz,
    };
  }
  return {
    kind: 'any',
    constellation: {
      id: CONFIGURED_NETWORK_ID,
      name: `Configured network of ${stations.length} receivers`,
      bandHz: chosen.spec.serves.bandHz,
      receivers: stations,
    },
    receivers,
    sampleRateHz: chosen.model.sampleRateHz,
  };
}
