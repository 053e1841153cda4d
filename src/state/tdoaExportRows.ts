/** Export rows for every located TDoA scene (issue 12), with stations placed and the nearest town. */
import type { TdoaExportRow } from '../core/exportFormats';
import { describeNearTown, nearestTown } from '../core/places/nearestTown';
import type { Town } from '../core/places/towns';
import { matchStation } from '../core/stations';
import type { Station } from '../core/tdoa/types';
import type { TdoaRun, TdoaScene } from './tdoaTypes';
import type { RecordingEntry } from './types';

export function tdoaExportRows(
  scenes: readonly TdoaScene[],
  runs: Readonly<Record<string, TdoaRun>>,
  recordings: readonly RecordingEntry[],
  stationList: readonly Station[],
  towns: readonly Town[] | null,
): TdoaExportRow[] {
  return scenes.flatMap((scene) => {
    const result = runs[scene.id]?.status === 'done' ? runs[scene.id].result : undefined;
    if (!result) return [];
    const ids = new Set(scene.recordingIds);
    const stations = recordings
      .filter((r) => ids.has(r.id))
      .flatMap((r) => matchStation(r.info, stationList).station ?? []);
    const near =
      result.lat !== undefined && result.lon !== undefined && towns
        ? nearestTown(towns, { lat: result.lat, lon: result.lon })
        : null;
    return [
      {
        result,
        stations,
        capturedAt: new Date(scene.captureTimeMs).toISOString(),
        place: near ? describeNearTown(near) : undefined,
      },
    ];
  });
}
