/**
 * Writes a simulated TDoA scene into a folder (Node only): its recordings, stations.json and
 * truth.json. Used by `heimdall simulate-tdoa` and by the evaluation.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TdoaScene } from '../core/sim/tdoa/scene';
import { sceneFiles } from '../core/sim/tdoa/sceneFiles';

/** Returns the paths of the recordings (SigMF: both halves), stations.json and truth.json. */
export async function writeSceneFiles(
  scene: TdoaScene,
  dir: string,
): Promise<{ recordings: string[]; stationsJson: string; truthJson: string }> {
  await mkdir(dir, { recursive: true });
  const files = sceneFiles(scene);
  const recordings: string[] = [];
  for (const f of files.recordings) {
    const path = join(dir, f.name);
    await writeFile(path, f.bytes);
    recordings.push(path);
  }
  const stationsJson = join(dir, files.stationsJson.name);
  const truthJson = join(dir, files.truthJson.name);
  await writeFile(stationsJson, files.stationsJson.bytes);
  await writeFile(truthJson, files.truthJson.bytes);
  return { recordings, stationsJson, truthJson };
}
