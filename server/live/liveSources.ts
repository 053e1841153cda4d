import type { LiveReceiver } from '../../src/core/live/liveMessages';
import { describeScenario } from '../../src/core/live/scenario';
import { KiwiIqSource } from './kiwiSource';
import type { LiveConfig } from './liveConfig';
import { scenarioFor, type LiveNetwork } from './liveNetwork';
import { SimulatedNetwork } from './simulatedNetwork';
import type { IqSource } from './types';

/** A receiver as the hello message describes it, less its (changing) state. */
export type ReceiverInfo = Omit<LiveReceiver, 'state' | 'detail'>;

/** The relay's sources, one per configured receiver, in the order the wire's indices use. */
export interface LiveSourceSet {
  constellationId: string;
  receivers: ReceiverInfo[];
  sources: IqSource[];
  /** Present when some receiver is simulated. */
  network?: SimulatedNetwork;
  scenario?: string;
}

/**
 * Builds the sources of the resolved network (liveNetwork.ts): simulated receivers share one
 * SimulatedNetwork; KiwiSDR receivers each get a KiwiIqSource (allow-listed).
 */
export function buildLiveSources(config: LiveConfig, net: LiveNetwork): LiveSourceSet {
  const { constellation, sampleRateHz: modelSampleRateHz } = net;
  const wanted = net.receivers;
  const scenarioConfig = scenarioFor(config, net);
  const simulatedIds = wanted.filter((r) => r.source === 'simulated').map((r) => r.id);
  const network =
    simulatedIds.length > 0
      ? new SimulatedNetwork({
          scenario: scenarioConfig,
          constellation,
          modelSampleRateHz,
          receiverIds: simulatedIds,
          // Simulated links stall and recover on the demo's time scale, not a real network's.
          stallTimeoutMs: Math.min(config.stallTimeoutMs, 1_500),
          stallReconnectMs: Math.min(config.stallReconnectMs, 4_000),
        })
      : undefined;
  const scenario = network ? describeScenario(scenarioConfig) : undefined;

  const receivers: ReceiverInfo[] = [];
  const sources: IqSource[] = [];
  wanted.forEach((r, index) => {
    const rx = constellation.receivers.find((c) => c.id === r.id)!;
    receivers.push({
      index,
      receiverId: rx.id,
      name: rx.name,
      lat: rx.lat,
      lon: rx.lon,
      ...(rx.altM === undefined ? {} : { altM: rx.altM }),
      source: r.source,
      label: r.source === 'simulated' ? 'simulated' : `${r.host}:${r.port}`,
    });
    if (r.source === 'simulated') {
      sources.push(network!.source(r.id)!);
      return;
    }
    sources.push(
      new KiwiIqSource({
        receiverId: r.id,
        host: r.host,
        port: r.port,
        allowList: config.parsedAllowList,
        centerFrequencyHz: (r.centerFrequencyHz ?? config.centerFrequencyHz)!,
        lowCutHz: r.lowCutHz,
        highCutHz: r.highCutHz,
        manualGainDb: r.manualGainDb,
        password: r.password,
        stallTimeoutMs: config.stallTimeoutMs,
        stallReconnectMs: config.stallReconnectMs,
      }),
    );
  });
  return {
    constellationId: constellation.id,
    receivers,
    sources,
    ...(network ? { network } : {}),
    ...(scenario ? { scenario } : {}),
  };
}
