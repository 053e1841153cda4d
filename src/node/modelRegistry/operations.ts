import { HeimdallError } from '../../core/errors';
import type { RegistryEntry, RegistryFile } from '../../core/modelMetadata';
import { loadRegistry, type LoadedVersion } from './loadRegistry';
import { writeRegistryAtomic } from './writeRegistryAtomic';

/** Weights are fractions an operator reads; keep them free of binary float noise (0.30000000000000004). */
const roundWeight = (w: number): number => Math.round(w * 1e6) / 1e6;

export interface PromoteOptions {
  /** What the previous production version becomes; it gets weight 0 either way. Default 'archived'. */
  previousStage?: 'archived' | 'staging';
}

export interface PromoteResult {
  registry: RegistryFile;
  /** The version that was production before, if any and if it changed. */
  previous: string | null;
  /** False when the version already was production (nothing written). */
  changed: boolean;
}

function findEntry(registry: RegistryFile, version: string, registryPath: string): RegistryEntry {
  const entry = registry.models.find((m) => m.version === version);
  if (!entry) {
    const known = registry.models.map((m) => m.version).join(', ') || 'none';
    throw new HeimdallError(
      'ConfigError',
      `no version ${version} in the registry (known: ${known})`,
      registryPath,
    );
  }
  return entry;
}

/**
 * Makes `version` the production version. Its weight becomes what the staging versions leave
 * over (1 - their sum), so a split that summed to 1 still does; the previous production version
 * leaves the traffic split (weight 0). The whole registry is validated first: promoting inside a
 * registry the server would reject would change nothing that is served.
 */
export async function promoteVersion(
  registryPath: string,
  version: string,
  options: PromoteOptions = {},
): Promise<PromoteResult> {
  const { file } = await loadRegistry(registryPath);
  const target = findEntry(file, version, registryPath);
  if (target.stage === 'production') return { registry: file, previous: null, changed: false };
  const previous = file.models.find((m) => m.stage === 'production');
  const previousStage = options.previousStage ?? 'archived';
  const models = file.models.map((m): RegistryEntry => {
    if (m === previous) return { ...m, stage: previousStage, weight: 0 };
    return m;
  });
  const stagingWeight = models
    .filter((m) => m.stage === 'staging' && m.version !== version)
    .reduce((sum, m) => sum + m.weight, 0);
  const promoted: RegistryEntry = {
    ...target,
    stage: 'production',
    weight: roundWeight(Math.max(0, 1 - stagingWeight)),
  };
  const registry: RegistryFile = {
    ...file,
    models: models.map((m) => (m.version === version ? promoted : m)),
  };
  await writeRegistryAtomic(registryPath, registry);
  return { registry, previous: previous?.version ?? null, changed: true };
}

/** Sets the A/B traffic weight (0..1) of a production or staging version. */
export async function setVersionWeight(
  registryPath: string,
  version: string,
  weight: number,
): Promise<RegistryFile> {
  if (!Number.isFinite(weight) || weight < 0 || weight > 1) {
    throw new HeimdallError('ConfigError', `weight must be a number from 0 to 1, got ${weight}`);
  }
  const { file } = await loadRegistry(registryPath);
  const target = findEntry(file, version, registryPath);
  if (target.stage === 'archived') {
    throw new HeimdallError(
      'ConfigError',
      `${version} is archived and takes no traffic; promote it first`,
      registryPath,
    );
  }
  const registry: RegistryFile = {
    ...file,
    models: file.models.map((m) =>
      m.version === version ? { ...m, weight: roundWeight(weight) } : m,
    ),
  };
  await writeRegistryAtomic(registryPath, registry);
  return registry;
}

/** Every version of the registry, validated, in registry order. */
export async function listVersions(registryPath: string): Promise<LoadedVersion[]> {
  return (await loadRegistry(registryPath)).versions;
}
