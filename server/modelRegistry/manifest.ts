import { MANIFEST_SCHEMA, toManifestEntry, type ModelMetadata } from '../../src/core/modelMetadata';
import { isNetworkModel } from '../../src/core/networkModelMetadata';
import { toNetworkManifestEntry, type ServingManifest } from '../../src/core/servingManifest';
import type { LoadedRegistry } from '../../src/node/registry';

/**
 * What GET /api/models returns: every registry entry, archived ones included, joined with its
 * metadata; the fixed-network versions in `models` and the any-network ones (issue 13) beside
 * them in `networkModels` (src/core/servingManifest.ts says why two lists).
 */
export function toManifest(registry: LoadedRegistry, generated: Date): ServingManifest {
  return {
    schema: MANIFEST_SCHEMA,
    generated: generated.toISOString(),
    models: registry.versions.flatMap((v) =>
      isNetworkModel(v.metadata) ? [] : [toManifestEntry(v.entry, v.metadata as ModelMetadata)],
    ),
    networkModels: registry.versions.flatMap((v) =>
      isNetworkModel(v.metadata) ? [toNetworkManifestEntry(v.entry, v.metadata)] : [],
    ),
  };
}
