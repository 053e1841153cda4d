/**
 * The simulated receiver network in real time: one transmitter (the scenario) heard by every
 * receiver of the constellation, generated chunk by chunk on one shared clock. Chunk k covers
 * samples [k * chunkSamples, (k + 1) * chunkSamples) of every receiver, captured at the same
 * instants, so any time span cut from the streams is consistent across receivers.
 *
 * In GPS mode (scenario.gps) the receivers are as real KiwiSDRs are: each samples at its own true
 * rate, hears the transmitter after its own propagation delay, and stamps each chunk with the GPS
 * time its clock believes; the chunk's capture time is that stamp. Live TDoA then has real work.
 */
import type { LatLon } from '../geodesy';
import type { KiwiGpsStamp } from '../kiwi/sndFrame';
import type { Constellation } from '../modelMetadata';
import { Rng } from '../rng';
import { wattsToDbm } from '../sim/physics';
import { drawSignal } from '../sim/signals';
import { DEFAULT_IMPAIRMENTS } from '../sim/tdoa/impairments';
import { propagationDelayS } from '../sim/tdoa/propagation';
import { GpsReceiverClock } from './gpsReceiverClock';
import { LiveLink, type LinkState } from './liveLink';
import { isKeyed, LIVE_PHYSICS, truthAt, type ScenarioConfig } from './scenario';
import { StreamingSignal } from './streamingSignal';
import { TdoaLiveSignal } from './tdoaLiveSignal';

/** Rng streams: one for the scenario's draws, one for the signal, one per receiver link. */
const STREAM_SCENARIO = 0;
const STREAM_SIGNAL = 1;
const STREAM_LINK_BASE = 100;
const STREAM_GPS_CLOCK_BASE = 200;
const STREAM_TDOA_SIGNAL = 1000;
/** A KiwiSDR tunes from its GPS-corrected clock: its frequency error is about a hertz (impairments.ts). */
const GPS_LO_ERROR_HZ = DEFAULT_IMPAIRMENTS.frequencyOffsetHz;

export interface SimulatedChunk {
  /** Index of the chunk's first sample since the scenario's start. */
  startSample: number;
  /** UTC ms of the chunk's first sample. */
  captureTimeMs: number;
  sampleRateHz: number;
  truth: { position: LatLon; keyed: boolean };
  /** One interleaved I/Q array per receiver, constellation order. */
  iq: Float32Array[];
  links: LinkState[];
  /** GPS mode: per receiver, the stamp of the chunk's first sample and the UTC ms it states. */
  gps?: { stamp: KiwiGpsStamp; captureTimeMs: number }[];
}

export class LiveSimulator {
  readonly sampleRateHz: number;
  readonly centerFrequencyHz: number;
  readonly chunkSamples: number;
  readonly txPowerDbm: number;
  private readonly links: LiveLink[];
  private readonly signal: StreamingSignal;
  private readonly clocks: GpsReceiverClock[] | undefined;
  private readonly tdoaSignal: TdoaLiveSignal | undefined;
  private nextSample = 0;

  /** `startTimeMs`: UTC ms of sample 0; the scenario's time 0 (its transmitter at `from`). */
  constructor(
    readonly scenario: ScenarioConfig,
    readonly constellation: Constellation,
    modelSampleRateHz: number,
    readonly startTimeMs: number,
  ) {
    const rng = new Rng(scenario.seed, STREAM_SCENARIO);
    const physics = LIVE_PHYSICS[scenario.physics];
    this.sampleRateHz = scenario.sampleRateHz ?? modelSampleRateHz;
    const [bandLo, bandHi] = constellation.bandHz;
    this.centerFrequencyHz = scenario.centerFrequencyHz ?? Math.round((bandLo + bandHi) / 2);
    this.chunkSamples = Math.max(1, Math.round((scenario.chunkMs / 1000) * this.sampleRateHz));
    this.txPowerDbm = wattsToDbm(
      scenario.txPowerW ?? rng.logUniform(physics.txPowerW.lo, physics.txPowerW.hi),
    );
    const exponent = rng.uniform(physics.pathLossExponent.lo, physics.pathLossExponent.hi);
    const shadowSigma = rng.uniform(physics.shadowingSigmaDb.lo, physics.shadowingSigmaDb.hi);
    const signalRng = new Rng(scenario.seed, STREAM_SIGNAL);
    this.signal = new StreamingSignal(
      drawSignal(signalRng, this.sampleRateHz, scenario.kind),
      this.sampleRateHz,
      signalRng,
    );
    this.links = constellation.receivers.map(
      (rx, i) =>
        new LiveLink(
          rx,
          physics,
          shadowSigma,
          this.sampleRateHz,
          this.centerFrequencyHz,
          exponent,
          new Rng(scenario.seed, STREAM_LINK_BASE + i),
          scenario.gps ? GPS_LO_ERROR_HZ : undefined,
        ),
    );
    if (scenario.gps) {
      const gps = scenario.gps;
      this.clocks = constellation.receivers.map(
        (_, i) =>
          new GpsReceiverClock(
            new Rng(scenario.seed, STREAM_GPS_CLOCK_BASE + i),
            this.sampleRateHz,
            gps,
            startTimeMs / 1000,
          ),
      );
      this.tdoaSignal = new TdoaLiveSignal(scenario.seed, STREAM_TDOA_SIGNAL, gps.signal);
    }
  }

  /** UTC ms of absolute sample n. */
  timeOfSample(n: number): number {
    return this.startTimeMs + (n / this.sampleRateHz) * 1000;
  }

  /** Index of the next chunk's first sample. */
  get position(): number {
    return this.nextSample;
  }

  /**
   * Skips ahead to absolute sample n (a multiple of the chunk) without generating, e.g. after the
   * process was suspended; the streams then have a gap, as a real receiver's would.
   */
  skipTo(n: number): void {
    if (n > this.nextSample) this.nextSample = Math.ceil(n / this.chunkSamples) * this.chunkSamples;
  }

  /** The next chunk of every receiver. */
  nextChunk(): SimulatedChunk {
    const start = this.nextSample;
    const samples = this.chunkSamples;
    const elapsedS = (n: number) => n / this.sampleRateHz;
    // Links are evaluated at the chunk's end; receive() ramps from the previous chunk's level.
    const end = truthAt(this.scenario, elapsedS(start + samples));
    const links = this.links.map((l) => l.state(end.position, this.txPowerDbm));
    let iq: Float32Array[];
    let gps: SimulatedChunk['gps'];
    if (this.clocks && this.tdoaSignal) {
      const clocks = this.clocks;
      iq = this.links.map((l, i) =>
        l.receive(this.heardAt(i, start, end.position), start, links[i]),
      );
      gps = clocks.map((c) => {
        const { gps: stamp, stampS } = c.stamp(start);
        return { stamp, captureTimeMs: this.startTimeMs + stampS * 1000 };
      });
    } else {
      const clean = this.signal.next(samples, (j) => isKeyed(this.scenario, elapsedS(start + j)));
      iq = this.links.map((l, i) => l.receive(clean, start, links[i]));
    }
    this.nextSample += samples;
    return {
      startSample: start,
      captureTimeMs: this.timeOfSample(start),
      sampleRateHz: this.sampleRateHz,
      truth: truthAt(this.scenario, elapsedS(start)),
      iq,
      links,
      ...(gps ? { gps } : {}),
    };
  }

  /**
   * GPS mode: the clean signal as receiver i hears it over its samples [start, start + chunk):
   * the transmitted waveform at the receiver's true sample instants minus the time of flight
   * (from where the transmitter is at the chunk's end: it moves metres in a chunk), keyed.
   */
  private heardAt(i: number, start: number, tx: LatLon): Float32Array {
    const clock = this.clocks![i];
    const delayS = propagationDelayS(tx, this.constellation.receivers[i]);
    const out = new Float32Array(2 * this.chunkSamples);
    for (let j = 0; j < this.chunkSamples; j++) {
      const tS = clock.timeOfSample(start + j) - delayS;
      if (isKeyed(this.scenario, tS)) this.tdoaSignal!.at(tS, out, j);
    }
    return out;
  }
}
