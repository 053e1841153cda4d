/**
 * The bundled demo's index (public/demo/index.json, written by scripts/make-demo.ts): which
 * SigMF pairs make up each simulated scene, where its transmitter really was, and where each
 * file lies in the one bundle the page fetches (public/demo/scenes.bin).
 */
import { z } from 'zod';

export const DEMO_BASE_URL = 'demo/';
/** Every demo file, concatenated in the index's `files` order. */
export const DEMO_BUNDLE_FILE = 'scenes.bin';

export const demoIndexSchema = z.object({
  schema: z.literal('heimdall.demo/2'),
  seed: z.number().int(),
  physics: z.string(),
  durationS: z.number().positive(),
  scenes: z.array(
    z.object({
      id: z.string(),
      captureTime: z.string(),
      /** SigMF base names; each has a .sigmf-meta and a .sigmf-data in the bundle. */
      recordings: z.array(z.string()).min(1),
      truth: z.object({ lat: z.number(), lon: z.number() }),
    }),
  ),
  /**
   * One bundle instead of a request per file: the 49 requests of 8 scenes took 1.0-2.0 s on a
   * repeat visit at load 8 (Chromium opens 6 connections per host; `npx tsx
   * scripts/trace-start.ts`), on the path to the first estimate.
   */
  files: z.array(
    z.object({
      name: z.string(),
      offsetBytes: z.number().int().nonnegative(),
      sizeBytes: z.number().int().nonnegative(),
    }),
  ),
});
export type DemoIndex = z.infer<typeof demoIndexSchema>;

/** Every file name of the demo, in scene order: the meta then the data of each recording. */
export function demoFileNames(index: Pick<DemoIndex, 'scenes'>): string[] {
  return index.scenes.flatMap((s) =>
    s.recordings.flatMap((base) => [`${base}.sigmf-meta`, `${base}.sigmf-data`]),
  );
}

/** One demo file: where it lies in the bundle, in the form the worker opens (workers/fileSources). */
export interface DemoFile {
  name: string;
  blob: Blob;
  offsetBytes: number;
  sizeBytes: number;
}

/**
 * The demo's files as ranges of the bundle, in demoFileNames order. Ranges, not a File sliced
 * per part: each Blob made costs a round trip to the browser process (96 of them took about
 * 0.1 s on the page's thread at load), and the worker then reads the bundle once. A file the
 * index does not place, or one placed beyond the bundle's end, is an error naming it.
 */
export function demoFiles(index: DemoIndex, bundle: Blob): DemoFile[] {
  const placed = new Map(index.files.map((f) => [f.name, f]));
  return demoFileNames(index).map((name) => {
    const part = placed.get(name);
    if (!part) throw new Error(`${DEMO_BUNDLE_FILE}: the demo index places no ${name}`);
    const end = part.offsetBytes + part.sizeBytes;
    if (end > bundle.size)
      throw new Error(
        `${DEMO_BUNDLE_FILE}: ${name} ends at byte ${end}, the bundle at ${bundle.size}`,
      );
    return { name, blob: bundle, offsetBytes: part.offsetBytes, sizeBytes: part.sizeBytes };
  });
}
