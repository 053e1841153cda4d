/**
 * When a file opened is the same file as one already open. A name alone does not say: recorders
 * write the same names (`recording.sigmf-data`) in every folder, and two folders' files dropped one
 * after the other are two recordings. The same file dropped again replaces its earlier copy; a
 * different file of the same name is kept beside it, and numbered so the two can be told apart.
 */
import type { FileLike } from '../bridge/inferenceBridge';
import type { FileStamp, RecordingEntry } from './types';

/** Size and, where the browser gives it, last-modified time of what the page handed the worker. */
export function stampOf(file: FileLike): FileStamp {
  if (!('blob' in file)) return { sizeBytes: file.size, lastModifiedMs: file.lastModified };
  // A part of a download (the demo's bundle) or fetched data has no modification time of its own.
  if ('offsetBytes' in file) return { sizeBytes: file.sizeBytes };
  const { blob } = file;
  return blob instanceof File
    ? { sizeBytes: blob.size, lastModifiedMs: blob.lastModified }
    : { sizeBytes: blob.size };
}

/**
 * The stamp of the file a recording was read from: the file of its name (a SigMF pair is named
 * after its data file: metadata corrected beside the same samples is still that recording), or
 * the archive an `archive/member` name points into.
 */
export function stampFor(recordingName: string, files: readonly FileLike[]): FileStamp | undefined {
  const file =
    files.find((f) => f.name === recordingName) ??
    files.find((f) => recordingName.startsWith(`${f.name}/`));
  return file && stampOf(file);
}

/**
 * Same name, size and last-modified time. A time missing on both sides (two downloads) is equal;
 * missing on one side only (a download and a file from disk) is not. A recording with no stamp is
 * the same as nothing, so it is never replaced by a guess.
 */
export function sameFile(a: RecordingEntry, b: RecordingEntry): boolean {
  return (
    a.name === b.name &&
    a.file !== undefined &&
    b.file !== undefined &&
    a.file.sizeBytes === b.file.sizeBytes &&
    a.file.lastModifiedMs === b.file.lastModifiedMs
  );
}

/**
 * Where recordings just opened go among those open: the open ones each replaces (the same file),
 * and each numbered when another file of its name stays open. A copy that replaces one takes its
 * number, so a file dropped again keeps the label the operator knew it by.
 */
export function placeOpened(
  open: readonly RecordingEntry[],
  opened: readonly RecordingEntry[],
): { entries: RecordingEntry[]; replaced: RecordingEntry[] } {
  const replaced = open.filter((o) => opened.some((r) => r.id !== o.id && sameFile(o, r)));
  const kept = open.filter((o) => !replaced.includes(o));
  const entries: RecordingEntry[] = [];
  for (const r of opened) {
    const earlier = replaced.find((o) => sameFile(o, r));
    const others = [...kept, ...entries].filter((o) => o.name === r.name);
    const copy = earlier ? earlier.copy : others.length > 0 ? freeCopy(others) : undefined;
    entries.push(copy === undefined ? r : { ...r, copy });
  }
  return { entries, replaced };
}

/** The lowest number from 2 up that none of these uses (the unnumbered one counts as 1). */
function freeCopy(others: readonly RecordingEntry[]): number {
  const used = new Set(others.map((o) => o.copy ?? 1));
  let n = 2;
  while (used.has(n)) n++;
  return n;
}

/** A recording's name as shown: with its number where another open file has the same name. */
export function recordingLabel(r: Pick<RecordingEntry, 'name' | 'copy'>): string {
  return r.copy === undefined ? r.name : `${r.name} (${r.copy})`;
}
