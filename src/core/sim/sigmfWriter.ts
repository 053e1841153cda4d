import type { Constellation } from '../modelMetadata';
import { littleEndianBytes } from '../sampleBytes';
import { HEIMDALL_EXTENSION, sigmfMetaText, truthAnnotation } from '../sigmfMetaWriter';
import type { Scene } from './scene';

export const SIMULATOR_NAME = 'heimdall-simulator';

export interface SigmfFilePair {
  baseName: string;
  meta: string;
  /** The dataset: cf32_le for scenes, ci16_le for timed recordings. */
  data: Uint8Array;
}

/**
 * SigMF 1.2 recordings of a scene, one pair per receiver. The truth sits in an annotation under
 * the `heimdall` extension namespace, so a generic SigMF reader ignores it safely.
 */
export function sceneToSigmf(scene: Scene, constellation: Constellation): SigmfFilePair[] {
  return scene.receivers.map((r) => {
    const rx = constellation.receivers.find((c) => c.id === r.receiverId);
    if (!rx) throw new Error(`receiver ${r.receiverId} is not in the constellation`);
    const meta = sigmfMetaText({
      datatype: 'cf32_le',
      sampleRateHz: scene.sampleRateHz,
      description: `Simulated scene ${scene.id} (seed ${scene.seed}) at ${rx.name}`,
      recorder: SIMULATOR_NAME,
      position: { lat: rx.lat, lon: rx.lon, altM: rx.altM ?? 0 },
      extensions: [HEIMDALL_EXTENSION],
      global: { 'heimdall:receiver_id': rx.id, 'heimdall:scene': scene.id },
      captures: [
        { sampleStart: 0, frequencyHz: scene.centerFrequencyHz, datetime: scene.captureTime },
      ],
      annotations: [
        truthAnnotation(
          0,
          r.iq.length / 2,
          'simulated transmitter: position, power and signal kind',
          {
            ...scene.truth,
            snrDb: r.snrDb,
          },
        ),
      ],
    });
    return { baseName: `${scene.id}-${rx.id}`, meta, data: littleEndianBytes(r.iq) };
  });
}

/** One capture segment of a timed recording: where it starts and when (ISO 8601 UTC, any precision). */
export interface TimedCapture {
  sampleStart: number;
  datetime: string;
}

export interface TimedRecording {
  baseName: string;
  receiverId: string;
  position: { lat: number; lon: number; altM?: number };
  sampleRateHz: number;
  centerFrequencyHz: number;
  captures: readonly TimedCapture[];
  /** Interleaved int16 I, Q (written as ci16_le, what a 16-bit SDR delivers). */
  iq: Int16Array;
  description: string;
  scene?: string;
  /** The simulated transmitter, stored as the `truth` annotation the readers understand. */
  truth?: { lat: number; lon: number; kind?: string; offsetHz?: number; snrDb?: number };
}

/**
 * A SigMF 1.2 recording whose every capture segment carries `core:datetime` (TDoA times each
 * segment from its own: a recorder that drops samples starts a new segment), with the receiver's
 * position in `core:geolocation` and its id in `heimdall:receiver_id`.
 */
export function timedRecordingToSigmf(r: TimedRecording): SigmfFilePair {
  const meta = sigmfMetaText({
    datatype: 'ci16_le',
    sampleRateHz: r.sampleRateHz,
    description: r.description,
    recorder: SIMULATOR_NAME,
    position: { ...r.position, altM: r.position.altM ?? 0 },
    extensions: [HEIMDALL_EXTENSION],
    global: {
      'heimdall:receiver_id': r.receiverId,
      ...(r.scene ? { 'heimdall:scene': r.scene } : {}),
    },
    captures: r.captures.map((c) => ({
      sampleStart: c.sampleStart,
      frequencyHz: r.centerFrequencyHz,
      datetime: c.datetime,
    })),
    annotations: r.truth
      ? [truthAnnotation(0, r.iq.length / 2, 'simulated transmitter', r.truth)]
      : [],
  });
  return { baseName: r.baseName, meta, data: littleEndianBytes(r.iq) };
}
