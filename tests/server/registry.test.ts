import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RegistryFile } from '../../src/core/modelMetadata';
import {
  addVersion,
  loadRegistry,
  promoteVersion,
  setVersionWeight,
  writeRegistryAtomic,
} from '../../src/node/registry';
import { makeTempRegistry, writeVersionFolder, type TempRegistry } from './tempRegistry';

let registry: TempRegistry;
afterEach(() => registry?.cleanup());

describe('loadRegistry', () => {
  it('loads every version with its metadata and model path', async () => {
    registry = await makeTempRegistry();
    const loaded = await loadRegistry(registry.registryPath);
    expect(loaded.versions.map((v) => v.entry.version)).toEqual(['1.0.0', '1.1.0']);
    expect(loaded.versions[0].modelPath).toBe(join(registry.root, '1.0.0', 'model.onnx'));
    expect(loaded.versions[0].metadata.sizeBytes).toBe(4096);
  });

  it.each([
    ['not JSON', '{ "schema": ', /registry\.json: not valid JSON/],
    [
      'wrong schema',
      '{"schema":"heimdall.registry/0","models":[]}',
      /registry\.json: invalid content/,
    ],
    [
      'weight above 1',
      '{"schema":"heimdall.registry/1","models":[{"version":"1.0.0","stage":"production","weight":2,"path":"1.0.0"}]}',
      /weight/,
    ],
    [
      'two production versions',
      '{"schema":"heimdall.registry/1","models":[{"version":"1.0.0","stage":"production","weight":1,"path":"1.0.0"},{"version":"1.1.0","stage":"production","weight":0,"path":"1.1.0"}]}',
      /more than one production version: 1\.0\.0, 1\.1\.0/,
    ],
    [
      'a version listed twice',
      '{"schema":"heimdall.registry/1","models":[{"version":"1.0.0","stage":"production","weight":1,"path":"1.0.0"},{"version":"1.0.0","stage":"staging","weight":0,"path":"1.0.0"}]}',
      /version 1\.0\.0 is listed twice/,
    ],
    [
      'a missing version folder',
      '{"schema":"heimdall.registry/1","models":[{"version":"2.0.0","stage":"staging","weight":0,"path":"2.0.0"}]}',
      /2\.0\.0[/\\]metadata\.json: cannot read file \(ENOENT\)/,
    ],
  ])('rejects %s with a ManifestError naming the file', async (_case, text, message) => {
    registry = await makeTempRegistry();
    await registry.writeRegistryText(text);
    const error = await loadRegistry(registry.registryPath).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'ManifestError' });
    expect((error as Error).message).toMatch(message);
  });

  it('reports a model whose sha256 differs from its metadata', async () => {
    registry = await makeTempRegistry();
    const modelPath = join(registry.root, '1.1.0', 'model.onnx');
    const bytes = await readFile(modelPath);
    bytes[17] ^= 0xff; // same size, different content
    await writeFile(modelPath, bytes);
    const error = await loadRegistry(registry.registryPath).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'ModelIntegrityError', file: modelPath });
    expect((error as Error).message).toMatch(
      /sha256 is [0-9a-f]{64} but metadata\.json says [0-9a-f]{64}/,
    );
  });

  it('reports a model whose size differs, a missing model and a metadata version mismatch', async () => {
    registry = await makeTempRegistry();
    const modelPath = join(registry.root, '1.1.0', 'model.onnx');
    await writeFile(modelPath, Buffer.alloc(100));
    await expect(loadRegistry(registry.registryPath)).rejects.toThrow(
      /size is 100 bytes but metadata\.json says 4096/,
    );
    await rm(modelPath);
    await expect(loadRegistry(registry.registryPath)).rejects.toThrow(
      /model file is missing \(ENOENT\)/,
    );
    await writeVersionFolder(join(registry.root, '1.1.0'), '1.2.0');
    await expect(loadRegistry(registry.registryPath)).rejects.toThrow(
      /version is 1\.2\.0 but the registry lists this folder as 1\.1\.0/,
    );
  });

  it('refuses a metadata file name that could leave the version folder', async () => {
    registry = await makeTempRegistry();
    const metadataPath = join(registry.root, '1.1.0', 'metadata.json');
    const metadata = JSON.parse(await readFile(metadataPath, 'utf8'));
    await writeFile(metadataPath, JSON.stringify({ ...metadata, file: '../1.0.0/model.onnx' }));
    await expect(loadRegistry(registry.registryPath)).rejects.toThrow(/must be a plain file name/);
  });
});

describe('writeRegistryAtomic', () => {
  it('replaces the file and leaves no temporary file behind', async () => {
    registry = await makeTempRegistry();
    const next: RegistryFile = {
      schema: 'heimdall.registry/1',
      models: [{ version: '1.0.0', stage: 'production', weight: 0.5, path: '1.0.0' }],
    };
    await writeRegistryAtomic(registry.registryPath, next);
    expect(await registry.readRegistry()).toEqual(next);
    expect((await readdir(registry.root)).sort()).toEqual(['1.0.0', '1.1.0', 'registry.json']);
  });

  it('refuses an invalid registry and leaves the old file and no temporary file', async () => {
    registry = await makeTempRegistry();
    const before = await readFile(registry.registryPath, 'utf8');
    const invalid = {
      schema: 'heimdall.registry/1',
      models: [{ version: 'x', stage: 'live', weight: 3, path: '' }],
    };
    await expect(
      writeRegistryAtomic(registry.registryPath, invalid as unknown as RegistryFile),
    ).rejects.toMatchObject({
      name: 'ManifestError',
    });
    expect(await readFile(registry.registryPath, 'utf8')).toBe(before);
    expect((await readdir(registry.root)).sort()).toEqual(['1.0.0', '1.1.0', 'registry.json']);
  });

  it('cleans up the temporary file when the rename fails', async () => {
    registry = await makeTempRegistry();
    const target = join(registry.root, 'is-a-dir');
    await mkdir(join(target, 'occupied'), { recursive: true }); // rename onto a non-empty folder fails
    const next: RegistryFile = { schema: 'heimdall.registry/1', models: [] };
    await expect(writeRegistryAtomic(target, next)).rejects.toThrow();
    expect((await readdir(registry.root)).sort()).toEqual([
      '1.0.0',
      '1.1.0',
      'is-a-dir',
      'registry.json',
    ]);
  });
});

describe('registry operations', () => {
  it('promote: the promoted version takes the traffic staging leaves, the old production is archived', async () => {
    registry = await makeTempRegistry([
      { version: '1.0.0', stage: 'production', weight: 0.8 },
      { version: '1.1.0', stage: 'staging', weight: 0.2 },
      { version: '1.2.0', stage: 'staging', weight: 0.25 },
    ]);
    const result = await promoteVersion(registry.registryPath, '1.1.0');
    expect(result).toMatchObject({ previous: '1.0.0', changed: true });
    expect(
      (await registry.readRegistry()).models.map((m) => [m.version, m.stage, m.weight]),
    ).toEqual([
      ['1.0.0', 'archived', 0],
      ['1.1.0', 'production', 0.75],
      ['1.2.0', 'staging', 0.25],
    ]);
  });

  it('promote: can keep the previous production as staging, rolls back an archived version, is a no-op on production', async () => {
    registry = await makeTempRegistry([
      { version: '1.0.0', stage: 'archived', weight: 0 },
      { version: '1.1.0', stage: 'production', weight: 1 },
    ]);
    await promoteVersion(registry.registryPath, '1.0.0', { previousStage: 'staging' });
    expect(
      (await registry.readRegistry()).models.map((m) => [m.version, m.stage, m.weight]),
    ).toEqual([
      ['1.0.0', 'production', 1],
      ['1.1.0', 'staging', 0],
    ]);
    const again = await promoteVersion(registry.registryPath, '1.0.0');
    expect(again.changed).toBe(false);
    await expect(promoteVersion(registry.registryPath, '9.9.9')).rejects.toThrow(
      /no version 9\.9\.9.*known: 1\.0\.0, 1\.1\.0/,
    );
  });

  it('setVersionWeight: sets a weight, refuses out-of-range weights and archived versions', async () => {
    registry = await makeTempRegistry([
      { version: '1.0.0', stage: 'production', weight: 1 },
      { version: '1.1.0', stage: 'staging', weight: 0 },
      { version: '0.9.0', stage: 'archived', weight: 0 },
    ]);
    await setVersionWeight(registry.registryPath, '1.1.0', 0.1 + 0.2);
    expect((await registry.readRegistry()).models[1].weight).toBe(0.3);
    await expect(setVersionWeight(registry.registryPath, '1.1.0', 1.5)).rejects.toMatchObject({
      name: 'ConfigError',
    });
    await expect(setVersionWeight(registry.registryPath, '0.9.0', 0.5)).rejects.toThrow(/archived/);
  });

  it('addVersion: copies and verifies the model, enters it as staging weight 0, refuses duplicates', async () => {
    registry = await makeTempRegistry();
    const source = join(registry.root, '..', `${registry.root.split(/[/\\]/).pop()}-source`);
    const bytes = await writeVersionFolder(source, '2.0.0');
    try {
      const added = await addVersion(registry.registryPath, source);
      expect(added.entry).toEqual({ version: '2.0.0', stage: 'staging', weight: 0, path: '2.0.0' });
      expect((await readFile(join(registry.root, '2.0.0', 'model.onnx'))).equals(bytes)).toBe(true);
      const loaded = await loadRegistry(registry.registryPath);
      expect(loaded.versions.map((v) => v.entry.version)).toEqual(['1.0.0', '1.1.0', '2.0.0']);
      await expect(addVersion(registry.registryPath, source)).rejects.toThrow(
        /2\.0\.0 is already in the registry/,
      );
      expect((await readdir(registry.root)).sort()).toEqual([
        '1.0.0',
        '1.1.0',
        '2.0.0',
        'registry.json',
      ]);
    } finally {
      await rm(source, { recursive: true, force: true });
    }
  });

  it('addVersion: refuses a source whose model does not match its metadata, copying nothing', async () => {
    registry = await makeTempRegistry();
    const source = join(registry.root, 'incoming');
    await writeVersionFolder(source, '2.0.0');
    await writeFile(join(source, 'model.onnx'), Buffer.alloc(4096));
    await expect(addVersion(registry.registryPath, source)).rejects.toMatchObject({
      name: 'ModelIntegrityError',
    });
    expect((await readdir(registry.root)).sort()).toEqual([
      '1.0.0',
      '1.1.0',
      'incoming',
      'registry.json',
    ]);
  });

  it('addVersion: creates registry.json when there is none yet', async () => {
    registry = await makeTempRegistry([]);
    await rm(registry.registryPath);
    const source = join(registry.root, 'incoming');
    await writeVersionFolder(source, '1.0.0');
    await addVersion(registry.registryPath, source);
    expect(await registry.readRegistry()).toEqual({
      schema: 'heimdall.registry/1',
      models: [{ version: '1.0.0', stage: 'staging', weight: 0, path: '1.0.0' }],
    });
  });
});
