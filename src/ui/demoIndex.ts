/**
 * The bundled demo's index (public/demo/index.json, written by scripts/make-demo.ts): which
 * SigMF pairs make up each simulated scene and where its transmitter really was.
 */
import { z } from 'zod';

export const DEMO_BASE_URL = 'demo/';

export const demoIndexSchema = z.object({
  schema: z.literal('heimdall.demo/1'),
  seed: z.number().int(),
  physics: z.string(),
  durationS: z.number().positive(),
  scenes: z.array(
    z.object({
      id: z.string(),
      captureTime: z.string(),
      /** SigMF base names; each has a .sigmf-meta and a .sigmf-data beside index.json. */
      recordings: z.array(z.string()).min(1),
      truth: z.object({ lat: z.number(), lon: z.number() }),
    }),
  ),
});
export type DemoIndex = z.infer<typeof demoIndexSchema>;

/** Every file name of the demo, in scene order: the meta then the data of each recording. */
export function demoFileNames(index: DemoIndex): string[] {
  return index.scenes.flatMap((s) =>
    s.recordings.flatMap((base) => [`${base}.sigmf-meta`, `${base}.sigmf-data`]),
  );
}
