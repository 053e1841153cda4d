/**
 * The model contract: everything the app needs to turn recordings into a model input and a model
 * output into an estimate is written into each model version's metadata.json and read from
 * there at run time. Training writes it (training/), the server validates it (server/), the
 * worker and the command line consume it. The registry (registry.json) and the manifest the server
 * builds from it (GET /api/models) are defined here too, so every reader validates with one schema;
 * src/node/modelRegistry reads them from disk.
 */
import { z } from 'zod';

export const receiverSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/),
  name: z.string(),
  lat: z.number().min(-90).max(90),
  lon: z.number().min(-180).max(180),
  altM: z.number().optional(),
});
export type Receiver = z.infer<typeof receiverSchema>;

export const constellationSchema = z.object({
  id: z.string(),
  name: z.string(),
  /** Band the receivers listen to, Hz. */
  bandHz: z.tuple([z.number(), z.number()]),
  /** Order matters: receiver i is input channel i. */
  receivers: z.array(receiverSchema).min(1),
});
export type Constellation = z.infer<typeof constellationSchema>;

export const preprocessingSchema = z.object({
  /** Complex sample rate the features are computed at; recordings are resampled to it. */
  sampleRateHz: z.number().positive(),
  nFft: z.number().int().positive(),
  hop: z.number().int().positive(),
  window: z.literal('hann-periodic'),
  nMels: z.number().int().positive(),
  nFrames: z.number().int().positive(),
  /** mel(f) = sign(f) * 2595 * log10(1 + |f| / 700), filters spaced evenly from -fs/2 to +fs/2. */
  melScale: z.literal('signed-htk'),
  /** Power per FFT bin = |X_k|^2 / (nFft * sum(w^2)), so the bins sum to the mean power (FS^2). */
  powerScaling: z.literal('mean-power'),
  /** dB values are 10 log10(max(melPower, 10^(dbFloor/10))). */
  dbFloor: z.number(),
  /** Joint normalisation across receivers; never per receiver (that would erase the level differences). */
  normalization: z.object({
    method: z.literal('subtract-max-receiver-mean'),
    scaleDb: z.number().positive(),
  }),
});
export type Preprocessing = z.infer<typeof preprocessingSchema>;

export const outputLayouts = {
  diagonal: ['lat', 'lon', 'sigmaEastM', 'sigmaNorthM'],
  full: ['lat', 'lon', 'sigmaEastM', 'sigmaNorthM', 'rhoEastNorth'],
} as const;

export const outputSchema = z.object({
  name: z.string(),
  covariance: z.enum(['diagonal', 'full']),
  /** Column names of the (batch, n) output. */
  layout: z.array(z.string()),
  /** The sigmas are in metres along east and north of the local tangent plane at the estimate. */
  frame: z.literal('local-east-north-at-estimate'),
});
export type ModelOutput = z.infer<typeof outputSchema>;

export const evaluationRowSchema = z.object({
  set: z.string(),
  scenes: z.number().int(),
  medianErrorKm: z.number(),
  p90ErrorKm: z.number(),
  coverage68: z.number().nullable(),
  coverage95: z.number().nullable(),
});
export type EvaluationRow = z.infer<typeof evaluationRowSchema>;

/** A model version: major.minor.patch, digits only (what the registry and the CLI accept). */
export const versionSchema = z.string().regex(/^\d+\.\d+\.\d+$/);

/** The field set of metadata.json, without the cross-field checks (zod cannot pick from a refined object). */
export const modelMetadataFields = z.object({
  schema: z.literal('heimdall.model/1'),
  version: versionSchema,
  description: z.string(),
  created: z.string(),
  file: z.string(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  sizeBytes: z.number().int().positive(),
  constellation: constellationSchema,
  preprocessing: preprocessingSchema,
  input: z.object({ name: z.string(), shape: z.array(z.union([z.number(), z.string()])) }),
  output: outputSchema,
  training: z.record(z.string(), z.unknown()),
  evaluation: z.array(evaluationRowSchema),
});

/** [receivers, mels, frames] of one scene as the constellation and the preprocessing define it. */
export function expectedSceneDims(
  m: Pick<ModelMetadata, 'constellation' | 'preprocessing'>,
): [number, number, number] {
  return [m.constellation.receivers.length, m.preprocessing.nMels, m.preprocessing.nFrames];
}

/**
 * The model's input must be [batch, receivers, nMels, nFrames]: the features the app computes from
 * the constellation and the preprocessing are exactly what the network reads, or it is not served.
 */
function checkInputShape(m: z.infer<typeof modelMetadataFields>, ctx: z.RefinementCtx): void {
  const { shape } = m.input;
  const expected = expectedSceneDims(m);
  if (shape.length !== 4 || expected.some((n, i) => shape[i + 1] !== n)) {
    ctx.addIssue({
      code: 'custom',
      path: ['input', 'shape'],
      message: `input shape [${shape.join(', ')}] does not match [batch, ${expected.join(', ')}] (receivers, nMels, nFrames)`,
    });
  }
}

export const modelMetadataSchema = modelMetadataFields.superRefine(checkInputShape);
export type ModelMetadata = z.infer<typeof modelMetadataSchema>;

/** A model's per-scene input dims [receivers, mels, frames]; the schema has checked them. */
export function sceneInputDims(m: ModelMetadata): [number, number, number] {
  const [, receivers, mels, frames] = m.input.shape;
  return [receivers, mels, frames] as [number, number, number];
}

export const stageSchema = z.enum(['production', 'staging', 'archived']);
export type Stage = z.infer<typeof stageSchema>;

/** One line of the registry file: the per-version state an operator edits. */
export const registryEntrySchema = z.object({
  version: versionSchema,
  stage: stageSchema,
  /** A/B traffic weight, 0..1; the weights of the production and staging versions are used. */
  weight: z.number().min(0).max(1),
  /** Folder of the version relative to the registry file, holding metadata.json and the model. */
  path: z.string(),
});
export type RegistryEntry = z.infer<typeof registryEntrySchema>;

/**
 * Checks a list of versions (the registry's or the manifest's) for what one field cannot say:
 * each version once, and at most one production version.
 */
function checkVersionList(
  file: { models: Pick<RegistryEntry, 'version' | 'stage'>[] },
  ctx: z.RefinementCtx,
): void {
  const seen = new Set<string>();
  for (const [i, entry] of file.models.entries()) {
    if (seen.has(entry.version)) {
      ctx.addIssue({
        code: 'custom',
        path: ['models', i, 'version'],
        message: `version ${entry.version} is listed twice`,
      });
    }
    seen.add(entry.version);
  }
  const production = file.models.filter((m) => m.stage === 'production').map((m) => m.version);
  if (production.length > 1) {
    ctx.addIssue({
      code: 'custom',
      path: ['models'],
      message: `more than one production version: ${production.join(', ')}`,
    });
  }
}

export const REGISTRY_SCHEMA = 'heimdall.registry/1';
export const registryFileSchema = z
  .object({
    schema: z.literal(REGISTRY_SCHEMA),
    models: z.array(registryEntrySchema),
  })
  .superRefine(checkVersionList);
export type RegistryFile = z.infer<typeof registryFileSchema>;

/** A registry with no versions: what a server serves before registry.json exists. */
export const emptyRegistry = (): RegistryFile => ({ schema: REGISTRY_SCHEMA, models: [] });

/** How a newly added version enters the registry: staging, taking no traffic until an operator says. */
export const newVersionEntry = (version: string): RegistryEntry => ({
  version,
  stage: 'staging',
  weight: 0,
  path: version,
});

/**
 * The metadata fields the manifest repeats for every version, whatever it serves (the rest stays
 * in metadata.json); a fixed-network version adds its constellation (an any-network one what it
 * serves, src/core/servingManifest.ts).
 */
export const sharedManifestKeys = {
  sha256: true,
  sizeBytes: true,
  created: true,
  description: true,
  evaluation: true,
  preprocessing: true,
  output: true,
} as const;
const manifestMetadataKeys = { ...sharedManifestKeys, constellation: true } as const;

/** Where a manifest line says to fetch its version's model file and metadata. */
export const manifestUrlFields = { url: z.string().min(1), metadataUrl: z.string().min(1) };

/** One version in the manifest: its registry entry joined with its metadata and where to fetch both. */
export const manifestEntrySchema = registryEntrySchema.extend({
  ...modelMetadataFields.pick(manifestMetadataKeys).shape,
  ...manifestUrlFields,
});
export type ManifestEntry = z.infer<typeof manifestEntrySchema>;

/** What GET /api/models returns: each registry entry joined with its metadata. */
export const MANIFEST_SCHEMA = 'heimdall.manifest/1';
export const manifestSchema = z
  .object({
    schema: z.literal(MANIFEST_SCHEMA),
    generated: z.string(),
    models: z.array(manifestEntrySchema),
  })
  .superRefine(checkVersionList);
export type Manifest = z.infer<typeof manifestSchema>;

/** Where the server answers with the manifest and each version's metadata, and serves model files. */
export const MANIFEST_API_PATH = '/api/models';
export const modelMetadataUrl = (version: string): string =>
  `${MANIFEST_API_PATH}/${encodeURIComponent(version)}`;
export const modelFileUrl = (version: string, file: string): string =>
  `/models/${encodeURIComponent(version)}/${encodeURIComponent(file)}`;

/** A manifest line: the registry entry, the metadata fields named by `keys`, the URLs. */
export function manifestLine<M extends { file: string }, K extends keyof M>(
  entry: RegistryEntry,
  metadata: M,
  keys: Readonly<Record<K, true>>,
): RegistryEntry & Pick<M, K> & { url: string; metadataUrl: string } {
  const picked = Object.fromEntries(
    (Object.keys(keys) as K[]).map((key) => [key, metadata[key]]),
  ) as Pick<M, K>;
  return {
    ...entry,
    ...picked,
    url: modelFileUrl(entry.version, metadata.file),
    metadataUrl: modelMetadataUrl(entry.version),
  };
}

/** The manifest line of one version. */
export function toManifestEntry(entry: RegistryEntry, metadata: ModelMetadata): ManifestEntry {
  return manifestLine(entry, metadata, manifestMetadataKeys);
}
