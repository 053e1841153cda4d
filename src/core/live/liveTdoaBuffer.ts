/**
 * Live TDoA's input (issue 12 item 7): per receiver, the recent GPS-stamped frames at the
 * receiver's own rate, and, on demand, the last `seconds` of each as a recording the TDoA solver
 * reads like a KiwiSDR IQ WAV (src/core/tdoa/recordingTiming.ts): a stamp per frame in
 * `extra.kiwiStamps`, so every sample gets its time from the fresh GPS stamps, and the receiver's
 * position as its geolocation. A discontinuity (lost frames, a reconnect, a rate change) starts
 * the receiver's buffer again: samples across a gap cannot share one clock.
 */
import { checkRange, type ByteSource } from '../readers/byteSource';
import { codecFor } from '../readers/sampleCodec';
import { segmentedRecording } from '../readers/segmentedRecording';
import type { IqRecording, RecordingInfo } from '../readers/types';
import type { KiwiStampTable } from '../tdoa/kiwiStamps';
import type { WireFrame } from './wireFormat';

export interface LiveTdoaReceiver {
  id: string;
  lat: number;
  lon: number;
}

/** One receiver's window as plain data (it crosses to the worker: workers/locateTdoa.ts). */
export interface LiveTdoaRecording {
  info: RecordingInfo;
  /** Interleaved I/Q, info.totalSamples pairs. */
  iq: Float32Array;
}

interface Held {
  frames: WireFrame[];
  samples: number;
}

/** Frames whose stamps a window needs beyond its length: kiwiTiming drops the first block. */
const EXTRA_FRAMES = 1;

export class LiveTdoaBuffer {
  private readonly held: Held[];

  constructor(
    /** Model order, as LivePipeline's indices. */
    readonly receivers: readonly LiveTdoaReceiver[],
    readonly maxSeconds: number,
  ) {
    this.held = receivers.map(() => ({ frames: [], samples: 0 }));
  }

  /** Takes a frame of receiver `index`; frames without a GPS stamp are not for TDoA. */
  push(index: number, f: WireFrame): void {
    if (!f.gps) return;
    const h = this.held[index];
    const last = h.frames.at(-1);
    const continues =
      last !== undefined &&
      last.connectionIndex === f.connectionIndex &&
      last.sequence + 1 === f.sequence &&
      last.sampleRateHz === f.sampleRateHz;
    if (!continues) {
      h.frames = [];
      h.samples = 0;
    }
    // The frame's samples may be a view into the socket's buffer: keep a copy of our own.
    h.frames.push({ ...f, iq: f.iq.slice() });
    h.samples += f.iq.length / 2;
    const keep = this.maxSeconds * f.sampleRateHz;
    while (h.frames.length > 1 && h.samples - h.frames[0].iq.length / 2 >= keep) {
      h.samples -= h.frames[0].iq.length / 2;
      h.frames.shift();
    }
  }

  /** Seconds of continuous GPS-stamped samples held for receiver `index`. */
  heldSeconds(index: number): number {
    const h = this.held[index];
    return h.frames.length ? h.samples / h.frames[0].sampleRateHz : 0;
  }

  /**
   * The last `seconds` (whole frames, plus one) of every receiver that holds that much, as
   * recordings; the others are left out (the solver needs two or more).
   */
  window(seconds: number): LiveTdoaRecording[] {
    const out: LiveTdoaRecording[] = [];
    this.held.forEach((h, i) => {
      if (h.frames.length === 0) return;
      const rate = h.frames[0].sampleRateHz;
      const need = seconds * rate;
      let from = h.frames.length;
      let samples = 0;
      while (from > 0 && samples < need) samples += h.frames[--from].iq.length / 2;
      if (samples < need) return;
      from = Math.max(0, from - EXTRA_FRAMES);
      out.push(this.recording(i, h.frames.slice(from)));
    });
    return out;
  }

  private recording(index: number, frames: WireFrame[]): LiveTdoaRecording {
    const r = this.receivers[index];
    const total = frames.reduce((n, f) => n + f.iq.length / 2, 0);
    const iq = new Float32Array(2 * total);
    const stamps: KiwiStampTable = {
      sampleIndex: new Float64Array(frames.length),
      lastSolution: new Uint8Array(frames.length),
      gpsSec: new Uint32Array(frames.length),
      gpsNsec: new Uint32Array(frames.length),
    };
    let at = 0;
    frames.forEach((f, k) => {
      iq.set(f.iq, 2 * at);
      stamps.sampleIndex[k] = at;
      stamps.lastSolution[k] = f.gps!.lastSolution;
      stamps.gpsSec[k] = f.gps!.gpsSec;
      stamps.gpsNsec[k] = f.gps!.gpsNsec;
      at += f.iq.length / 2;
    });
    const first = frames[0];
    return {
      info: {
        name: `live ${r.id}`,
        format: 'kiwi-wav',
        datatype: 'cf32_le',
        sampleRateHz: first.sampleRateHz,
        centerFrequencyHz: first.centerFrequencyHz,
        // Places the stamps' GPS week (the relay's clock is within seconds of GPS time).
        captureTime: new Date(first.captureTimeMs).toISOString(),
        geolocation: { lat: r.lat, lon: r.lon },
        receiverHint: r.id,
        totalSamples: total,
        extra: { kiwiStamps: stamps },
      },
      iq,
    };
  }
}

/** A live window as the recording the TDoA solver reads (its samples in memory, as cf32). */
export function liveTdoaRecording(r: LiveTdoaRecording): IqRecording {
  const bytes = new Uint8Array(r.iq.buffer, r.iq.byteOffset, r.iq.byteLength);
  const source: ByteSource = {
    name: r.info.name,
    size: bytes.byteLength,
    read: async (offset, length) => {
      checkRange(offset, length, r.info.name);
      return bytes.subarray(offset, Math.min(offset + length, bytes.byteLength));
    },
  };
  return segmentedRecording(
    r.info,
    source,
    [{ byteOffset: 0, sampleCount: r.info.totalSamples }],
    codecFor('cf32_le'),
  );
}
