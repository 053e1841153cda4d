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
  return {
    recordings: recordings.map((rec) => ({ id: engine.recordings.add(rec), info: rec.info })),
    errors: errors.map((e) => errorInfo(e.error, e.file)),
  };
}
