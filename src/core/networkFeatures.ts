/**
 * The receiver-position half of the any-network model's input (issue 13): where each receiver is,
 * as east/north km of the receivers' centroid, and the padding mask that lets scenes of different
 * sizes share a batch. The log-mel half is the same joint normalisation as the fixed-network
 * models (features.ts). Training exports its dataset through these functions and serving calls
 * them, so the two can never disagree.
 */
import { HeimdallError } from './errors';
import { localOffset, type LatLon } from './geodesy';

/** The most receivers one scene may have; the model was trained on 2 to this many. */
export const MAX_NETWORK_RECEIVERS = 12;
export const MIN_NETWORK_RECEIVERS = 2;

const DEG = Math.PI / 180;

/**
 * Centroid of the receivers: the mean of their unit vectors, projected back to the sphere, so a
 * network across the antimeridian or near a pole has its centroid among the receivers.
 */
export function networkCentroid(receivers: readonly LatLon[]): LatLon {
  if (receivers.length === 0) throw new HeimdallError('ConfigError', 'a network needs receivers');
  let x = 0,
    y = 0,
    z = 0;
  for (const r of receivers) {
    const c = Math.cos(r.lat * DEG);
    x += c * Math.cos(r.lon * DEG);
    y += c * Math.sin(r.lon * DEG);
    z += Math.sin(r.lat * DEG);
  }
  const h = Math.hypot(x, y);
  if (h + Math.abs(z) < 1e-9) {
    throw new HeimdallError('ConfigError', 'receivers are antipodal: the network has no centroid');
  }
  return { lat: Math.atan2(z, h) / DEG, lon: h < 1e-12 ? 0 : Math.atan2(y, x) / DEG };
}

/** East/north km of each receiver from the centroid (azimuthal equidistant), interleaved. */
export function receiverOffsetsKm(receivers: readonly LatLon[], centroid: LatLon): Float32Array {
  const out = new Float32Array(2 * receivers.length);
  receivers.forEach((r, i) => {
    const o = localOffset(centroid, r);
    out[2 * i] = o.eastM / 1000;
    out[2 * i + 1] = o.northM / 1000;
  });
  return out;
}

/** One scene's position inputs: its centroid, the offsets (R, 2) km, and the number of receivers. */
export interface NetworkGeometry {
  centroid: LatLon;
  positionKm: Float32Array;
  receivers: number;
}

export function networkGeometry(receivers: readonly LatLon[]): NetworkGeometry {
  const n = receivers.length;
  if (n < MIN_NETWORK_RECEIVERS || n > MAX_NETWORK_RECEIVERS) {
    throw new HeimdallError(
      'ConfigError',
      `the any-network model takes ${MIN_NETWORK_RECEIVERS} to ${MAX_NETWORK_RECEIVERS} receivers, this scene has ${n}`,
    );
  }
  const centroid = networkCentroid(receivers);
  return { centroid, positionKm: receiverOffsetsKm(receivers, centroid), receivers: n };
}

/**
 * Packs scenes of possibly different sizes into one padded batch: logmel (B, R, per), positionKm
 * (B, R, 2) and mask (B, R) with R the largest scene; padded receivers are zeros with mask 0.
 */
export function packNetworkBatch(
  scenes: readonly { logmel: Float32Array; geometry: NetworkGeometry }[],
  perReceiver: number,
): { logmel: Float32Array; positionKm: Float32Array; mask: Float32Array; receivers: number } {
  const r = Math.max(...scenes.map((s) => s.geometry.receivers));
  const logmel = new Float32Array(scenes.length * r * perReceiver);
  const positionKm = new Float32Array(scenes.length * r * 2);
  const mask = new Float32Array(scenes.length * r);
  scenes.forEach((s, b) => {
    const n = s.geometry.receivers;
    if (s.logmel.length !== n * perReceiver) {
      throw new HeimdallError(
        'ConfigError',
        `scene ${b}: ${s.logmel.length} feature values for ${n} receivers of ${perReceiver}`,
      );
    }
    logmel.set(s.logmel, b * r * perReceiver);
    positionKm.set(s.geometry.positionKm, b * r * 2);
    mask.fill(1, b * r, b * r + n);
  });
  return { logmel, positionKm, mask, receivers: r };
}
