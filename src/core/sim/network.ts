/**
 * Random receiver networks for the any-network model (issue 13): 2 to 12 receivers anywhere on
 * Earth, spread over 30 to 600 km, and one transmitter inside or somewhat outside them. Each
 * scene is then simulated with the same physics as the fixed-network models (scene.ts).
 */
import type { Constellation, Receiver } from '../modelMetadata';
import { fromLocalOffset, geodesicInverse, type LatLon } from '../geodesy';
import { networkCentroid } from '../networkFeatures';
import { Rng } from '../rng';
import type { PhysicsRanges } from './physics';
import { simulateScene, type Scene } from './scene';

export interface NetworkRanges {
  receivers: { lo: number; hi: number };
  /** Diameter of the area the receivers are drawn in, km (drawn log-uniformly). */
  spreadKm: { lo: number; hi: number };
  /**
   * The transmitter is uniform in a disc about the centroid whose radius is this factor (drawn
   * uniformly per scene) times the farthest receiver's distance from the centroid: inside the
   * network and up to twice as far out. The mixture gives a prior that fades with distance.
   */
  txRadiusFactor: { lo: number; hi: number };
}

export const NETWORK_RANGES: NetworkRanges = {
  receivers: { lo: 2, hi: 12 },
  spreadKm: { lo: 30, hi: 600 },
  txRadiusFactor: { lo: 1.2, hi: 2.0 },
};

/** The 2 m amateur band the 1.x constellation listens to; the simulator's path loss uses it. */
export const NETWORK_BAND_HZ: [number, number] = [144e6, 146e6];

/** Stream offset so the network draw never shares random numbers with the scene's own draw. */
const NETWORK_STREAM_SALT = 0x6e657477;
/** Receivers closer than this fraction of the spread are redrawn (two receivers on one site). */
const MIN_SEPARATION_FRACTION = 0.03;

export interface RandomNetwork {
  receivers: Receiver[];
  centroid: LatLon;
  /** Farthest receiver from the centroid, m. */
  maxRadiusM: number;
  /** Radius of the transmitter's disc about the centroid, m. */
  txRadiusM: number;
  spreadKm: number;
}

/** Uniform point in an ellipse (semi-axes a, b in m, rotated by thetaRad), as east/north offsets. */
function inEllipse(rng: Rng, a: number, b: number, thetaRad: number): [number, number] {
  const r = Math.sqrt(rng.next());
  const phi = rng.uniform(0, 2 * Math.PI);
  const x = a * r * Math.cos(phi);
  const y = b * r * Math.sin(phi);
  const c = Math.cos(thetaRad);
  const s = Math.sin(thetaRad);
  return [x * c - y * s, x * s + y * c];
}

export function drawNetwork(
  rng: Rng,
  ranges: NetworkRanges = NETWORK_RANGES,
  nReceivers?: number,
): RandomNetwork {
  const n = nReceivers ?? rng.int(ranges.receivers.lo, ranges.receivers.hi + 1);
  const spreadKm = rng.logUniform(ranges.spreadKm.lo, ranges.spreadKm.hi);
  // Latitudes where people run receivers; the geodesy is exact everywhere, so this only sets variety.
  const centre = { lat: rng.uniform(-55, 65), lon: rng.uniform(-180, 180) };
  const a = (spreadKm * 1000) / 2;
  const b = a * rng.uniform(0.35, 1);
  const theta = rng.uniform(0, Math.PI);
  const offsets: [number, number][] = [];
  for (let i = 0; i < n; i++) {
    let p = inEllipse(rng, a, b, theta);
    for (let tries = 0; tries < 20; tries++) {
      const tooClose = offsets.some(
        (q) => Math.hypot(q[0] - p[0], q[1] - p[1]) < MIN_SEPARATION_FRACTION * 2 * a,
      );
      if (!tooClose) break;
      p = inEllipse(rng, a, b, theta);
    }
    offsets.push(p);
  }
  const receivers: Receiver[] = offsets.map(([e, nn], i) => {
    const p = fromLocalOffset(centre, e, nn);
    return { id: `rx-${i + 1}`, name: `Receiver ${i + 1}`, lat: p.lat, lon: p.lon };
  });
  const centroid = networkCentroid(receivers);
  const maxRadiusM = Math.max(...receivers.map((r) => geodesicInverse(centroid, r).distanceM));
  const txRadiusM = maxRadiusM * rng.uniform(ranges.txRadiusFactor.lo, ranges.txRadiusFactor.hi);
  return { receivers, centroid, maxRadiusM, txRadiusM, spreadKm };
}

export interface NetworkSceneOptions {
  physics: PhysicsRanges;
  sampleRateHz: number;
  samples: number;
  ranges?: NetworkRanges;
  /** Fix the number of receivers (evaluation by network size). */
  nReceivers?: number;
}

export interface NetworkScene extends Scene {
  network: RandomNetwork;
}

/** The random stream scene (seed, index) draws its network from (cheap to replay for its size). */
export function networkRng(seed: number, index: number): Rng {
  return new Rng(seed ^ NETWORK_STREAM_SALT, index);
}

/** One scene on a random network; deterministic in (seed, index). */
export function simulateNetworkScene(
  seed: number,
  index: number,
  o: NetworkSceneOptions,
): NetworkScene {
  const rng = networkRng(seed, index);
  const network = drawNetwork(rng, o.ranges, o.nReceivers);
  const r = network.txRadiusM * Math.sqrt(rng.next());
  const az = rng.uniform(0, 2 * Math.PI);
  const position = fromLocalOffset(network.centroid, r * Math.sin(az), r * Math.cos(az));
  const constellation: Constellation = {
    id: `random-${seed}-${index}`,
    name: 'Random network',
    bandHz: NETWORK_BAND_HZ,
    receivers: network.receivers,
  };
  const scene = simulateScene(seed, index, {
    constellation,
    physics: o.physics,
    sampleRateHz: o.sampleRateHz,
    samples: o.samples,
    position,
  });
  return { ...scene, network };
}
