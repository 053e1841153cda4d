/**
 * The model contract of an any-network model (issue 13): a model that serves any network of
 * receivers given their positions, instead of one fixed constellation. Its metadata.json carries
 * the same preprocessing as a fixed-network model, declares what it serves (`serves`) and every
 * input it needs (`inputs`, each with where its values come from), and its output is an offset
 * from the receivers' centroid. A fixed-network model declares neither: its constellation is
 * what it serves, and its one input is the log-mel.
 */
import { z } from 'zod';
import { modelMetadataFields, modelMetadataSchema, type ModelMetadata } from './modelMetadata';

export const anyNetworkServesSchema = z.object({
  kind: z.literal('any-network'),
  minReceivers: z.number().int().min(1),
  maxReceivers: z.number().int().min(1),
  /** Band the model was trained for, Hz. */
  bandHz: z.tuple([z.number(), z.number()]),
});
export type AnyNetworkServes = z.infer<typeof anyNetworkServesSchema>;

/** Where the values of each input come from; the app computes each one with one function. */
export const inputSources = {
  /** Joint-normalised log-mel per receiver (features.ts), (batch, receivers, nMels, nFrames). */
  'log-mel': 'normalizeScene',
  /** East and north of the receivers' centroid, km (networkFeatures.ts), (batch, receivers, 2). */
  'receiver-east-north-of-centroid-km': 'receiverOffsetsKm',
  /** 1 for a receiver, 0 for padding, (batch, receivers). */
  'receiver-mask': 'packNetworkBatch',
} as const;

export const modelInputSchema = z.object({
  name: z.string(),
  shape: z.array(z.union([z.number(), z.string()])),
  source: z.enum(Object.keys(inputSources) as [keyof typeof inputSources]),
});
export type ModelInput = z.infer<typeof modelInputSchema>;

export const networkOutputLayout = [
  'eastM',
  'northM',
  'sigmaEastM',
  'sigmaNorthM',
  'rhoEastNorth',
] as const;

export const networkOutputSchema = z.object({
  name: z.string(),
  covariance: z.literal('full'),
  layout: z.array(z.string()),
  /** The mean is east/north of the receivers' centroid (azimuthal equidistant), and so are the sigmas. */
  frame: z.literal('east-north-of-centroid'),
});

/** A fixed-network model's fields, less its constellation, plus what it serves and needs. */
export const networkModelMetadataFields = modelMetadataFields
  .omit({ constellation: true, output: true })
  .extend({
    serves: anyNetworkServesSchema,
    inputs: z.array(modelInputSchema).min(1),
    output: networkOutputSchema,
  });

export const networkModelMetadataSchema = networkModelMetadataFields.superRefine((m, ctx) => {
  for (const source of Object.keys(inputSources)) {
    if (!m.inputs.some((i) => i.source === source)) {
      ctx.addIssue({ code: 'custom', path: ['inputs'], message: `no input for ${source}` });
    }
  }
  for (const column of networkOutputLayout) {
    if (!m.output.layout.includes(column)) {
      ctx.addIssue({ code: 'custom', path: ['output', 'layout'], message: `lacks ${column}` });
    }
  }
  if (m.serves.minReceivers > m.serves.maxReceivers) {
    ctx.addIssue({ code: 'custom', path: ['serves'], message: 'minReceivers > maxReceivers' });
  }
});
export type NetworkModelMetadata = z.infer<typeof networkModelMetadataSchema>;

/** Any model version's metadata.json: a fixed-network model or an any-network one. */
export const anyModelMetadataSchema = z.union([modelMetadataSchema, networkModelMetadataSchema]);
export type AnyModelMetadata = ModelMetadata | NetworkModelMetadata;

export function isNetworkModel(m: AnyModelMetadata): m is NetworkModelMetadata {
  return 'serves' in m && m.serves.kind === 'any-network';
}

/**
 * What a model serves, in words (the registry listing, `heimdall models`, the app's model panel),
 * from its metadata or its manifest line.
 */
export function servesSummary(
  m: Pick<NetworkModelMetadata, 'serves'> | Pick<ModelMetadata, 'constellation'>,
): string {
  if ('serves' in m) {
    return `any network, ${m.serves.minReceivers}-${m.serves.maxReceivers} receivers with positions`;
  }
  return `network ${m.constellation.id} (${m.constellation.receivers.length} receivers)`;
}
