/**
 * `heimdall locate` when an any-network model (issue 13) is in play: recordings are placed at the
 * fixed-network model's receivers when they are one of them, otherwise by their own SigMF
 * position or the operator's station list; scenes are grouped by capture time over any stations,
 * and each scene goes to the model that serves it (ModelChoice). These scenes print once every
 * file has been read, since with any stations no scene is known to be complete before then.
 */
import { HeimdallError } from '../core/errors';
import { groupByCaptureTime } from '../core/scene/groupByTime';
import { placeForModels } from '../core/scene/placement';
import { servingNetworkVersion } from '../core/scene/servingModel';
import type { Placement, Station } from '../core/scene/types';
import type { RecordingInfo } from '../core/readers/types';
import { isNetworkModel } from '../core/networkModelMetadata';
import { loadNodeModel } from '../node/nodeModel';
import { loadNodeNetworkModel } from '../node/nodeNetworkModel';
import { readRegistryFile, readVersionMetadata, resolveVersionDir } from '../node/registry';
import { ModelChoice } from './modelChoice';
import { NetworkSceneLocator } from './networkSceneLocator';
import type { RecordingRef } from './recordingScan';
import { sceneLine, SceneLocator, type SceneLine } from './sceneLocator';

export interface LocateModels {
  fixed: SceneLocator | null;
  network: NetworkSceneLocator | null;
}

/**
 * The models `locate` uses: the pinned version alone, or else the registry's production model
 * and its any-network model (the newest version that is not archived), when it has one.
 */
export async function locateModels(registryPath: string, pinned?: string): Promise<LocateModels> {
  const load = async (version: string): Promise<LocateModels> => {
    const { dir } = await resolveVersionDir(registryPath, version);
    const { metadata } = await readVersionMetadata(dir);
    return isNetworkModel(metadata)
      ? { fixed: null, network: new NetworkSceneLocator(await loadNodeNetworkModel(dir)) }
      : { fixed: new SceneLocator(await loadNodeModel(dir)), network: null };
  };
  if (pinned) return load(pinned);
  const { models } = await readRegistryFile(registryPath);
  const kinds = await Promise.all(
    models.map(async (entry) => {
      const { dir } = await resolveVersionDir(registryPath, entry.version);
      return { entry, network: isNetworkModel((await readVersionMetadata(dir)).metadata) };
    }),
  );
  const production = kinds.find((k) => k.entry.stage === 'production');
  const anyNetwork = servingNetworkVersion(
    kinds.filter((k) => k.network).map((k) => k.entry),
  )?.version;
  const fixed = production && !production.network ? await load(production.entry.version) : null;
  const network = anyNetwork ? await load(anyNetwork) : null;
  if (!fixed && !network) {
    throw new HeimdallError('ConfigError', 'the registry has no production version', registryPath);
  }
  return { fixed: fixed?.fixed ?? null, network: network?.network ?? null };
}

/** A recording's station: a receiver of the fixed network, else its SigMF position or the list's. */
function placer(models: LocateModels, stations: readonly Station[]) {
  const constellation = models.fixed?.constellation ?? null;
  // Placement reads only the name, the position and the station id of the info.
  return (ref: RecordingRef): Placement | HeimdallError =>
    placeForModels(ref.info as RecordingInfo, { constellation, stations, byStationList: true });
}

/**
 * Groups recordings by capture time over any stations and locates each scene with the model that
 * serves it; `print` gets each located scene's line, `report` every problem.
 */
export async function locateGrouped(
  refs: readonly RecordingRef[],
  models: LocateModels,
  stations: readonly Station[],
  print: (line: SceneLine) => void,
  report: (err: unknown) => void,
  note: (text: string) => void = () => {},
): Promise<void> {
  const { scenes, errors } = groupByCaptureTime(refs, placer(models, stations));
  errors.forEach((e) => report(e.error));
  const choice = new ModelChoice(models.fixed, models.network);
  for (const scene of scenes) {
    try {
      const estimate = await choice.locate(scene);
      print(sceneLine(estimate));
      estimate.problems?.forEach(report);
      estimate.notes?.forEach(note);
    } catch (err) {
      report(err);
    }
  }
}
