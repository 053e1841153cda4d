import { blobSource } from '../src/core/readers/byteSource';
import { openRecordings } from '../src/core/readers/open';
import type { RawParams } from '../src/core/readers/types';
import type { Engine } from './engine';
import { errorInfo } from './errorInfo';
import type { OpenFilesResult } from './types';

/**
 * A File, or a Blob with the name it should be known by (data fetched from a URL, or where a File
 * would lose its name: Node's structured clone turns a File into a plain Blob).
 */
export type FileLike = File | { name: string; blob: Blob };

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
  const sources = files.map((f) =>
    'blob' in f ? blobSource(f.blob, f.name, true) : blobSource(f, f.name, true),
  );
  const { recordings, errors } = await openRecordings(sources, raw);
  return {
    recordings: recordings.map((rec) => ({ id: engine.recordings.add(rec), info: rec.info })),
    errors: errors.map((e) => errorInfo(e.error, e.file)),
  };
}
