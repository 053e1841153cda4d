import { Option, type Command } from 'commander';
import { HeimdallError, isHeimdallError } from '../core/errors';
import type { EvaluationRow } from '../core/modelMetadata';
import {
  addVersion,
  listVersions,
  promoteVersion,
  setVersionWeight,
  DEFAULT_REGISTRY_PATH,
  type LoadedVersion,
} from '../node/registry';

/** Where the command prints; the tests pass their own to read what it printed. */
export interface ModelsCommandIo {
  out(line: string): void;
  err(line: string): void;
}
const consoleIo: ModelsCommandIo = {
  out: (line) => console.log(line),
  err: (line) => console.error(line),
};

function formatSize(sizeBytes: number): string {
  if (sizeBytes >= 1024 * 1024) return `${(sizeBytes / (1024 * 1024)).toFixed(1)} MiB`;
  if (sizeBytes >= 1024) return `${(sizeBytes / 1024).toFixed(1)} KiB`;
  return `${sizeBytes} B`;
}

/** The held-out test set's row when there is one: that is the number to compare versions by. */
function headlineEvaluation(rows: EvaluationRow[]): EvaluationRow | undefined {
  return rows.find((r) => r.set === 'test') ?? rows[0];
}

export function formatVersionTable(versions: LoadedVersion[]): string {
  const header = ['VERSION', 'STAGE', 'WEIGHT', 'SIZE', 'SHA256', 'MEDIAN ERROR'];
  const rows = versions.map(({ entry, metadata }) => {
    const evaluation = headlineEvaluation(metadata.evaluation);
    return [
      entry.version,
      entry.stage,
      String(entry.weight),
      formatSize(metadata.sizeBytes),
      metadata.sha256.slice(0, 12),
      evaluation ? `${evaluation.medianErrorKm.toFixed(1)} km (${evaluation.set})` : '-',
    ];
  });
  const widths = header.map((h, col) => Math.max(h.length, ...rows.map((r) => r[col].length)));
  return [header, ...rows]
    .map((cells) =>
      cells
        .map((c, col) => c.padEnd(widths[col]))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

export async function modelsList(registryPath: string, io: ModelsCommandIo): Promise<void> {
  const versions = await listVersions(registryPath);
  io.out(versions.length ? formatVersionTable(versions) : `no models in ${registryPath}`);
}

export async function modelsPromote(
  registryPath: string,
  version: string,
  previousStage: 'archived' | 'staging',
  io: ModelsCommandIo,
): Promise<void> {
  const result = await promoteVersion(registryPath, version, { previousStage });
  if (!result.changed) {
    io.out(`${version} already is the production version; nothing changed`);
    return;
  }
  const weight = result.registry.models.find((m) => m.version === version)?.weight;
  io.out(`${version} is now production (weight ${weight})`);
  if (result.previous) io.out(`${result.previous} is now ${previousStage} (weight 0)`);
}

export async function modelsWeight(
  registryPath: string,
  version: string,
  weightText: string,
  io: ModelsCommandIo,
): Promise<void> {
  const weight = weightText.trim() === '' ? Number.NaN : Number(weightText);
  if (!Number.isFinite(weight)) {
    throw new HeimdallError(
      'ConfigError',
      `weight must be a number from 0 to 1, got "${weightText}"`,
    );
  }
  const registry = await setVersionWeight(registryPath, version, weight);
  io.out(`${version} weight set to ${registry.models.find((m) => m.version === version)?.weight}`);
}

export async function modelsAdd(
  registryPath: string,
  sourceDir: string,
  io: ModelsCommandIo,
): Promise<void> {
  const added = await addVersion(registryPath, sourceDir);
  io.out(`added ${added.entry.version} as staging with weight 0 (${added.dir})`);
}

/** Runs an action; a failure is printed to stderr and makes the process exit non-zero. */
function reporting(io: ModelsCommandIo, action: () => Promise<void>): Promise<void> {
  return action().catch((err: unknown) => {
    const e = err instanceof Error ? err : new Error(String(err));
    io.err(isHeimdallError(e) ? `error (${e.name}): ${e.message}` : `error: ${e.message}`);
    process.exitCode = 1;
  });
}

/** Adds `models list | promote <version> | weight <version> <w> | add <dir>` to the CLI. */
export function registerModelsCommand(program: Command, io: ModelsCommandIo = consoleIo): void {
  const models = program
    .command('models')
    .description('Inspect and change the model registry (staging, A/B weights)');
  const registryOption = () =>
    new Option('--registry <path>', 'registry.json of the model registry').default(
      DEFAULT_REGISTRY_PATH,
    );

  models
    .command('list')
    .description('List the versions with stage, traffic weight, size, sha256 and median error')
    .addOption(registryOption())
    .action((o: { registry: string }) => reporting(io, () => modelsList(o.registry, io)));

  models
    .command('promote <version>')
    .description('Make a version production; the previous production version is archived')
    .addOption(registryOption())
    .addOption(
      new Option('--previous <stage>', 'what the previous production version becomes')
        .choices(['archived', 'staging'])
        .default('archived'),
    )
    .action((version: string, o: { registry: string; previous: 'archived' | 'staging' }) =>
      reporting(io, () => modelsPromote(o.registry, version, o.previous, io)),
    );

  models
    .command('weight <version> <weight>')
    .description('Set the A/B traffic weight (0 to 1) of a production or staging version')
    .addOption(registryOption())
    .action((version: string, weight: string, o: { registry: string }) =>
      reporting(io, () => modelsWeight(o.registry, version, weight, io)),
    );

  models
    .command('add <dir>')
    .description(
      'Copy a trained model folder (metadata.json + model file) into the registry as staging',
    )
    .addOption(registryOption())
    .action((dir: string, o: { registry: string }) =>
      reporting(io, () => modelsAdd(o.registry, dir, io)),
    );
}
