import { HeimdallError } from '../errors';

export const SIGMF_META = '.sigmf-meta';
export const SIGMF_DATA = '.sigmf-data';

export interface FileError {
  file: string;
  error: HeimdallError;
}

function suffixOf(name: string): typeof SIGMF_META | typeof SIGMF_DATA | null {
  const lower = name.toLowerCase();
  if (lower.endsWith(SIGMF_META)) return SIGMF_META;
  if (lower.endsWith(SIGMF_DATA)) return SIGMF_DATA;
  return null;
}

/**
 * Pairs `X.sigmf-meta` with `X.sigmf-data` by base name (X compared exactly). `keyOf` says which
 * files are the same file (default: the name): with full paths, files of one name in two folders
 * are two recordings, each paired in its own folder. A member without its partner, or a second
 * file for the same member, is an error naming it; files that are neither come back in `rest`.
 */
export function pairSigmf<T>(
  items: readonly T[],
  nameOf: (item: T) => string,
  keyOf: (item: T) => string = nameOf,
): { pairs: { base: string; meta: T; data: T }[]; errors: FileError[]; rest: T[] } {
  const byBase = new Map<string, { base: string; meta?: T; data?: T }>();
  const errors: FileError[] = [];
  const rest: T[] = [];
  for (const item of items) {
    const name = nameOf(item);
    const suffix = suffixOf(name);
    if (!suffix) {
      rest.push(item);
      continue;
    }
    const base = name.slice(0, name.length - suffix.length);
    // The key ends with the name (a path ending in it), so its base is the path's.
    const key = keyOf(item);
    const keyBase = key.slice(0, key.length - suffix.length);
    const entry = byBase.get(keyBase) ?? { base };
    const role = suffix === SIGMF_META ? 'meta' : 'data';
    if (entry[role] !== undefined) {
      errors.push({
        file: name,
        error: new HeimdallError(
          'CorruptFileError',
          `a second file named ${base}${suffix} was given; using the first`,
          name,
        ),
      });
      continue;
    }
    entry[role] = item;
    byBase.set(keyBase, entry);
  }
  const pairs: { base: string; meta: T; data: T }[] = [];
  for (const { base, meta, data } of byBase.values()) {
    if (meta !== undefined && data !== undefined) {
      pairs.push({ base, meta, data });
    } else {
      const have = meta !== undefined ? `${base}${SIGMF_META}` : `${base}${SIGMF_DATA}`;
      const lacking = meta !== undefined ? `${base}${SIGMF_DATA}` : `${base}${SIGMF_META}`;
      errors.push({
        file: have,
        error: new HeimdallError(
          'MissingParameterError',
          `SigMF needs both files of a recording: ${lacking} is missing (add it alongside)`,
          have,
        ),
      });
    }
  }
  return { pairs, errors, rest };
}
