import { stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { HeimdallError, isHeimdallError } from '../core/errors';
import type { GroupableInfo } from '../core/grouping';
import { nodeFileSource } from '../node/nodeFileSource';
import { openRecordings } from '../core/readers/open';
import { openSigmfPair } from '../core/readers/sigmf';
import { SIGMF_DATA, SIGMF_META } from '../core/readers/sigmfPairs';
import type { IqRecording, RawParams } from '../core/readers/types';

export interface OpenedRecording {
  recording: IqRecording;
  close(): Promise<void>;
}

/**
 * A recording found on disk, without its file handles: what grouping needs (a few strings), and
 * how to open it again when its scene is located. Holding these instead of open recordings keeps
 * the number of open files at a handful whatever the size of the batch.
 */
export interface RecordingRef {
  info: GroupableInfo;
  open(): Promise<OpenedRecording>;
}

function asHeimdallError(err: unknown, name: string): HeimdallError {
  if (isHeimdallError(err)) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new HeimdallError('CorruptFileError', `could not be read: ${message}`, name);
}

function groupable(info: GroupableInfo): GroupableInfo {
  // Only the fields grouping reads: a RecordingInfo's `extra` may hold a whole metadata object.
  const { name, captureTime, geolocation, receiverHint } = info;
  return { name, captureTime, geolocation, receiverHint };
}

async function openPair(metaPath: string, dataPath: string): Promise<OpenedRecording> {
  const meta = await nodeFileSource(metaPath);
  let data;
  try {
    data = await nodeFileSource(dataPath);
  } catch (err) {
    await meta.close();
    throw err;
  }
  const close = async () => {
    await Promise.all([meta.close(), data.close()]);
  };
  try {
    return { recording: await openSigmfPair(meta, data), close };
  } catch (err) {
    await close();
    throw err;
  }
}

async function openMembers(
  path: string,
  raw: RawParams | undefined,
): Promise<{ recordings: IqRecording[]; errors: HeimdallError[]; close(): Promise<void> }> {
  const source = await nodeFileSource(path);
  try {
    const opened = await openRecordings([source], raw);
    return {
      recordings: opened.recordings,
      errors: opened.errors.map((e) => e.error),
      close: () => source.close(),
    };
  } catch (err) {
    await source.close();
    throw err;
  }
}

/**
 * Tracks the SigMF recordings already taken, by base path: `x.sigmf-meta` and `x.sigmf-data` are
 * one recording, whichever of them (or both) the user names. A base is forgotten once both of
 * its files have been seen, so the set stays small when both are given.
 */
export class SigmfBases {
  private readonly seenOnce = new Set<string>();

  /** True the first time a base is seen; false for its second file. */
  take(base: string): boolean {
    const key = resolve(base);
    if (this.seenOnce.delete(key)) return false;
    this.seenOnce.add(key);
    return true;
  }
}

/**
 * The recordings in one path, opened once to read their metadata and closed again. SigMF tools
 * accept either file of a pair: the other one is looked for beside it.
 */
export async function scanPath(
  path: string,
  raw: RawParams | undefined,
  bases: SigmfBases,
): Promise<{ refs: RecordingRef[]; errors: HeimdallError[] }> {
  const lower = path.toLowerCase();
  const suffix = lower.endsWith(SIGMF_META)
    ? SIGMF_META
    : lower.endsWith(SIGMF_DATA)
      ? SIGMF_DATA
      : null;
  if (suffix) {
    const base = path.slice(0, path.length - suffix.length);
    if (!bases.take(base)) return { refs: [], errors: [] };
    const metaPath = base + SIGMF_META;
    const dataPath = base + SIGMF_DATA;
    const partner = suffix === SIGMF_META ? dataPath : metaPath;
    if (!(await stat(partner).catch(() => null))) {
      return {
        refs: [],
        errors: [
          new HeimdallError(
            'MissingParameterError',
            `SigMF needs both files of a recording: ${basename(partner)} is not beside it`,
            basename(path),
          ),
        ],
      };
    }
    try {
      const opened = await openPair(metaPath, dataPath);
      await opened.close();
      return {
        refs: [
          { info: groupable(opened.recording.info), open: () => openPair(metaPath, dataPath) },
        ],
        errors: [],
      };
    } catch (err) {
      return { refs: [], errors: [asHeimdallError(err, basename(dataPath))] };
    }
  }
  try {
    const opened = await openMembers(path, raw);
    await opened.close();
    const refs = opened.recordings.map((r) => {
      const member = r.info.name;
      return {
        info: groupable(r.info),
        async open(): Promise<OpenedRecording> {
          const again = await openMembers(path, raw);
          const recording = again.recordings.find((x) => x.info.name === member);
          if (!recording) {
            await again.close();
            throw new HeimdallError(
              'CorruptFileError',
              'changed on disk while the batch ran',
              member,
            );
          }
          return { recording, close: again.close };
        },
      };
    });
    return { refs, errors: opened.errors };
  } catch (err) {
    return { refs: [], errors: [asHeimdallError(err, basename(path))] };
  }
}
