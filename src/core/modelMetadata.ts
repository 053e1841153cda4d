/**
 * The model contract: everything the app needs to turn recordings into a model input and a model
 * output into an estimate is written into each model version's metadata.json and read from
 * there at run time. Training writes it (training/), the server validates it (server/), the
 * worker and the command line consume it.
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

export const modelMetadataSchema = z.object({
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
export type ModelMetadata = z.infer<typeof modelMetadataSchema>;

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

export const registryFileSchema = z.object({
  schema: z.literal('heimdall.registry/1'),
  models: z.array(registryEntrySchema),
});
export type RegistryFile = z.infer<typeof registryFileSchema>;

/** What GET /api/models returns: each registry entry joined with its metadata. */
export type ManifestEntry = RegistryEntry &
  Pick<
    ModelMetadata,
    | 'sha256'
    | 'sizeBytes'
    | 'created'
    | 'description'
    | 'evaluation'
    | 'preprocessing'
    | 'output'
    | 'constellation'
  > & { url: string; metadataUrl: string };
export interface Manifest {
  schema: 'heimdall.manifest/1';
  generated: string;
  models: ManifestEntry[];
}
