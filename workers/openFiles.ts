import { openRecordings } from '../src/core/readers/open';
import type { RawParams } from '../src/core/readers/types';
import type { Engine } from './engine';
import { errorInfo } from './errorInfo';
import { fileSources, type FileLike } from './fileSources';
import type { OpenFilesResult } from './types';

export type { FileLike } from './fileSources';

/**
 * Opens recordings from Files in the worker. Only headers and metadata are read here; the readers
 * slice the File for each sample window later, so no file is ever read whole. A SigMF pair is
 * two Files (.sigmf-meta and .sigmf-data) given together.
 */
export async function openFiles(
  engine: Engine,
  files: FileLike[],
  raw?: RawParams,
): Promise<OpenFilesResult> {
  // Every small file's read starts at once (byteSource.ts): they overlap instead of queueing.
  const sources = fileSources(files, true);
  const { recordings, errors } = await openRecordings(sources, raw);
  const ids = recordings.map((rec) => engine.recordings.add(rec));
  // A renamed KiwiSDR file dropped alone takes its GPS week from the files already open, or
  // gives theirs to one dropped before them.
  const opened = new Set(ids);
  const redated = engine.recordings
    .dateByPeers()
    .filter((id) => !opened.has(id))
    .map((id) => ({ id, info: engine.recordings.get(id).info }));
  return {
    recordings: recordings.map((rec, i) => ({ id: ids[i], info: rec.info })),
    errors: errors.map((e) => errorInfo(e.error, e.file)),
    ...(redated.length > 0 ? { redated } : {}),
  };
}
