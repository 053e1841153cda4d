/** Runs one hostile-corpus case through the readers the way the app and the CLI do. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { blobSource, type ByteSource } from '../../src/core/readers/byteSource';
import { openRecordings } from '../../src/core/readers/open';
import { modelMetadataSchema, type Preprocessing } from '../../src/core/modelMetadata';
import { readModelWindow } from '../../src/core/sceneInput';

export const HOSTILE_DIR = join(import.meta.dirname, '../fixtures/hostile');

export interface CorpusCase {
  files: string[];
  expect: string;
  match?: string;
  errorFile?: string;
  problem: string;
}

export function loadManifest(): CorpusCase[] {
  return JSON.parse(readFileSync(join(HOSTILE_DIR, 'manifest.json'), 'utf8')) as CorpusCase[];
}

export function corpusSource(name: string): ByteSource {
  return blobSource(new Blob([readFileSync(join(HOSTILE_DIR, 'files', name))]), name);
}

export const preprocessing: Preprocessing = modelMetadataSchema.parse(
  JSON.parse(
    readFileSync(join(import.meta.dirname, '../../public/models/1.1.0/metadata.json'), 'utf8'),
  ),
).preprocessing;

/** Samples read from each recording before the model window: all of a small file. */
const SAMPLES_READ = 1 << 16;

/**
 * The first error opening, reading or windowing the files gives, or the number of recordings
 * that went all the way through.
 */
export async function runCase(
  sources: ByteSource[],
): Promise<{ error: Error } | { recordings: number }> {
  try {
    const { recordings, errors } = await openRecordings(sources);
    if (errors.length > 0) return { error: errors[0].error };
    for (const rec of recordings) {
      await rec.readSamples(0, Math.min(rec.info.totalSamples, SAMPLES_READ));
      await readModelWindow(rec, preprocessing);
    }
    return { recordings: recordings.length };
  } catch (err) {
    return { error: err as Error };
  }
}
