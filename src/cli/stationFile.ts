import { readFile } from 'node:fs/promises';
import { HeimdallError } from '../core/errors';
import { parseStationList } from '../core/stations';
import type { Station } from '../core/scene/types';

/** The operator's station list (--stations), or none; an unreadable or invalid file is an error naming it. */
export async function loadStationFile(path: string | undefined): Promise<Station[]> {
  if (!path) return [];
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new HeimdallError(
      'ConfigError',
      `cannot read the station list (${(err as Error).message})`,
      path,
    );
  }
  return parseStationList(text, path).stations;
}
