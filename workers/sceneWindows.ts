/**
 * The model window of each receiver of a scene, in model order, as the features need them. Read
 * once per feature definition: when both A/B arms share a preprocessing (the usual case) the
 * windows read for routing are the ones the chosen arm uses.
 */
import { HeimdallError } from '../src/core/errors';
import { windowSamples } from '../src/core/dsp/logMel';
import type { Preprocessing } from '../src/core/modelMetadata';
import { readModelWindow } from '../src/core/sceneInput';
import type { RecordingTable } from './recordings';
import type { PredictRequest } from './types';

/** Rejects a request that is not the shape the API documents (a bug in the caller). */
export function checkRequest(request: PredictRequest): void {
  const r = request as Partial<Record<string, unknown>>;
  if (!request || typeof r.sceneId !== 'string' || !r.sceneId) {
    throw new HeimdallError('ConfigError', 'a prediction request needs a sceneId');
  }
  const byIds =
    Array.isArray(r.recordingIds) && r.recordingIds.every((id) => typeof id === 'string');
  const byIq = Array.isArray(r.iq) && r.iq.every((a) => a instanceof Float32Array);
  if (byIds === byIq) {
    throw new HeimdallError(
      'ConfigError',
      `scene ${request.sceneId}: give either recordingIds (strings) or iq (Float32Array per receiver)`,
    );
  }
}

function assertFinite(window: Float32Array, where: string): void {
  for (let i = 0; i < window.length; i++) {
    if (!Number.isFinite(window[i])) {
      throw new HeimdallError(
        'CorruptFileError',
        `sample ${i >> 1} of the model window is not a finite number`,
        where,
      );
    }
  }
}

/** What reading a model's windows needs of its metadata. */
type WindowModel = { version: string; preprocessing: Preprocessing };

export class SceneWindows {
  private readonly byPreprocessing = new Map<string, Promise<Float32Array[]>>();
  /** Time spent reading (and resampling), ms. */
  readMs = 0;

  /**
   * `recordings` are the request's own, taken when it arrived (RecordingTable.pick), not the
   * worker's table: a recording closed while the request waits is still read.
   */
  constructor(
    private readonly request: PredictRequest,
    private readonly recordings: RecordingTable,
  ) {}

  /** The windows for a model's preprocessing; `receiverIds` are the receivers it expects, in order. */
  for(metadata: WindowModel, prepHash: string, receiverIds: string[]): Promise<Float32Array[]> {
    let windows = this.byPreprocessing.get(prepHash);
    if (!windows) {
      const t0 = performance.now();
      windows = this.read(metadata, receiverIds).finally(
        () => (this.readMs += performance.now() - t0),
      );
      this.byPreprocessing.set(prepHash, windows);
    }
    return windows;
  }

  private async read(m: WindowModel, receivers: string[]): Promise<Float32Array[]> {
    const scene = this.request.sceneId;
    const given = 'iq' in this.request ? this.request.iq : this.request.recordingIds;
    if (given.length !== receivers.length) {
      throw new HeimdallError(
        'SceneIncompleteError',
        `scene ${scene} has ${given.length} receiver(s); model ${m.version} needs ${receivers.length} (${receivers.join(', ')}, in that order)`,
      );
    }
    if ('recordingIds' in this.request) {
      const recordings = this.request.recordingIds.map((id) => this.recordings.get(id));
      const windows = await Promise.all(
        recordings.map((rec) => readModelWindow(rec, m.preprocessing)),
      );
      windows.forEach((w, i) => assertFinite(w, recordings[i].info.name));
      return windows;
    }
    const needed = 2 * windowSamples(m.preprocessing);
    return this.request.iq.map((iq, i) => {
      const where = `scene ${scene}, receiver ${receivers[i]}`;
      if (iq.length < needed) {
        throw new HeimdallError(
          'TooShortError',
          `has ${iq.length / 2} samples; the model needs ${needed / 2} at ${m.preprocessing.sampleRateHz} Hz`,
          where,
        );
      }
      const window = iq.subarray(0, needed);
      assertFinite(window, where);
      return window;
    });
  }
}
