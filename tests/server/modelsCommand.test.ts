import { join } from 'node:path';
import { Command } from 'commander';
import { afterEach, describe, expect, it } from 'vitest';
import {
  formatVersionTable,
  modelsAdd,
  modelsList,
  modelsPromote,
  modelsWeight,
  registerModelsCommand,
  type ModelsCommandIo,
} from '../../src/cli/modelsCommand';
import { listVersions } from '../../src/node/registry';
import { makeTempRegistry, writeVersionFolder, type TempRegistry } from './tempRegistry';

function captureIo(): ModelsCommandIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (l) => stdout.push(l), err: (l) => stderr.push(l) };
}

let registry: TempRegistry;
afterEach(async () => {
  process.exitCode = undefined;
  await registry?.cleanup();
});

describe('heimdall models (functions)', () => {
  it('list prints a table with version, stage, weight, size, sha256 prefix and median error', async () => {
    registry = await makeTempRegistry();
    const io = captureIo();
    await modelsList(registry.registryPath, io);
    const [header, first, second] = io.stdout[0].split('\n');
    expect(header.split(/\s{2,}/)).toEqual([
      'VERSION',
      'STAGE',
      'WEIGHT',
      'SIZE',
      'SHA256',
      'MEDIAN ERROR',
    ]);
    const sha = (await listVersions(registry.registryPath))[0].metadata.sha256;
    expect(first.split(/\s{2,}/)).toEqual([
      '1.0.0',
      'production',
      '1',
      '4.0 KiB',
      sha.slice(0, 12),
      '12.5 km (test)',
    ]);
    expect(second.split(/\s{2,}/)[0]).toBe('1.1.0');
  });

  it('a version without evaluation rows shows a dash', async () => {
    registry = await makeTempRegistry();
    const [version] = await listVersions(registry.registryPath);
    const table = formatVersionTable([
      { ...version, metadata: { ...version.metadata, evaluation: [] } },
    ]);
    expect(table.split('\n')[1].trimEnd().endsWith('-')).toBe(true);
  });

  it('promote, weight and add change the registry and say what they did', async () => {
    registry = await makeTempRegistry();
    const io = captureIo();
    await modelsPromote(registry.registryPath, '1.1.0', 'archived', io);
    await modelsWeight(registry.registryPath, '1.1.0', '0.9', io);
    const source = join(registry.root, 'incoming');
    await writeVersionFolder(source, '1.2.0');
    await modelsAdd(registry.registryPath, source, io);
    expect(io.stdout).toEqual([
      '1.1.0 is now production (weight 1)',
      '1.0.0 is now archived (weight 0)',
      '1.1.0 weight set to 0.9',
      `added 1.2.0 as staging with weight 0 (${join(registry.root, '1.2.0')})`,
    ]);
    expect(
      (await registry.readRegistry()).models.map((m) => [m.version, m.stage, m.weight]),
    ).toEqual([
      ['1.0.0', 'archived', 0],
      ['1.1.0', 'production', 0.9],
      ['1.2.0', 'staging', 0],
    ]);
  });

  it('weight refuses text that is not a number', async () => {
    registry = await makeTempRegistry();
    await expect(
      modelsWeight(registry.registryPath, '1.1.0', 'half', captureIo()),
    ).rejects.toMatchObject({
      name: 'ConfigError',
    });
    await expect(modelsWeight(registry.registryPath, '1.1.0', '', captureIo())).rejects.toThrow(
      /got ""/,
    );
  });
});

describe('heimdall models (through commander)', () => {
  const run = async (io: ModelsCommandIo, ...args: string[]) => {
    const program = new Command('heimdall').exitOverride();
    registerModelsCommand(program, io);
    await program.parseAsync(['models', ...args], { from: 'user' });
  };

  it('parses the subcommands and the --registry option', async () => {
    registry = await makeTempRegistry();
    const io = captureIo();
    await run(io, 'promote', '1.1.0', '--previous', 'staging', '--registry', registry.registryPath);
    await run(io, 'list', '--registry', registry.registryPath);
    expect(io.stderr).toEqual([]);
    expect(process.exitCode).toBeUndefined();
    expect(io.stdout[1]).toBe('1.0.0 is now staging (weight 0)');
    expect(io.stdout[2]).toMatch(/^1\.0\.0\s+staging\s+0\s/m);
    expect(io.stdout[2]).toMatch(/^1\.1\.0\s+production\s+1\s/m);
  });

  it('prints errors to stderr and sets a non-zero exit code', async () => {
    registry = await makeTempRegistry();
    const io = captureIo();
    await run(io, 'weight', '9.9.9', '0.5', '--registry', registry.registryPath);
    expect(io.stderr).toHaveLength(1);
    expect(io.stderr[0]).toMatch(/^error \(ConfigError\): .*registry\.json: no version 9\.9\.9/);
    expect(process.exitCode).toBe(1);
  });

  it('rejects an unknown --previous stage', async () => {
    registry = await makeTempRegistry();
    const program = new Command('heimdall').exitOverride().configureOutput({ writeErr: () => {} });
    registerModelsCommand(program, captureIo());
    await expect(
      program.parseAsync(
        [
          'models',
          'promote',
          '1.1.0',
          '--previous',
          'production',
          '--registry',
          registry.registryPath,
        ],
        {
          from: 'user',
        },
      ),
    ).rejects.toMatchObject({ code: 'commander.invalidArgument' });
  });
});
