/**
 * Generates the bundled demo (public/demo/): simulated scenes as SigMF pairs, concatenated into
 * one scenes.bin, plus an index.json that says where each file lies in it, which the UI's demo
 * button reads. Deterministic (fixed seed, nominal physics), so the demo and the
 * end-to-end tests see the same scenes on every machine. Run by `npm run demo` (and before every
 * build); public/demo is generated, never committed.
 */
import { readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { simulateToDirectory } from '../src/cli/simulateCommand';
import {
  DEMO_BUNDLE_FILE,
  demoFileNames,
  demoIndexSchema,
  type DemoIndex,
} from '../src/ui/demoIndex';

/** Enough scenes to show a spread of geometries; few enough to keep the bundle near 2 MB. */
const DEMO_SCENES = 8;
/** Longer than one model window at 12 kHz (32 frames x 256 hop = 0.68 s), short for download. */
const DEMO_DURATION_S = 0.75;
const DEMO_SEED = 20260101;

interface SigmfMetaWithTruth {
  global: { 'heimdall:scene': string };
  captures: { 'core:datetime': string }[];
  annotations: { 'heimdall:truth'?: { lat: number; lon: number } }[];
}

/** Writes the demo into `out` (replacing what was there); returns the number of scenes. */
export async function makeDemo(out: string): Promise<number> {
  await rm(out, { recursive: true, force: true });
  const baseNames = await simulateToDirectory({
    scenes: DEMO_SCENES,
    seed: DEMO_SEED,
    out,
    physics: 'nominal',
    durationS: DEMO_DURATION_S,
  });
  const scenes = new Map<string, DemoIndex['scenes'][number]>();
  for (const base of baseNames) {
    const meta = JSON.parse(
      await readFile(join(out, `${base}.sigmf-meta`), 'utf8'),
    ) as SigmfMetaWithTruth;
    const id = meta.global['heimdall:scene'];
    const truth = meta.annotations.find((a) => a['heimdall:truth'])?.['heimdall:truth'];
    if (!truth) throw new Error(`${base}.sigmf-meta has no heimdall:truth annotation`);
    const scene = scenes.get(id) ?? {
      id,
      captureTime: meta.captures[0]['core:datetime'],
      recordings: [],
      truth: { lat: truth.lat, lon: truth.lon },
    };
    scene.recordings.push(base);
    scenes.set(id, scene);
  }
  const sceneList = [...scenes.values()];
  // The files, in the order the page cuts them out, into one bundle (one request, not 49).
  const files: DemoIndex['files'] = [];
  const parts: Buffer[] = [];
  let offsetBytes = 0;
  for (const name of demoFileNames({ scenes: sceneList })) {
    const bytes = await readFile(join(out, name));
    files.push({ name, offsetBytes, sizeBytes: bytes.length });
    parts.push(bytes);
    offsetBytes += bytes.length;
    await unlink(join(out, name));
  }
  await writeFile(join(out, DEMO_BUNDLE_FILE), Buffer.concat(parts));
  const index: DemoIndex = {
    schema: 'heimdall.demo/2',
    seed: DEMO_SEED,
    physics: 'nominal',
    durationS: DEMO_DURATION_S,
    scenes: sceneList,
    files,
  };
  // Validated with the schema the UI reads it with, so a drift fails here, not in the browser.
  await writeFile(join(out, 'index.json'), JSON.stringify(demoIndexSchema.parse(index), null, 2));
  return index.scenes.length;
}

// Run as a script (`npm run demo [out]`); imported by vite.config.ts, it only exports.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = resolve(process.argv[2] ?? 'public/demo');
  const n = await makeDemo(out);
  console.error(`wrote ${n} demo scenes to ${out}`);
}
