/**
 * The live network's transmitted signal in GPS mode: one of the TDoA simulator's waveforms
 * (src/core/sim/tdoa/waveforms.ts), a function of continuous transmitter time, so each receiver
 * can sample it at its own clock's instants minus its own propagation delay. A waveform is drawn
 * per SEGMENT_S of transmitter time (a stream runs for hours; one waveform's symbols cover a
 * span); the switch happens at one transmitter instant, which every receiver hears after its own
 * delay, so it is physically consistent.
 */
import { Rng } from '../rng';
import { drawWaveform, type TdoaSignalKind, type TdoaWaveform } from '../sim/tdoa/waveforms';

const SEGMENT_S = 30;

export class TdoaLiveSignal {
  private readonly segments = new Map<number, TdoaWaveform>();
  private readonly out = new Float64Array(2);

  constructor(
    private readonly seed: number,
    private readonly stream: number,
    readonly kind: TdoaSignalKind,
  ) {}

  /** s(tS) at transmitter time tS (seconds since the start), written to out[2j], out[2j + 1]. */
  at(tS: number, out: Float32Array, j: number): void {
    const k = Math.floor(tS / SEGMENT_S);
    let w = this.segments.get(k);
    if (!w) {
      // Receivers lag each other by milliseconds at most: two segments are ever in use.
      for (const old of this.segments.keys()) if (old < k - 1) this.segments.delete(old);
      w = drawWaveform(new Rng(this.seed, this.stream + k), this.kind, {
        startS: k * SEGMENT_S,
        endS: (k + 1) * SEGMENT_S,
      });
      this.segments.set(k, w);
    }
    w.at(tS, this.out);
    out[2 * j] = this.out[0];
    out[2 * j + 1] = this.out[1];
  }

  get description(): string {
    return this.segments.values().next().value?.description ?? this.kind;
  }
}
