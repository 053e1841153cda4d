import { MANIFEST_SCHEMA, toManifestEntry, type Manifest } from '../../src/core/modelMetadata';
import { isNetworkModel, type AnyModelMetadata } from '../../src/core/networkModelMetadata';
import type { ModelMetadata } from '../../src/core/modelMetadata';
import type { LoadedRegistry } from '../../src/node/registry';

/**
 * What GET /api/models returns: every fixed-network registry entry, archived ones included, joined
 * with its metadata. Any-network versions (issue 13) are served by the command line; the browser
 * does not run them yet, so they stay out of its manifest (their files and metadata are served).
 */
export function toManifest(registry: LoadedRegistry, generated: Date): Manifest {
  const fixed = registry.versions.filter(
    (v): v is typeof v & { metadata: ModelMetadata } =>
      !isNetworkModel(v.metadata as AnyModelMetadata),
  );
  return {
    schema: MANIFEST_SCHEMA,
    generated: generated.toISOString(),
    models: fixed.map((v) => toManifestEntry(v.entry, v.metadata)),
  };
}
