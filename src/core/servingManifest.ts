/**
 * The manifest as the browser reads it since issue 13: the fixed-network versions in `models`,
 * exactly as before, and the any-network versions beside them in `networkModels`, each with what
 * it serves (`serves`) and the inputs it needs. A separate list rather than a union in `models`:
 * an app cached from before this change parses the manifest with the old schema, which drops an
 * unknown key but would reject the whole manifest over a `models` line without a constellation.
 */
import { z } from 'zod';
import {
  manifestLine,
  manifestSchema,
  manifestUrlFields,
  registryEntrySchema,
  sharedManifestKeys,
  type RegistryEntry,
} from './modelMetadata';
import { networkModelMetadataFields, type NetworkModelMetadata } from './networkModelMetadata';

const networkManifestKeys = { ...sharedManifestKeys, serves: true, inputs: true } as const;

/** One any-network version in the manifest: its registry entry joined with its metadata. */
export const networkManifestEntrySchema = registryEntrySchema.extend({
  ...networkModelMetadataFields.pick(networkManifestKeys).shape,
  ...manifestUrlFields,
});
export type NetworkManifestEntry = z.infer<typeof networkManifestEntrySchema>;

/** The manifest with both lists; a version appears once over the two. */
export const servingManifestSchema = manifestSchema
  .extend({ networkModels: z.array(networkManifestEntrySchema).default([]) })
  .superRefine((m, ctx) => {
    const fixed = new Set(m.models.map((e) => e.version));
    m.networkModels.forEach((e, i) => {
      if (fixed.has(e.version)) {
        ctx.addIssue({
          code: 'custom',
          path: ['networkModels', i, 'version'],
          message: `version ${e.version} is listed twice`,
        });
      }
    });
  });
export type ServingManifest = z.infer<typeof servingManifestSchema>;

/** The manifest line of one any-network version. */
export function toNetworkManifestEntry(
  entry: RegistryEntry,
  metadata: NetworkModelMetadata,
): NetworkManifestEntry {
  return manifestLine(entry, metadata, networkManifestKeys);
}
