import type { HeimdallError } from '../core/errors';
import type { RawParams } from '../core/readers/types';
import { expandInputs } from './inputPaths';
import { scanPath, SigmfBases, type RecordingRef } from './recordingScan';

/**
 * Every recording among `inputs` (files, or folders walked), one at a time and none held open;
 * each problem goes to `report` naming its file. Returns how many files were read.
 */
export async function scanInputs(
  inputs: readonly string[],
  raw: RawParams | undefined,
  onRecording: (ref: RecordingRef) => Promise<void>,
  report: (err: HeimdallError) => void,
): Promise<number> {
  const bases = new SigmfBases();
  let files = 0;
  for await (const item of expandInputs(inputs)) {
    if ('error' in item) {
      report(item.error);
      continue;
    }
    files++;
    const { refs, errors } = await scanPath(item.path, raw, bases);
    errors.forEach(report);
    for (const ref of refs) await onRecording(ref);
  }
  return files;
}
