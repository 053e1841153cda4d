import { MANIFEST_SCHEMA, toManifestEntry, type Manifest } from '../../src/core/modelMetadata';
import type { LoadedRegistry } from '../../src/node/registry';

/** What GET /api/models returns: every registry entry, archived ones included, joined with its metadata. */
export function toManifest(registry: LoadedRegistry, generated: Date): Manifest {
  return {
    schema: MANIFEST_SCHEMA,
    generated: generated.toISOString(),
    models: registry.versions.map((v) => toManifestEntry(v.entry, v.metadata)),
  };
}
