import type { Constellation } from '../modelMetadata';
import type { Scene } from './scene';

export const SIMULATOR_NAME = 'heimdall-simulator';

export interface SigmfFilePair {
  baseName: string;
  meta: string;
  /** The dataset: cf32_le for scenes, ci16_le for timed recordings. */
  data: Uint8Array;
}

function littleEndianFloat32(iq: Float32Array): Uint8Array {
  const bytes = new Uint8Array(iq.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < iq.length; i++) view.setFloat32(4 * i, iq[i], true);
  return bytes;
}

/**
 * SigMF 1.2 recordings of a scene, one pair per receiver. The truth sits in an annotation under
 * the `heimdall` extension namespace, so a generic SigMF reader ignores it safely.
 */
export function sceneToSigmf(scene: Scene, constellation: Constellation): SigmfFilePair[] {
  return scene.receivers.map((r) => {
    const rx = constellation.receivers.find((c) => c.id === r.receiverId);
    if (!rx) throw new Error(`receiver ${r.receiverId} is not in the constellation`);
    const meta = {
      global: {
        'core:datatype': 'cf32_le',
        'core:sample_rate': scene.sampleRateHz,
        'core:version': '1.2.0',
        'core:description': `Simulated scene ${scene.id} (seed ${scene.seed}) at ${rx.name}`,
        'core:recorder': SIMULATOR_NAME,
        'core:geolocation': { type: 'Point', coordinates: [rx.lon, rx.lat, rx.altM ?? 0] },
        'core:extensions': [{ name: 'heimdall', version: '1.0.0', optional: true }],
        'heimdall:receiver_id': rx.id,
        'heimdall:scene': scene.id,
      },
      captures: [
        {
          'core:sample_start': 0,
          'core:frequency': scene.centerFrequencyHz,
          'core:datetime': scene.captureTime,
        },
      ],
      annotations: [
        {
          'core:sample_start': 0,
          'core:sample_count': r.iq.length / 2,
          'core:label': 'truth',
          'core:comment': 'simulated transmitter: position, power and signal kind',
          'heimdall:truth': {
            lat: scene.truth.lat,
            lon: scene.truth.lon,
            power_w: scene.truth.powerW,
            kind: scene.truth.kind,
            offset_hz: scene.truth.offsetHz,
            snr_db: r.snrDb,
          },
        },
      ],
    };
    return {
      baseName: `${scene.id}-${rx.id}`,
      meta: JSON.stringify(meta, null, 2),
      data: littleEndianFloat32(r.iq),
    };
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

function littleEndianInt16(iq: Int16Array): Uint8Array {
  const bytes = new Uint8Array(iq.length * 2);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < iq.length; i++) view.setInt16(2 * i, iq[i], true);
  return bytes;
}

/**
 * A SigMF 1.2 recording whose every capture segment carries `core:datetime` (TDoA times each
 * segment from its own: a recorder that drops samples starts a new segment), with the receiver's
 * position in `core:geolocation` and its id in `heimdall:receiver_id`.
 */
export function timedRecordingToSigmf(r: TimedRecording): SigmfFilePair {
  const samples = r.iq.length / 2;
  const meta = {
    global: {
      'core:datatype': 'ci16_le',
      'core:sample_rate': r.sampleRateHz,
      'core:version': '1.2.0',
      'core:description': r.description,
      'core:recorder': SIMULATOR_NAME,
      'core:geolocation': {
        type: 'Point',
        coordinates: [r.position.lon, r.position.lat, r.position.altM ?? 0],
      },
      'core:extensions': [{ name: 'heimdall', version: '1.0.0', optional: true }],
      'heimdall:receiver_id': r.receiverId,
      ...(r.scene ? { 'heimdall:scene': r.scene } : {}),
    },
    captures: r.captures.map((c) => ({
      'core:sample_start': c.sampleStart,
      'core:frequency': r.centerFrequencyHz,
      'core:datetime': c.datetime,
    })),
    annotations: r.truth
      ? [
          {
            'core:sample_start': 0,
            'core:sample_count': samples,
            'core:label': 'truth',
            'core:comment': 'simulated transmitter',
            'heimdall:truth': {
              lat: r.truth.lat,
              lon: r.truth.lon,
              ...(r.truth.kind !== undefined ? { kind: r.truth.kind } : {}),
              ...(r.truth.offsetHz !== undefined ? { offset_hz: r.truth.offsetHz } : {}),
              ...(r.truth.snrDb !== undefined ? { snr_db: r.truth.snrDb } : {}),
            },
          },
        ]
      : [],
  };
  return {
    baseName: r.baseName,
    meta: JSON.stringify(meta, null, 2),
    data: littleEndianInt16(r.iq),
  };
}
