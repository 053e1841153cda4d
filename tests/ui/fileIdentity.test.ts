/**
 * When a file opened is the same file as one open (src/state/fileIdentity.ts): name, size and
 * last-modified time, the time compared only as the browser gives it; and how files that share a
 * name are numbered.
 */
import { describe, expect, it } from 'vitest';
import { placeOpened, recordingLabel, stampFor, stampOf } from '../../src/state/fileIdentity';
import type { RecordingEntry } from '../../src/state/types';
import { recording } from './fixtures';

const SAVED_MS = Date.parse('2026-01-01T12:00:00Z');
const onDisk = (name: string, bytes = 8, savedMs = SAVED_MS) =>
  new File([new Uint8Array(bytes)], name, { lastModified: savedMs });
/** A part of the demo's one download, as src/ui/demoIndex.ts cuts it. */
const part = (name: string, sizeBytes: number) => ({
  name,
  blob: new Blob([new Uint8Array(64)]),
  offsetBytes: 0,
  sizeBytes,
});
const entry = (id: string, name: string, file: ReturnType<typeof stampOf> | undefined) =>
  ({ ...recording(id, name), ...(file ? { file } : {}) }) as RecordingEntry;

describe('a file opened again', () => {
  it('is the same file by name, size and time, and a download by name and size', () => {
    const open = [entry('rec-1', 'a.sigmf-data', stampOf(onDisk('a.sigmf-data')))];
    expect(
      placeOpened(open, [entry('rec-2', 'a.sigmf-data', stampOf(onDisk('a.sigmf-data')))]).replaced,
    ).toEqual(open);
    const demo = [entry('rec-1', 'x.sigmf-data', stampOf(part('x.sigmf-data', 40)))];
    expect(
      placeOpened(demo, [entry('rec-2', 'x.sigmf-data', stampOf(part('x.sigmf-data', 40)))])
        .replaced,
    ).toEqual(demo);
  });

  it('is another file when its time, its size or where it came from differs', () => {
    const open = [entry('rec-1', 'a.sigmf-data', stampOf(onDisk('a.sigmf-data')))];
    const others = [
      stampOf(onDisk('a.sigmf-data', 8, SAVED_MS + 1000)),
      stampOf(onDisk('a.sigmf-data', 9)),
      // A download of the same name and size: no time to tell, so never taken for the disk's file.
      stampOf(part('a.sigmf-data', 8)),
      undefined,
    ];
    for (const file of others) {
      const { entries, replaced } = placeOpened(open, [entry('rec-2', 'a.sigmf-data', file)]);
      expect(replaced).toEqual([]);
      expect(entries.map(recordingLabel)).toEqual(['a.sigmf-data (2)']);
    }
  });

  it('finds the file a recording was read from: its own, its SigMF data file, its archive', () => {
    const files = [
      onDisk('r.sigmf-meta', 3),
      onDisk('r.sigmf-data', 5),
      onDisk('set.sigmf', 7),
      { name: 'fetched.wav', blob: new Blob([new Uint8Array(11)]) },
    ];
    expect(stampFor('r.sigmf-data', files)).toEqual({ sizeBytes: 5, lastModifiedMs: SAVED_MS });
    expect(stampFor('set.sigmf/rx1.sigmf-data', files)).toEqual({
      sizeBytes: 7,
      lastModifiedMs: SAVED_MS,
    });
    expect(stampFor('fetched.wav', files)).toEqual({ sizeBytes: 11 });
    expect(stampFor('elsewhere.wav', files)).toBeUndefined();
  });
});

describe('files that share a name', () => {
  it('are numbered from 2, and a copy that replaces one keeps its number', () => {
    const stamp = (savedMs: number) => ({ sizeBytes: 8, lastModifiedMs: savedMs });
    let open: RecordingEntry[] = [];
    const add = (id: string, savedMs: number) => {
      const { entries, replaced } = placeOpened(open, [entry(id, 'r.sigmf-data', stamp(savedMs))]);
      open = [...open.filter((o) => !replaced.includes(o)), ...entries];
      return open.map((o) => `${o.id} ${recordingLabel(o)}`);
    };
    expect(add('rec-1', 1)).toEqual(['rec-1 r.sigmf-data']);
    expect(add('rec-2', 2)).toEqual(['rec-1 r.sigmf-data', 'rec-2 r.sigmf-data (2)']);
    expect(add('rec-3', 3)).toEqual([
      'rec-1 r.sigmf-data',
      'rec-2 r.sigmf-data (2)',
      'rec-3 r.sigmf-data (3)',
    ]);
    expect(add('rec-4', 2)).toEqual([
      'rec-1 r.sigmf-data',
      'rec-3 r.sigmf-data (3)',
      'rec-4 r.sigmf-data (2)',
    ]);
    expect(add('rec-5', 1)).toEqual([
      'rec-3 r.sigmf-data (3)',
      'rec-4 r.sigmf-data (2)',
      'rec-5 r.sigmf-data',
    ]);
    // Beside a numbered one alone, a new file takes the lowest number free.
    open = open.filter((o) => o.id === 'rec-3');
    expect(add('rec-6', 6)).toEqual(['rec-3 r.sigmf-data (3)', 'rec-6 r.sigmf-data (2)']);
  });
});
