/** Builds throwaway model registries for the server tests: fake model bytes with correct hashes. */
import { createHash } from 'node:crypto';
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ModelMetadata, RegistryEntry, RegistryFile } from '../../src/core/modelMetadata';

export function fakeModelBytes(version: string, sizeBytes = 4096): Buffer {
  // Distinct bytes per version so a test can tell which model it got.
  const seed = createHash('sha256').update(version).digest();
  return Buffer.from(
    Array.from({ length: sizeBytes }, (_, i) => seed[i % seed.length] ^ (i & 0xff)),
  );
}

export function fakeMetadata(version: string, bytes: Buffer, medianErrorKm = 12.5): ModelMetadata {
  return {
    schema: 'heimdall.model/1',
    version,
    description: `test model ${version}`,
    created: '2026-11-22T00:00:00Z',
    file: 'model.onnx',
    sha256: createHash('sha256').update(bytes).digest('hex'),
    sizeBytes: bytes.length,
    constellation: {
      id: 'test',
      name: 'Test constellation',
      bandHz: [144e6, 146e6],
      receivers: [
        { id: 'rx-a', name: 'A', lat: 45.03, lon: 7.27 },
        { id: 'rx-b', name: 'B', lat: 45.478, lon: 9.123 },
        { id: 'rx-c', name: 'C', lat: 44.395, lon: 8.956 },
      ],
    },
    preprocessing: {
      sampleRateHz: 12000,
      nFft: 512,
      hop: 256,
      window: 'hann-periodic',
      nMels: 128,
      nFrames: 32,
      melScale: 'signed-htk',
      powerScaling: 'mean-power',
      dbFloor: -150,
      normalization: { method: 'subtract-max-receiver-mean', scaleDb: 20 },
    },
    input: { name: 'features', shape: ['batch', 3, 128, 32] },
    output: {
      name: 'estimate',
      covariance: 'diagonal',
      layout: ['lat', 'lon', 'sigmaEastM', 'sigmaNorthM'],
      frame: 'local-east-north-at-estimate',
    },
    training: { seed: 1 },
    evaluation: [
      {
        set: 'test',
        scenes: 100,
        medianErrorKm,
        p90ErrorKm: 40,
        coverage68: 0.7,
        coverage95: 0.94,
      },
    ],
  };
}

/** Writes `<dir>/metadata.json` and `<dir>/model.onnx`; returns the bytes written. */
export async function writeVersionFolder(
  dir: string,
  version: string,
  sizeBytes?: number,
): Promise<Buffer> {
  const bytes = fakeModelBytes(version, sizeBytes);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'model.onnx'), bytes);
  await writeFile(
    join(dir, 'metadata.json'),
    JSON.stringify(fakeMetadata(version, bytes), null, 2),
  );
  return bytes;
}

export interface TempRegistry {
  root: string;
  registryPath: string;
  bytes: Record<string, Buffer>;
  readRegistry(): Promise<RegistryFile>;
  writeRegistryText(text: string): Promise<void>;
  cleanup(): Promise<void>;
}

/** A registry with 1.0.0 in production (weight 1) and 1.1.0 in staging (weight 0) unless told otherwise. */
export async function makeTempRegistry(
  entries: Array<Omit<RegistryEntry, 'path'>> = [
    { version: '1.0.0', stage: 'production', weight: 1 },
    { version: '1.1.0', stage: 'staging', weight: 0 },
  ],
): Promise<TempRegistry> {
  const root = await mkdtemp(join(tmpdir(), 'heimdall-registry-'));
  const registryPath = join(root, 'registry.json');
  const bytes: Record<string, Buffer> = {};
  for (const entry of entries)
    bytes[entry.version] = await writeVersionFolder(join(root, entry.version), entry.version);
  const registry: RegistryFile = {
    schema: 'heimdall.registry/1',
    models: entries.map((e) => ({ ...e, path: e.version })),
  };
  await writeFile(registryPath, JSON.stringify(registry, null, 2));
  return {
    root,
    registryPath,
    bytes,
    readRegistry: async () => JSON.parse(await readFile(registryPath, 'utf8')) as RegistryFile,
    writeRegistryText: (text) => writeFile(registryPath, text),
    cleanup: () => rm(root, { recursive: true, force: true }),
  };
}

/** A minimal Vite-like build: index.html and one hashed asset. */
export async function makeTempDist(): Promise<{ distDir: string; cleanup: () => Promise<void> }> {
  const distDir = await mkdtemp(join(tmpdir(), 'heimdall-dist-'));
  await mkdir(join(distDir, 'assets'));
  await writeFile(
    join(distDir, 'index.html'),
    '<!doctype html><title>heimdall</title><div id="root"></div>',
  );
  await writeFile(join(distDir, 'assets', 'app-abc123.js'), 'console.log("app");');
  return { distDir, cleanup: () => rm(distDir, { recursive: true, force: true }) };
}
