import { openRecordings } from '../src/core/readers/open';
import type { RawParams } from '../src/core/readers/types';
import type { Engine } from './engine';
import { fileSources, type FileLike } from './fileSources';

/** What an earlier openFiles call returned, as the page kept it to reopen after a restart. */
export interface ReopenEntry {
  files: FileLike[];
  raw?: RawParams;
  /** The recordings that call returned, in its order: id and name, or null once closed. */
  recordings: ({ id: string; name: string } | null)[];
}

/**
 * Restart support: opens the files of an earlier openFiles call again, in a worker that replaced
 * one that stopped, and gives each recording back its old id. The same files in the same order
 * open into the same recordings; a name check guards the match anyway. Returns the ids restored.
 */
export async function reopenFiles(engine: Engine, entry: ReopenEntry): Promise<string[]> {
  const sources = fileSources(entry.files);
  const { recordings } = await openRecordings(sources, entry.raw);
  const restored: string[] = [];
  recordings.forEach((rec, i) => {
    const old = entry.recordings[i];
    if (!old || old.name !== rec.info.name) return;
    engine.recordings.adopt(old.id, rec);
    restored.push(old.id);
  });
  // Files opened by separate calls dated each other (openFiles.ts): so they do again.
  engine.recordings.dateByPeers();
  return restored;
}
