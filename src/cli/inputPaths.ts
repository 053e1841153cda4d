import { opendir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { HeimdallError } from '../core/errors';

/**
 * File names a folder walk picks up: the recording formats we read. A file named on the command
 * line is always tried, whatever its name; inside a folder a README or a PNG is not a recording.
 */
const RECORDING_NAME = /\.(sigmf-meta|sigmf-data|sigmf|wav|cu8|cs16|cf32|cfile|raw|iq|bin|dat)$/i;

/** Folders nested deeper than this are not walked (a symlink loop, or a mistake). */
export const MAX_FOLDER_DEPTH = 32;

export type InputItem = { path: string } | { error: HeimdallError };

/** A folder's entries, sorted so the order (and so the output) does not depend on the disk. */
async function sortedEntries(dir: string): Promise<{ name: string; isDir: boolean }[]> {
  const entries: { name: string; isDir: boolean }[] = [];
  for await (const e of await opendir(dir)) {
    // A symlink is followed to what it points at; a dangling one is reported when opened.
    let isDir = e.isDirectory();
    if (e.isSymbolicLink())
      isDir = (await stat(join(dir, e.name)).catch(() => null))?.isDirectory() ?? false;
    entries.push({ name: e.name, isDir });
  }
  return entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Identity of what a path names (device and inode), or null when it cannot be stat'ed. */
async function fileId(path: string): Promise<string | null> {
  return stat(path).then(
    (s) => `${s.dev}:${s.ino}`,
    () => null,
  );
}

/**
 * True the first time a file or folder is met. The same file named twice (`dir dir/x.wav`, a link
 * to it) is read once: read twice it would be a second recording of its station in its scene.
 */
async function firstTime(path: string, seen: Set<string>): Promise<boolean> {
  const id = await fileId(path);
  if (id === null) return true; // missing or unreadable: opening it says so, naming the file
  if (seen.has(id)) return false;
  seen.add(id);
  return true;
}

async function* walk(dir: string, depth: number, seen: Set<string>): AsyncGenerator<InputItem> {
  if (!(await firstTime(dir, seen))) return; // a symlink back to a folder already walked
  if (depth > MAX_FOLDER_DEPTH) {
    yield {
      error: new HeimdallError(
        'ConfigError',
        `folders nested deeper than ${MAX_FOLDER_DEPTH} levels are not walked`,
        dir,
      ),
    };
    return;
  }
  let entries;
  try {
    entries = await sortedEntries(dir);
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    yield { error: new HeimdallError('ConfigError', `cannot list the folder (${why})`, dir) };
    return;
  }
  for (const e of entries) {
    const path = join(dir, e.name);
    if (e.isDir) yield* walk(path, depth + 1, seen);
    else if (RECORDING_NAME.test(e.name) && (await firstTime(path, seen))) yield { path };
  }
}

/**
 * The files to read, one at a time, from the command line's arguments: a file as given, a
 * folder as every recording inside it (recursively, in name order), each file once however
 * often it is named. A folder lets a batch of any size through: 60,000 paths would not fit the
 * operating system's argument limit.
 */
export async function* expandInputs(args: readonly string[]): AsyncGenerator<InputItem> {
  const seen = new Set<string>();
  for (const arg of args) {
    const s = await stat(arg).catch(() => null);
    if (s?.isDirectory()) yield* walk(arg, 0, seen);
    // Missing or not regular: opening it says so, naming the file.
    else if (await firstTime(arg, seen)) yield { path: arg };
  }
}
