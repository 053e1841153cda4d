import { useMemo } from 'react';
import { matchStation, type StationMatch } from '../core/stations';
import type { Station } from '../core/tdoa/types';
import { useStore, useTdoaStore } from '../state/store';
import { modelPlaced } from '../state/scenes';
import { tdoaGrouping, type LeftOutRecording } from '../state/tdoaScenes';
import type { TdoaRun, TdoaScene } from '../state/tdoaTypes';
import type { Prediction, RecordingEntry } from '../state/types';
import { useScenes } from './useScenes';

export interface TdoaRecordingView {
  recording: RecordingEntry;
  match: StationMatch;
}

export interface TdoaView {
  scenes: TdoaScene[];
  /** Recordings in no scene though they overlap others in time, with the reason. */
  leftOut: LeftOutRecording[];
  selected: TdoaScene | null;
  run: TdoaRun | undefined;
  /** The selected scene's recordings with their station match. */
  recordings: TdoaRecordingView[];
  /** Positions of the selected scene's placed stations. */
  stations: Station[];
  /** The model's estimate of a scene sharing recordings with the selected one. */
  model: Prediction | undefined;
}

/** Everything the TDoA panels and map layers show, derived once from both stores. */
export function useTdoaView(): TdoaView {
  const recordings = useStore((s) => s.recordings);
  const predictions = useStore((s) => s.predictions);
  const stationList = useTdoaStore((s) => s.stations);
  const runs = useTdoaStore((s) => s.runs);
  const selectedId = useTdoaStore((s) => s.selectedTdoaSceneId);
  const grouping = useScenes();
  const modelScenes = grouping.scenes;
  const { scenes, leftOut } = useMemo(
    () => tdoaGrouping(recordings, modelPlaced(grouping)),
    [recordings, grouping],
  );
  return useMemo(() => {
    const selected = scenes.find((s) => s.id === selectedId) ?? scenes[0] ?? null;
    const ids = new Set(selected?.recordingIds ?? []);
    const views = recordings
      .filter((r) => ids.has(r.id))
      .map((recording) => ({ recording, match: matchStation(recording.info, stationList) }));
    const stations = views.flatMap((v) => (v.match.station ? [v.match.station] : []));
    const modelScene = modelScenes.find((sc) =>
      sc.recordingIds.some((id) => id !== null && ids.has(id)),
    );
    return {
      scenes,
      leftOut,
      selected,
      run: selected ? runs[selected.id] : undefined,
      recordings: views,
      stations,
      model: modelScene ? predictions[modelScene.id] : undefined,
    };
  }, [scenes, leftOut, selectedId, recordings, stationList, runs, modelScenes, predictions]);
}
