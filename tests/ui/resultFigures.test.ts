import { describe, expect, it } from 'vitest';
import { toCsv } from '../../src/core/exportFormats';
import { geodesicDirect } from '../../src/core/geodesy';
import { exportRows, receiverFigures, truthFigures } from '../../src/state/resultFigures';
import type { SceneView } from '../../src/state/types';
import { CONSTELLATION, prediction } from './fixtures';

describe('receiverFigures', () => {
  it('gives distance and bearing from each receiver to the estimate, with its level', () => {
    const genova = CONSTELLATION.receivers[2];
    const target = geodesicDirect(genova, 30, 50_000);
    const f = receiverFigures(prediction('s', target.lat, target.lon), CONSTELLATION.receivers);
    expect(f.map((x) => x.receiverId)).toEqual(['aquila-giaveno', 'milano-baggio', 'genova']);
    expect(f[2].distanceM).toBeCloseTo(50_000, 3);
    expect(f[2].bearingDeg).toBeCloseTo(30, 6);
    expect(f[1].levelDb).toBe(-90);
  });
});

describe('truthFigures', () => {
  it('measures the error and which ellipses hold the truth', () => {
    const p = prediction('s', 45, 8, { ee: 1e6, en: 0, nn: 1e6 }); // 1 km sigma
    // 2 km north: outside 68 % (k = 1.51 sigma), inside 95 % (k = 2.45 sigma).
    const truth = geodesicDirect({ lat: 45, lon: 8 }, 0, 2000);
    const t = truthFigures(p, truth)!;
    expect(t.errorM).toBeCloseTo(2000, 3);
    expect(t.inside).toEqual([
      { p: 0.68, inside: false },
      { p: 0.95, inside: true },
    ]);
    expect(truthFigures(p, undefined)).toBeNull();
  });
});

describe('exportRows', () => {
  it('exports located scenes in capture order with their truth, skipping the rest', () => {
    const scenes: SceneView[] = [
      {
        id: 'late',
        captureTimeMs: Date.UTC(2026, 0, 1, 12, 1),
        recordingIds: [],
        receivers: [],
        missingReceiverIds: [],
        model: '1.0.0',
      },
      {
        id: 'early',
        captureTimeMs: Date.UTC(2026, 0, 1, 12, 0),
        recordingIds: [],
        receivers: [],
        missingReceiverIds: [],
        model: '1.0.0',
        truth: { lat: 45, lon: 8 },
      },
      {
        id: 'pending',
        captureTimeMs: 0,
        recordingIds: [],
        receivers: [],
        missingReceiverIds: [],
        model: '1.0.0',
      },
    ];
    const rows = exportRows(scenes, {
      late: prediction('late', 44, 9),
      early: prediction('early', 45.1, 8.1),
    });
    expect(rows.map((r) => r.scene)).toEqual(['early', 'late']);
    expect(rows[0].truth).toEqual({ lat: 45, lon: 8 });
    expect(rows[0].capturedAt).toBe('2026-01-01T12:00:00.000Z');
    expect(toCsv(rows).trim().split('\n')).toHaveLength(3);
  });
});
