import { EventEmitter } from 'node:events';
import type { Constellation } from '../../src/core/modelMetadata';
import { LiveSimulator } from '../../src/core/live/liveSimulator';
import type { ScenarioConfig } from '../../src/core/live/scenario';
import type { LatLon } from '../../src/core/geodesy';
import { DEFAULT_BACKOFF, type BackoffPolicy } from '../../src/core/live/backoff';
import { SimulatedIqSource, type SimulatedSourceTiming } from './simulatedSource';

/**
 * The built-in simulated receiver network: one LiveSimulator (one transmitter, every receiver of
 * the constellation) driven by one wall-clock timer, and one SimulatedIqSource per receiver fed
 * from it. The clock runs only while some source is started, so an idle server costs no CPU.
 */
export interface SimulatedNetworkOptions {
  scenario: ScenarioConfig;
  constellation: Constellation;
  /** The model's sample rate, used when the scenario names none. */
  modelSampleRateHz: number;
  /** Receivers to simulate (default: all of the constellation). */
  receiverIds?: readonly string[];
  stallTimeoutMs?: number;
  stallReconnectMs?: number;
  backoff?: BackoffPolicy;
  random?: () => number;
  nowMs?: () => number;
}

export interface TruthEvent {
  timeMs: number;
  position: LatLon;
  keyed: boolean;
}

/** After a pause longer than this (a suspended process) the clock skips ahead instead of bursting. */
const MAX_CATCH_UP_MS = 2_000;
/** Reconnects of a simulated link are quick: the demo should recover within seconds. */
const SIMULATED_BACKOFF: BackoffPolicy = { ...DEFAULT_BACKOFF, baseMs: 500, maxMs: 8_000 };

export class SimulatedNetwork {
  readonly simulator: LiveSimulator;
  readonly sources: SimulatedIqSource[];
  private readonly indexOf: number[];
  private readonly events = new EventEmitter();
  private readonly nowMs: () => number;
  private timer: NodeJS.Timeout | undefined;

  constructor(o: SimulatedNetworkOptions) {
    this.nowMs = o.nowMs ?? Date.now;
    const chunkMs = o.scenario.chunkMs;
    // Sample 0 on a whole chunk of the wall clock, so capture times are round numbers.
    const startTimeMs = Math.floor(this.nowMs() / chunkMs) * chunkMs;
    this.simulator = new LiveSimulator(
      o.scenario,
      o.constellation,
      o.modelSampleRateHz,
      startTimeMs,
    );
    const timing: SimulatedSourceTiming = {
      stallTimeoutMs: o.stallTimeoutMs ?? 1_500,
      stallReconnectMs: o.stallReconnectMs ?? 4_000,
      backoff: o.backoff ?? SIMULATED_BACKOFF,
      random: o.random ?? Math.random,
      nowMs: this.nowMs,
    };
    const ids = o.receiverIds ?? o.constellation.receivers.map((r) => r.id);
    this.indexOf = ids.map((id) => o.constellation.receivers.findIndex((r) => r.id === id));
    this.sources = ids.map(
      (id) => new SimulatedIqSource(id, timing, () => this.runClockIfNeeded()),
    );
  }

  /** The scenario's truth at each generated chunk (only while the clock runs). */
  onTruth(fn: (t: TruthEvent) => void): void {
    this.events.on('truth', fn);
  }

  source(receiverId: string): SimulatedIqSource | undefined {
    return this.sources.find((s) => s.receiverId === receiverId);
  }

  async stop(): Promise<void> {
    await Promise.all(this.sources.map((s) => s.stop()));
    this.runClockIfNeeded();
  }

  private runClockIfNeeded(): void {
    const needed = this.sources.some((s) => s.isRunning);
    if (needed && !this.timer) {
      this.timer = setInterval(() => this.tick(), this.simulator.scenario.chunkMs / 2);
    } else if (!needed && this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }

  /** Generates every chunk whose time span has passed on the wall clock. */
  private tick(): void {
    const sim = this.simulator;
    const dueSample = Math.floor(((this.nowMs() - sim.startTimeMs) / 1000) * sim.sampleRateHz);
    const maxBehind = (MAX_CATCH_UP_MS / 1000) * sim.sampleRateHz;
    if (dueSample - sim.position > maxBehind) sim.skipTo(dueSample - sim.chunkSamples);
    while (sim.position + sim.chunkSamples <= dueSample) {
      const chunk = sim.nextChunk();
      this.events.emit('truth', {
        timeMs: chunk.captureTimeMs,
        position: chunk.truth.position,
        keyed: chunk.truth.keyed,
      } satisfies TruthEvent);
      this.sources.forEach((source, i) => {
        const gps = chunk.gps?.[this.indexOf[i]];
        source.deliver({
          startSample: chunk.startSample,
          chunkSamples: sim.chunkSamples,
          // GPS mode: the time the receiver's own clock states, as a KiwiSDR sends it.
          captureTimeMs: gps?.captureTimeMs ?? chunk.captureTimeMs,
          sampleRateHz: chunk.sampleRateHz,
          centerFrequencyHz: sim.centerFrequencyHz,
          iq: chunk.iq[this.indexOf[i]],
          ...(gps ? { gps: gps.stamp } : {}),
        });
      });
    }
  }
}
