import type { Manifest, ManifestEntry } from '../../src/core/modelMetadata';
import type { LoadedRegistry, LoadedVersion } from './loadRegistry';

export const modelFileUrl = (version: string, file: string): string =>
  `/models/${encodeURIComponent(version)}/${encodeURIComponent(file)}`;
export const modelMetadataUrl = (version: string): string =>
  `/api/models/${encodeURIComponent(version)}`;

export function toManifestEntry({ entry, metadata }: LoadedVersion): ManifestEntry {
  return {
    ...entry,
    sha256: metadata.sha256,
    sizeBytes: metadata.sizeBytes,
    created: metadata.created,
    description: metadata.description,
    evaluation: metadata.evaluation,
    preprocessing: metadata.preprocessing,
    output: metadata.output,
    constellation: metadata.constellation,
    url: modelFileUrl(entry.version, metadata.file),
    metadataUrl: modelMetadataUrl(entry.version),
  };
}

/** What GET /api/models returns: every registry entry, archived ones included, joined with its metadata. */
export function toManifest(registry: LoadedRegistry, generated: Date): Manifest {
  return {
    schema: 'heimdall.manifest/1',
    generated: generated.toISOString(),
    models: registry.versions.map(toManifestEntry),
  };
}
