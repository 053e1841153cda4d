import { blobSource, sliceSource, type ByteSource } from '../src/core/readers/byteSource';

/**
 * What the page hands the worker to open: a File; a Blob with the name it should be known by
 * (data fetched from a URL, or where a File would lose its name: Node's structured clone turns a
 * File into a plain Blob); or a named byte range of a Blob. The range form serves files packed
 * into one download (the demo's scenes.bin): one Blob crosses to the worker and is read once,
 * where a File per part cost a round trip to the browser process for each part on both threads
 * (96 parts: about 0.1 s to cut on the page and 0.2 s of reads in the worker, in a trace of a
 * repeat visit on the loaded 2-core machine, `npx tsx scripts/trace-start.ts`).
 */
export type FileLike =
  | File
  | { name: string; blob: Blob }
  | { name: string; blob: Blob; offsetBytes: number; sizeBytes: number };

/**
 * One ByteSource per file, in order. Ranges of the same Blob share one source of the whole Blob,
 * so it is read (and, with `prefetch`, fetched) once for all of them.
 */
export function fileSources(files: readonly FileLike[], prefetch = false): ByteSource[] {
  const wholes = new Map<Blob, ByteSource>();
  return files.map((f) => {
    if (!('blob' in f)) return blobSource(f, f.name, prefetch);
    if (!('offsetBytes' in f)) return blobSource(f.blob, f.name, prefetch);
    let whole = wholes.get(f.blob);
    if (!whole) wholes.set(f.blob, (whole = blobSource(f.blob, f.name, prefetch)));
    return sliceSource(whole, f.offsetBytes, f.sizeBytes, f.name);
  });
}
