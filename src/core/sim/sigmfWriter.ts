import type { Constellation } from '../modelMetadata';
import type { Scene } from './scene';

export const SIMULATOR_NAME = 'heimdall-simulator';

export interface SigmfFilePair {
  baseName: string;
  meta: string;
  /** cf32_le samples. */
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
