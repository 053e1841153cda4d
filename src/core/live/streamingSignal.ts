/**
 * The transmitted signal of the live simulator, generated in consecutive chunks with continuous
 * phase, keying and symbol timing across chunk boundaries. The kinds and their parameters are the
 * simulator's (drawSignal in src/core/sim/signals.ts, which documents the physics of each); this
 * file only makes them streamable, which the one-shot generateSignal is not (it restarts its
 * phase and keying on every call).
 */
import type { Rng } from '../rng';
import type { SignalSpec } from '../sim/signals';

/** PTT edges are smoothed with a one-pole filter of this time constant, so keying makes no click. */
const PTT_TIME_CONSTANT_S = 0.002;
/** CW element edges are raised-cosine ramps this long (as in signals.ts). */
const CW_RISE_S = 0.005;
const AFSK_MARK_HZ = 1200;
const AFSK_SPACE_HZ = 2200;

export class StreamingSignal {
  private phase: number;
  private sample = 0;
  private bit = 0;
  private audioPhase = 0;
  private pttGain = 0;
  private readonly pttAlpha: number;
  // CW keyer: the element being sent, its length and how far into it we are.
  private cwDown = false;
  private cwLength = 0;
  private cwPosition = 0;
  private readonly nbfm: {
    tones: number[];
    amps: number[];
    phases: number[];
    sylPhase: number;
    norm: number;
  };

  constructor(
    readonly spec: SignalSpec,
    readonly sampleRateHz: number,
    private readonly rng: Rng,
  ) {
    this.phase = rng.uniform(0, 2 * Math.PI);
    this.pttAlpha = 1 - Math.exp(-1 / (PTT_TIME_CONSTANT_S * sampleRateHz));
    const tones = [rng.uniform(300, 900), rng.uniform(900, 1800), rng.uniform(1800, 2500)];
    const amps = [1, rng.uniform(0.3, 0.8), rng.uniform(0.1, 0.4)];
    this.nbfm = {
      tones,
      amps,
      phases: tones.map(() => rng.uniform(0, 2 * Math.PI)),
      sylPhase: rng.uniform(0, 2 * Math.PI),
      norm: amps.reduce((a, b) => a + b, 0),
    };
  }

  /**
   * The next `samples` complex samples (interleaved I/Q, key-down power 1). `keyed(n)` says
   * whether the transmitter is on the air at sample n of this chunk.
   */
  next(samples: number, keyed: (n: number) => boolean): Float32Array {
    const out = new Float32Array(2 * samples);
    const fs = this.sampleRateHz;
    const dPhase = (2 * Math.PI) / fs;
    for (let n = 0; n < samples; n++) {
      const { freqHz, envelope } = this.modulation();
      this.pttGain += this.pttAlpha * ((keyed(n) ? 1 : 0) - this.pttGain);
      const a = envelope * this.pttGain;
      out[2 * n] = a * Math.cos(this.phase);
      out[2 * n + 1] = a * Math.sin(this.phase);
      this.phase += dPhase * (this.spec.offsetHz + freqHz);
      if (this.phase > 1e4) this.phase %= 2 * Math.PI;
      this.sample++;
    }
    return out;
  }

  private modulation(): { freqHz: number; envelope: number } {
    const p = this.spec.params;
    const fs = this.sampleRateHz;
    switch (this.spec.kind) {
      case 'carrier':
        return { freqHz: 0, envelope: 1 };
      case 'nbfm': {
        const t = this.sample / fs;
        const v = this.nbfm;
        const syl = 0.55 + 0.45 * Math.sin(2 * Math.PI * p.syllableHz * t + v.sylPhase);
        let a = 0;
        for (let i = 0; i < 3; i++)
          a += v.amps[i] * Math.sin(2 * Math.PI * v.tones[i] * t + v.phases[i]);
        return { freqHz: (p.deviationHz * syl * a) / v.norm, envelope: 1 };
      }
      case 'fsk':
      case 'afsk': {
        if (this.sample % Math.round(fs / p.baud) === 0) this.bit = this.rng.int(0, 2);
        if (this.spec.kind === 'fsk')
          return { freqHz: (this.bit ? 0.5 : -0.5) * p.shiftHz, envelope: 1 };
        this.audioPhase += (2 * Math.PI * (this.bit ? AFSK_SPACE_HZ : AFSK_MARK_HZ)) / fs;
        if (this.audioPhase > 1e4) this.audioPhase %= 2 * Math.PI;
        return { freqHz: p.deviationHz * Math.sin(this.audioPhase), envelope: 1 };
      }
      case 'cw':
        return { freqHz: 0, envelope: this.cwEnvelope() };
    }
  }

  /** Random Morse elements (dot or dash, then a gap of 1, 3 or 7 dots), as in signals.ts. */
  private cwEnvelope(): number {
    if (this.cwPosition >= this.cwLength) {
      const dot = Math.max(1, Math.round(this.spec.params.dotS * this.sampleRateHz));
      this.cwDown = !this.cwDown;
      this.cwLength = this.cwDown
        ? dot * (this.rng.next() < 0.5 ? 1 : 3)
        : dot * this.rng.pick([1, 1, 1, 3, 7]);
      this.cwPosition = 0;
    }
    const j = this.cwPosition++;
    if (!this.cwDown) return 0;
    const rise = Math.round(CW_RISE_S * this.sampleRateHz);
    const edge = Math.min(j, this.cwLength - 1 - j);
    return edge >= rise ? 1 : 0.5 - 0.5 * Math.cos((Math.PI * edge) / rise);
  }
}
