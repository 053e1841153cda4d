/**
 * The manifest (GET /api/models): fetched, validated with the model contract's schema in src/core
 * (so the worker and the server cannot drift), and kept in IndexedDB so that a later
 * visit without a network still knows which model to load.
 */
import { get, set } from 'idb-keyval';
import { HeimdallError } from '../src/core/errors';
import { MANIFEST_API_PATH, type Manifest, type ManifestEntry } from '../src/core/modelMetadata';
import {
  servingManifestSchema,
  type NetworkManifestEntry,
  type ServingManifest,
} from '../src/core/servingManifest';
import { serverUrl } from './config';
import type { EngineStores } from './storage';
import type { EngineConfig } from './types';

export interface LoadedManifest {
  manifest: ServingManifest;
  source: 'network' | 'indexeddb';
}

const LAST_MANIFEST_KEY = 'last';

export function parseManifest(json: unknown, where: string): ServingManifest {
  const parsed = servingManifestSchema.safeParse(json);
  if (!parsed.success) throw new HeimdallError('ManifestError', parsed.error.message, where);
  return parsed.data;
}

/**
 * The server's manifest, or, when the server cannot be reached (offline, or a 5xx), the last one
 * it gave. An invalid manifest is an error, never silently replaced by an old one.
 */
export async function loadManifestFrom(
  fetchFn: typeof fetch,
  config: EngineConfig,
  stores: EngineStores,
): Promise<LoadedManifest> {
  const url = serverUrl(config, MANIFEST_API_PATH);
  let response: Response;
  try {
    response = await fetchFn(url, { cache: 'no-cache' });
    if (response.status >= 500) throw new Error(`HTTP ${response.status}`);
  } catch (err) {
    // Stored by this app or an older one (without networkModels): parsed again either way.
    const stored = await get<unknown>(LAST_MANIFEST_KEY, stores.manifest);
    if (stored) return { manifest: parseManifest(stored, 'stored manifest'), source: 'indexeddb' };
    throw new HeimdallError(
      'ManifestError',
      `cannot fetch the model manifest (${(err as Error).message}) and none is stored`,
      url,
    );
  }
  if (!response.ok) throw new HeimdallError('ManifestError', `HTTP ${response.status}`, url);
  let json: unknown;
  try {
    json = await response.json();
  } catch {
    throw new HeimdallError('ManifestError', 'is not valid JSON', url);
  }
  const manifest = parseManifest(json, url);
  await set(LAST_MANIFEST_KEY, manifest, stores.manifest);
  return { manifest, source: 'network' };
}

export interface ManifestArms {
  production: ManifestEntry | null;
  /** Only a staging version with a positive weight takes part in the A/B split. */
  staging: ManifestEntry | null;
}

/**
 * The versions taking part in the A/B split. With a local staging share (see
 * EngineConfig.stagingShare) the staging version serves whenever that share is positive,
 * whatever its weight in the manifest.
 */
export function manifestArms(manifest: Manifest, stagingShare: number | null = null): ManifestArms {
  const production = manifest.models.find((m) => m.stage === 'production') ?? null;
  const staging =
    manifest.models.find(
      (m) => m.stage === 'staging' && (stagingShare === null ? m.weight > 0 : stagingShare > 0),
    ) ?? null;
  return { production, staging };
}

export function findEntry(manifest: Manifest, version: string): ManifestEntry {
  const entry = manifest.models.find((m) => m.version === version);
  if (!entry) {
    throw new HeimdallError(
      'ConfigError',
      `model version ${version} is not in the manifest (has ${manifest.models.map((m) => m.version).join(', ') || 'none'})`,
    );
  }
  return entry;
}

/** A version to prepare: a fixed-network model (A/B arms) or an any-network one (issue 13). */
export type PrepareTarget =
  { kind: 'fixed'; entry: ManifestEntry } | { kind: 'network'; entry: NetworkManifestEntry };

/** A version of either list as prepare() takes it: fixed-network or any-network. */
export function findTarget(manifest: ServingManifest, version: string): PrepareTarget {
  const network = manifest.networkModels.find((m) => m.version === version);
  if (network) return { kind: 'network', entry: network };
  const listed = [...manifest.models, ...manifest.networkModels].map((m) => m.version);
  if (!manifest.models.some((m) => m.version === version)) {
    throw new HeimdallError(
      'ConfigError',
      `model version ${version} is not in the manifest (has ${listed.join(', ') || 'none'})`,
    );
  }
  return { kind: 'fixed', entry: findEntry(manifest, version) };
}
