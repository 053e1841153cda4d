/** Small shared inputs for the UI helper tests. */
import { ellipseFromCovariance, type Cov2 } from '../../src/core/ellipse';
import type { Constellation } from '../../src/core/modelMetadata';
import type { RecordingInfo } from '../../src/core/readers/types';
import type { Prediction, RecordingEntry } from '../../src/state/types';

export const CONSTELLATION: Constellation = {
  id: 'test',
  name: 'Test',
  bandHz: [144e6, 146e6],
  receivers: [
    { id: 'aquila-giaveno', name: 'Aquila di Giaveno', lat: 45.03, lon: 7.27 },
    { id: 'milano-baggio', name: 'Milano-Baggio', lat: 45.478, lon: 9.123 },
    { id: 'genova', name: 'Genova', lat: 44.395, lon: 8.956 },
  ],
};

export function recording(
  id: string,
  name: string,
  patch: Partial<RecordingInfo> = {},
): RecordingEntry {
  return {
    id,
    name,
    info: {
      name,
      format: 'sigmf',
      datatype: 'cf32_le',
      sampleRateHz: 12000,
      totalSamples: 9000,
      captureTime: '2026-01-01T12:00:00.000Z',
      extra: {},
      ...patch,
    },
  };
}

export function prediction(
  sceneId: string,
  lat: number,
  lon: number,
  cov: Cov2 = { ee: 4e6, en: 0, nn: 1e6 },
): Prediction {
  return {
    sceneId,
    method: 'model',
    requestId: 'r1',
    lat,
    lon,
    cov,
    ellipses: [0.68, 0.95].map((p) => ellipseFromCovariance(cov, p)),
    modelVersion: '1.0.0',
    arm: 'production',
    executionProvider: 'wasm',
    cache: 'miss',
    timingsMs: { read: 1, preprocess: 2, cache: 0.1, inference: 3, decode: 0.05, total: 6.2 },
    receiverIds: CONSTELLATION.receivers.map((r) => r.id),
    levelsDb: [-100, -90, -110],
    finishedAtMs: 0,
  };
}
