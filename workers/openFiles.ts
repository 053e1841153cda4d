import { blobSource } from '../src/core/readers/byteSource';
import { openRecordings } from '../src/core/readers/open';
import type { RawParams } from '../src/core/readers/types';
import type { Engine } from './engine';
import { errorInfo } from './errorInfo';
import type { OpenFilesResult } from './types';

/**
 * Opens recordings from Files in the worker. Only headers and metadata are read here; the readers
 * slice the File for each sample window later, so no file is ever read whole. A SigMF pair is
 * two Files (.sigmf-meta and .sigmf-data) given together.
 */
export async function openFiles(
  engine: Engine,
  files: File[],
  raw?: RawParams,
): Promise<OpenFilesResult> {
  const { recordings, errors } = await openRecordings(
    files.map((f) => blobSource(f, f.name)),
    raw,
  );
  return {
    recordings: recordings.map((rec) => ({ id: engine.recordings.add(rec), info: rec.info })),
    errors: errors.map((e) => errorInfo(e.error, e.file)),
  };
}
