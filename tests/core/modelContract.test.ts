import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  MANIFEST_SCHEMA,
  manifestSchema,
  modelMetadataSchema,
  REGISTRY_SCHEMA,
  registryFileSchema,
  sceneInputDims,
  toManifestEntry,
  type RegistryEntry,
} from '../../src/core/modelMetadata';
import { loadRegistry } from '../../src/node/registry';
import {
  fakeMetadata,
  fakeModelBytes,
  makeTempRegistry,
  type TempRegistry,
} from '../server/tempRegistry';

const metadata = fakeMetadata('1.0.0', fakeModelBytes('1.0.0'));
const issues = (result: { success: boolean; error?: { issues: { message: string }[] } }) =>
  result.success ? [] : result.error!.issues.map((i) => i.message);

describe('the input shape is part of the contract', () => {
  it('accepts [batch, receivers, nMels, nFrames] and hands out the scene dims', () => {
    const parsed = modelMetadataSchema.parse(metadata);
    expect(sceneInputDims(parsed)).toEqual([3, 128, 32]);
  });

  it.each([
    ['a receiver too many', ['batch', 4, 128, 32]],
    ['mels and frames swapped', ['batch', 3, 32, 128]],
    ['no batch axis', [3, 128, 32]],
    ['a named receiver axis', ['batch', 'receivers', 128, 32]],
  ])('rejects %s, naming the shape it expected', (_case, shape) => {
    const result = modelMetadataSchema.safeParse({ ...metadata, input: { name: 'x', shape } });
    expect(issues(result)).toEqual([
      `input shape [${shape.join(', ')}] does not match [batch, 3, 128, 32] (receivers, nMels, nFrames)`,
    ]);
  });
});

describe('version lists (registry.json and the manifest)', () => {
  const entry = (version: string, stage: RegistryEntry['stage']): RegistryEntry => ({
    version,
    stage,
    weight: 0,
    path: version,
  });
  const manifestOf = (entries: RegistryEntry[]) => ({
    schema: MANIFEST_SCHEMA,
    generated: '2026-12-01T00:00:00Z',
    models: entries.map((e) => toManifestEntry(e, { ...metadata, version: e.version })),
  });

  it('accept one production version and any number of others', () => {
    const entries = [
      entry('1.0.0', 'production'),
      entry('1.1.0', 'staging'),
      entry('0.9.0', 'archived'),
    ];
    expect(registryFileSchema.safeParse({ schema: REGISTRY_SCHEMA, models: entries }).success).toBe(
      true,
    );
    expect(manifestSchema.safeParse(manifestOf(entries)).success).toBe(true);
  });

  it.each([
    [
      'two production versions',
      [entry('1.0.0', 'production'), entry('1.1.0', 'production')],
      'more than one production version: 1.0.0, 1.1.0',
    ],
    [
      'a version listed twice',
      [entry('1.0.0', 'production'), entry('1.0.0', 'staging')],
      'version 1.0.0 is listed twice',
    ],
  ])('reject %s, in the registry and in the manifest alike', (_case, entries, message) => {
    expect(
      issues(registryFileSchema.safeParse({ schema: REGISTRY_SCHEMA, models: entries })),
    ).toEqual([message]);
    expect(issues(manifestSchema.safeParse(manifestOf(entries)))).toEqual([message]);
  });

  it('a manifest entry carries the manifest fields of the metadata and no others', () => {
    const line = toManifestEntry(entry('1.0.0', 'production'), metadata);
    expect(Object.keys(line).sort()).toEqual(
      [
        'version',
        'stage',
        'weight',
        'path',
        'sha256',
        'sizeBytes',
        'created',
        'description',
        'evaluation',
        'preprocessing',
        'output',
        'constellation',
        'url',
        'metadataUrl',
      ].sort(),
    );
    expect(line.url).toBe('/models/1.0.0/model.onnx');
    expect(line.metadataUrl).toBe('/api/models/1.0.0');
  });
});

describe('the Node registry reader applies the same contract', () => {
  let registry: TempRegistry;
  afterEach(() => registry?.cleanup());

  it('rejects a version whose input shape does not fit its constellation, naming metadata.json', async () => {
    registry = await makeTempRegistry();
    const metadataPath = join(registry.root, '1.1.0', 'metadata.json');
    const json = JSON.parse(await readFile(metadataPath, 'utf8'));
    json.input.shape = ['batch', 2, 128, 32];
    await writeFile(metadataPath, JSON.stringify(json));
    const error = await loadRegistry(registry.registryPath).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'ManifestError', file: metadataPath });
    expect((error as Error).message).toMatch(/input shape \[batch, 2, 128, 32\] does not match/);
  });
});
