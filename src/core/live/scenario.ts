/**
 * The simulated receiver network's scenario: where the transmitter is at any time, whether it is
 * keyed, what it sends, and the physics of the links. Pure functions of time, so the server's
 * sources, the tests and the live view agree on the truth without sharing state.
 */
import { z } from 'zod';
import { geodesicDirect, geodesicInverse, type LatLon } from '../geodesy';
import { PHYSICS_PRESETS, type PhysicsRanges } from '../sim/physics';
import { SIGNAL_KINDS } from '../sim/signals';
import { TDOA_SIGNAL_KINDS } from '../sim/tdoa/waveforms';

/**
 * Physics for the live demo: a strong line-of-sight signal with no shadowing, so the level
 * differences between receivers, which carry the location, are not hidden by per-link luck.
 * The path-loss exponent sits in the middle of the training range (physics.ts TRAINING).
 */
export const GENTLE: PhysicsRanges = {
  txPowerW: { lo: 10, hi: 10 },
  pathLossExponent: { lo: 3.0, hi: 3.0 },
  shadowingSigmaDb: { lo: 0, hi: 0 },
  noiseFigureDb: { lo: 6, hi: 8 },
  gainOffsetDb: { lo: -1, hi: 1 },
  ricianKDb: { lo: 10, hi: 12 },
  dopplerHz: { lo: 0.1, hi: 0.5 },
};

export const LIVE_PHYSICS = { gentle: GENTLE, ...PHYSICS_PRESETS } as const;
export type LivePhysicsName = keyof typeof LIVE_PHYSICS;

const point = z.object({ lat: z.number().min(-90).max(90), lon: z.number().min(-180).max(180) });

export const scenarioSchema = z
  .object({
    /** Seeds the per-link physics draws, the signal parameters and the noise. */
    seed: z.number().int().default(1),
    /** The signal kind (src/core/sim/signals.ts). */
    kind: z.enum(SIGNAL_KINDS).default('nbfm'),
    physics: z.enum(['gentle', 'nominal', 'training', 'shifted']).default('gentle'),
    /** Overrides the physics' transmit power, W. */
    txPowerW: z.number().positive().optional(),
    transmitter: z
      .discriminatedUnion('motion', [
        z.object({ motion: z.literal('fixed'), position: point }),
        z.object({
          /** Goes from `from` to `to` along the geodesic, then back, forever. */
          motion: z.literal('moving'),
          from: point,
          to: point,
          speedMps: z.number().positive(),
        }),
      ])
      .default({
        motion: 'moving',
        // West to east across the middle of the north-west Italy constellation, at a speed that
        // makes the motion visible in a minute (about 170 km in 7 minutes).
        from: { lat: 44.95, lon: 7.3 },
        to: { lat: 44.95, lon: 9.4 },
        speedMps: 400,
      }),
    /** Push-to-talk: on the air for onS seconds, then silent for offS (0: always on). */
    keying: z
      .object({ onS: z.number().positive(), offS: z.number().nonnegative() })
      .default({ onS: 20, offS: 4 }),
    /** Receivers' tuned frequency; default: the middle of the constellation's band. */
    centerFrequencyHz: z.number().positive().optional(),
    /** Complex samples per second per receiver; default: the model's rate. */
    sampleRateHz: z.number().positive().optional(),
    /** Samples are generated and sent in chunks this long. */
    chunkMs: z.number().min(10).max(1000).default(100),
    /**
     * GPS mode (live TDoA, issue 12): each receiver samples at its own true rate (up to
     * rateOffsetPpm off), hears the transmitter after its propagation delay, and stamps each frame
     * with the GPS time its clock believes (fixes every fixIntervalS, jitter stampJitterNs). The
     * signal is then one of the TDoA simulator's waveforms (`signal`), not `kind`.
     */
    gps: z
      .object({
        signal: z.enum(TDOA_SIGNAL_KINDS).default('fsk'),
        rateOffsetPpm: z.number().min(0).max(200).default(20),
        stampJitterNs: z.number().min(0).max(1e6).default(50),
        fixIntervalS: z
          .object({ lo: z.number().positive(), hi: z.number().positive() })
          .refine((r) => r.hi >= r.lo, 'fixIntervalS needs lo <= hi')
          .default({ lo: 1, hi: 2.5 }),
      })
      .strict()
      .optional(),
  })
  .strict();
export type ScenarioConfig = z.infer<typeof scenarioSchema>;

export interface TruthAt {
  position: LatLon;
  keyed: boolean;
}

/** Transmitter position at `elapsedS` seconds into the scenario (ping-pong along the geodesic). */
export function transmitterPosition(s: ScenarioConfig, elapsedS: number): LatLon {
  const tx = s.transmitter;
  if (tx.motion === 'fixed') return tx.position;
  const { distanceM, azimuthDeg } = geodesicInverse(tx.from, tx.to);
  if (distanceM === 0) return tx.from;
  const travelled = Math.max(0, elapsedS) * tx.speedMps;
  const leg = Math.floor(travelled / distanceM);
  const along = travelled - leg * distanceM;
  return geodesicDirect(tx.from, azimuthDeg, leg % 2 === 0 ? along : distanceM - along);
}

/** Whether the transmitter is keyed at `elapsedS` seconds into the scenario. */
export function isKeyed(s: ScenarioConfig, elapsedS: number): boolean {
  const { onS, offS } = s.keying;
  if (offS === 0) return true;
  const t = Math.max(0, elapsedS) % (onS + offS);
  return t < onS;
}

export function truthAt(s: ScenarioConfig, elapsedS: number): TruthAt {
  return { position: transmitterPosition(s, elapsedS), keyed: isKeyed(s, elapsedS) };
}

/** One line for the operator, e.g. "nbfm, 10 W, moving 400 m/s between 44.950,7.300 and ...". */
export function describeScenario(s: ScenarioConfig): string {
  const tx = s.transmitter;
  const fmt = (p: LatLon) => `${p.lat.toFixed(3)},${p.lon.toFixed(3)}`;
  const where =
    tx.motion === 'fixed'
      ? `fixed at ${fmt(tx.position)}`
      : `moving ${tx.speedMps} m/s between ${fmt(tx.from)} and ${fmt(tx.to)}`;
  const keying =
    s.keying.offS === 0 ? 'always on' : `on ${s.keying.onS} s / off ${s.keying.offS} s`;
  return `simulated ${s.kind}, ${where}, ${keying}, ${s.physics} physics`;
}
