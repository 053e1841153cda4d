/**
 * Figures the results panel shows beside the estimate, computed with src/core's geodesy (never
 * re-implemented here), and the rows the exports are written from.
 */
import { insideEllipse } from '../core/ellipse';
import type { ResultRow } from '../core/exportFormats';
import { geodesicInverse, localOffset, type LatLon } from '../core/geodesy';
import type { Station } from '../core/scene/types';
import type { Prediction, SceneView } from './types';

export interface ReceiverFigure {
  receiverId: string;
  name: string;
  /** From the receiver to the estimate. */
  distanceM: number;
  /** Initial bearing from the receiver towards the estimate, degrees from north. */
  bearingDeg: number;
  levelDb: number | null;
}

export function receiverFigures(p: Prediction, receivers: readonly Station[]): ReceiverFigure[] {
  return p.receiverIds.map((id, i) => {
    const rx = receivers.find((r) => r.id === id);
    const inverse = rx ? geodesicInverse(rx, p) : { distanceM: NaN, azimuthDeg: NaN };
    return {
      receiverId: id,
      name: rx?.name ?? id,
      distanceM: inverse.distanceM,
      bearingDeg: inverse.azimuthDeg,
      levelDb: Number.isFinite(p.levelsDb[i]) ? p.levelsDb[i] : null,
    };
  });
}

export interface TruthFigures {
  errorM: number;
  /** Bearing from the estimate to the truth. */
  bearingDeg: number;
  /** Probability -> whether the truth lies inside that ellipse. */
  inside: { p: number; inside: boolean }[];
}

export function truthFigures(p: Prediction, truth: LatLon | undefined): TruthFigures | null {
  if (!truth) return null;
  const inv = geodesicInverse(p, truth);
  const off = localOffset(p, truth);
  return {
    errorM: inv.distanceM,
    bearingDeg: inv.azimuthDeg,
    inside: p.ellipses.map((e) => ({
      p: e.p,
      inside: insideEllipse(p.cov, off.eastM, off.northM, e.p),
    })),
  };
}

/** Export rows for every scene with a prediction, in capture order. */
export function exportRows(
  scenes: readonly SceneView[],
  predictions: Readonly<Record<string, Prediction>>,
): ResultRow[] {
  return [...scenes]
    .sort((a, b) => a.captureTimeMs - b.captureTimeMs)
    .filter((s) => predictions[s.id])
    .map((s) => {
      const p = predictions[s.id];
      return {
        scene: s.id,
        lat: p.lat,
        lon: p.lon,
        model: p.modelVersion,
        receivers: [...p.receiverIds],
        ellipses: p.ellipses,
        cov: p.cov,
        truth: s.truth,
        capturedAt: new Date(s.captureTimeMs).toISOString(),
      };
    });
}
