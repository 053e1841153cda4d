import { readFile } from 'node:fs/promises';
import { HeimdallError } from '../core/errors';
import { parseStationList, validateStationList } from '../core/stations';
import type { Station } from '../core/scene/types';

// A byte order mark, which Windows editors put before UTF-8 text. The page's File.text() drops
// it; Node's readFile keeps it, and JSON.parse refuses it as an invisible "unexpected token".
const BYTE_ORDER_MARK = '\uFEFF';

async function readText(path: string): Promise<string> {
  try {
    const text = await readFile(path, 'utf8');
    return text.startsWith(BYTE_ORDER_MARK) ? text.slice(BYTE_ORDER_MARK.length) : text;
  } catch (err) {
    throw new HeimdallError(
      'ConfigError',
      `cannot read the station list (${(err as Error).message})`,
      path,
    );
  }
}

/** The operator's station list (--stations), or none; an unreadable or invalid file is an error naming it. */
export async function loadStationFile(path: string | undefined): Promise<Station[]> {
  if (!path) return [];
  return parseStationList(await readText(path), path).stations;
}

/** An entry that names a station but gives neither lat nor lon. */
function positionless(entry: unknown): entry is { id: string } {
  if (typeof entry !== 'object' || entry === null) return false;
  const e = entry as Record<string, unknown>;
  return typeof e.id === 'string' && e.lat == null && e.lon == null;
}

/**
 * The station list for `locate`, where one station without a position must not cost the others:
 * entries with an id but neither lat nor lon are left out, each with an error naming the file and
 * the station (its recordings then say they cannot be placed); anything else wrong with the file
 * is an error for the whole list, as in loadStationFile.
 */
export async function loadStationFileKeepingOthers(
  path: string | undefined,
): Promise<{ stations: Station[]; problems: HeimdallError[] }> {
  if (!path) return { stations: [], problems: [] };
  const text = await readText(path);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // parseStationList says what is wrong, in the same words as everywhere else.
    return { stations: parseStationList(text, path).stations, problems: [] };
  }
  const entries = (json as { stations?: unknown } | null)?.stations;
  if (!Array.isArray(entries))
    return { stations: validateStationList(json, path).stations, problems: [] };
  const problems = entries
    .filter(positionless)
    .map(
      (e) =>
        new HeimdallError(
          'ReceiverUnknownError',
          `station "${e.id}" has no position (lat and lon): its recordings cannot be placed until it has one`,
          path,
        ),
    );
  const placed = entries.filter((e) => !positionless(e));
  return {
    stations: validateStationList({ ...(json as object), stations: placed }, path).stations,
    problems,
  };
}
