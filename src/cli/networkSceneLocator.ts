import { windowSamples } from '../core/dsp/logMel';
import { HeimdallError } from '../core/errors';
import { normalizeScene } from '../core/features';
import { Squelch } from '../core/live/squelch';
import { networkGeometry } from '../core/networkFeatures';
import {
  allZeroError,
  isAllZero,
  networkSpanKm,
  noSignalNote,
  spreadNote,
  trainedSpreadKm,
} from '../core/scene/networkLimits';
import type { SceneEstimator } from '../core/scene/estimator';
import { sceneStations, type Scene } from '../core/scene/types';
import { SceneFeaturizer } from '../core/sceneFeatures';
import type { NodeNetworkModel } from '../node/nodeNetworkModel';
import type { RecordingRef } from './recordingScan';
import { namingScene, readWindows, type ModelSceneEstimate } from './sceneLocator';
import { ServedLocator } from './servedLocator';

/**
 * An any-network model (issue 13) as a scene estimator in Node: any scene of 2 to 12 stations
 * with positions, its recordings in the scene's member order with their stations' positions.
 */
export class NetworkSceneLocator
  extends ServedLocator
  implements SceneEstimator<RecordingRef, ModelSceneEstimate>
{
  private readonly featurizer: SceneFeaturizer;
  /** Tells a scene in which no receiver hears a signal (the live view's squelch). */
  private readonly squelch: Squelch;

  constructor(private readonly model: NodeNetworkModel) {
    super(model.metadata);
    this.featurizer = new SceneFeaturizer(model.metadata.preprocessing);
    this.squelch = new Squelch(model.metadata.preprocessing);
  }

  get version(): string {
    return this.model.metadata.version;
  }

  async locate(scene: Scene<RecordingRef>): Promise<ModelSceneEstimate> {
    const p = this.model.metadata.preprocessing;
    const read = await readWindows(
      scene.members.map((m) => m.recording),
      p,
    );
    // A recording of all zeros carries no measurement: it is left out (networkLimits.ts).
    const problems: HeimdallError[] = [];
    const seconds = windowSamples(p) / p.sampleRateHz;
    const kept = scene.members.flatMap((member, i) => {
      if (!isAllZero(read[i])) return [{ member, window: read[i] }];
      problems.push(allZeroError(member.recording.info.name, scene.id, seconds));
      return [];
    });
    const used: Scene<RecordingRef> = { ...scene, members: kept.map((k) => k.member) };
    const why = problems.length ? this.whyNot(used) : null;
    if (why) {
      const left = problems.map((e) => e.file).join(', ');
      throw new HeimdallError('SceneIncompleteError', `${why}: ${left} recorded only zeros`);
    }
    const refs = used.members.map((m) => m.recording);
    const files = refs.map((r) => r.info.name);
    const windows = kept.map((k) => k.window);
    const logMels = this.featurizer.logMels(windows);
    const est = await namingScene(scene.id, files, async () => {
      const geometry = networkGeometry(sceneStations(used));
      const logmel = normalizeScene(logMels, p);
      return (await this.model.predict([{ logmel, geometry }])).estimates[0];
    });
    const notes: string[] = [];
    const semiMajor95M = est.ellipses.find((e) => e.p === 0.95)?.semiMajorM ?? NaN;
    const spread = spreadNote(
      scene.id,
      networkSpanKm(sceneStations(used)),
      trainedSpreadKm(this.model.metadata.training),
      this.version,
      semiMajor95M,
    );
    if (spread) notes.push(spread);
    const squelch = this.squelch.decide(logMels);
    if (!squelch.open)
      notes.push(noSignalNote(scene.id, squelch.peakOverNoiseDb, squelch.thresholdDb));
    return {
      sceneId: scene.id,
      method: 'model',
      lat: est.lat,
      lon: est.lon,
      cov: est.cov,
      ellipses: est.ellipses,
      receiverIds: used.members.map((m) => m.station.id),
      modelVersion: this.version,
      files,
      ...(problems.length ? { problems } : {}),
      ...(notes.length ? { notes } : {}),
    };
  }
}
