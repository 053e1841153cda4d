/**
 * Records the live streams as SigMF, one recording per receiver, following the conventions of
 * src/core/sim/sigmfWriter.ts (cf32_le, core:geolocation, heimdall:receiver_id, captures with
 * core:datetime and core:frequency, the simulated truth as 'truth' annotations), so the file view
 * opens a recording like any other. A gap in a stream (lost frames, a reconnect) starts a new
 * capture segment with its own datetime, as SigMF intends. Samples are kept as the frames' own
 * bytes (no copy) up to maxBytes in all; then recording stops and says so.
 */
import type { Receiver } from '../modelMetadata';
import { littleEndianBytes } from '../sampleBytes';
import { HEIMDALL_EXTENSION, sigmfMetaText, truthAnnotation } from '../sigmfMetaWriter';
import type { StreamFrame } from './receiverStream';
import { ustarParts, type Bytes } from './ustarWriter';

export const RECORDER_NAME = 'heimdall-live';
/** One truth annotation per this many ms of recording (a moving transmitter's track). */
const TRUTH_EVERY_MS = 1000;

export type RecordFrame = StreamFrame & { centerFrequencyHz: number };

interface Capture {
  sampleStart: number;
  datetimeMs: number;
  frequencyHz: number;
}

interface Track {
  receiver: Receiver;
  sampleRateHz?: number;
  parts: Bytes[];
  samples: number;
  captures: Capture[];
  last?: { connectionIndex: number; sequence: number; frequencyHz: number };
  /** Frames refused because their sample rate differs from the recording's. */
  refused: number;
}

export interface TruthPoint {
  timeMs: number;
  lat: number;
  lon: number;
  keyed: boolean;
  kind: string;
}

export interface RecordedFile {
  name: string;
  parts: Bytes[];
  bytes: number;
}

/** 20261122T081500Z from a UTC time. */
function compactUtc(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
}

export class SigmfRecorder {
  private readonly tracks: Track[];
  private readonly truth: TruthPoint[] = [];
  private bytes = 0;
  full = false;

  constructor(
    receivers: readonly Receiver[],
    readonly startedAtMs: number,
    readonly maxBytes: number,
  ) {
    this.tracks = receivers.map((receiver) => ({
      receiver,
      parts: [],
      samples: 0,
      captures: [],
      refused: 0,
    }));
  }

  get recordedBytes(): number {
    return this.bytes;
  }

  /** Seconds recorded so far (the longest receiver's). */
  get seconds(): number {
    return Math.max(
      0,
      ...this.tracks.map((t) => (t.sampleRateHz ? t.samples / t.sampleRateHz : 0)),
    );
  }

  push(receiverIndex: number, f: RecordFrame): void {
    const t = this.tracks[receiverIndex];
    if (!t || this.full) return;
    if (this.bytes + f.iq.byteLength > this.maxBytes) {
      this.full = true;
      return;
    }
    t.sampleRateHz ??= f.sampleRateHz;
    if (f.sampleRateHz !== t.sampleRateHz) {
      t.refused++;
      return;
    }
    const continues =
      t.last !== undefined &&
      f.connectionIndex === t.last.connectionIndex &&
      f.sequence === t.last.sequence + 1 &&
      f.centerFrequencyHz === t.last.frequencyHz;
    if (!continues) {
      t.captures.push({
        sampleStart: t.samples,
        datetimeMs: f.captureTimeMs,
        frequencyHz: f.centerFrequencyHz,
      });
    }
    t.last = {
      connectionIndex: f.connectionIndex,
      sequence: f.sequence,
      frequencyHz: f.centerFrequencyHz,
    };
    t.parts.push(littleEndianBytes(f.iq));
    t.samples += f.iq.length / 2;
    this.bytes += f.iq.byteLength;
  }

  /** The simulated transmitter's position (kept about once a second). */
  pushTruth(p: TruthPoint): void {
    const last = this.truth.at(-1);
    if (!last || p.timeMs - last.timeMs >= TRUTH_EVERY_MS) this.truth.push(p);
  }

  /** One .sigmf-meta/.sigmf-data pair per receiver that recorded anything. */
  files(): RecordedFile[] {
    const stamp = compactUtc(this.startedAtMs);
    return this.tracks.flatMap((t) => {
      if (t.samples === 0 || t.sampleRateHz === undefined) return [];
      const base = `heimdall-live-${stamp}-${t.receiver.id}`;
      const meta = new TextEncoder().encode(this.meta(t, t.sampleRateHz));
      return [
        { name: `${base}.sigmf-meta`, parts: [meta], bytes: meta.byteLength },
        { name: `${base}.sigmf-data`, parts: t.parts, bytes: t.samples * 8 },
      ];
    });
  }

  /** Every receiver's pair in one SigMF archive (a tar), as parts for a Blob. */
  archive(): { name: string; parts: Bytes[] } {
    const folder = `heimdall-live-${compactUtc(this.startedAtMs)}`;
    const mtimeS = Math.floor(this.startedAtMs / 1000);
    const entries = this.files().map((f) => ({
      path: `${folder}/${f.name}`,
      parts: f.parts,
      mtimeS,
    }));
    return { name: `${folder}.sigmf`, parts: ustarParts(entries) };
  }

  private meta(t: Track, sampleRateHz: number): string {
    const rx = t.receiver;
    const first = t.captures[0];
    const sampleOf = (timeMs: number) => {
      // Truth times map onto the samples of the capture they fall in.
      const c = [...t.captures].reverse().find((x) => x.datetimeMs <= timeMs) ?? first;
      return c.sampleStart + Math.round(((timeMs - c.datetimeMs) / 1000) * sampleRateHz);
    };
    const truth = this.truth
      .map((p) => ({ p, start: sampleOf(p.timeMs) }))
      .filter(({ start }) => start >= 0 && start < t.samples);
    return sigmfMetaText({
      datatype: 'cf32_le',
      sampleRateHz,
      description: `Live recording at ${rx.name}`,
      recorder: RECORDER_NAME,
      position: { lat: rx.lat, lon: rx.lon, altM: rx.altM ?? 0 },
      extensions: [HEIMDALL_EXTENSION],
      global: { 'heimdall:receiver_id': rx.id },
      captures: t.captures.map((c) => ({
        sampleStart: c.sampleStart,
        frequencyHz: c.frequencyHz,
        datetime: new Date(c.datetimeMs).toISOString(),
      })),
      annotations: truth.map(({ p, start }, i) =>
        truthAnnotation(
          start,
          (truth[i + 1]?.start ?? t.samples) - start,
          'simulated transmitter position at this time',
          { lat: p.lat, lon: p.lon, kind: p.kind, keyed: p.keyed },
        ),
      ),
    });
  }
}
