import { z } from 'zod';
import { HeimdallError } from '../errors';
import { checkSampleRate, MAX_SIGMF_CAPTURES } from './limits';
import { sigmfCodec, type SampleCodec } from './sampleCodec';
import { parseRfc3339Split } from '../tdoa/splitTime';
import type { Geolocation, Truth } from './types';

/** What we take from a `.sigmf-meta` file (SigMF 1.x; sigmf-spec.md). */
export interface SigmfMeta {
  codec: SampleCodec;
  sampleRateHz: number;
  centerFrequencyHz?: number;
  captureTime?: string;
  geolocation?: Geolocation;
  receiverHint?: string;
  truth?: Truth;
  /**
   * Capture segments in order: where each starts (in samples), the bytes to skip before it, and
   * its `core:datetime` (TDoA times every segment from its own).
   */
  captures: { sampleStart: number; headerBytes: number; datetime?: string }[];
  /** `core:trailing_bytes`: bytes after the last sample that are not samples. */
  trailingBytes: number;
  /** Every other global field under its SigMF name, plus the raw `heimdall:truth` object. */
  extra: Record<string, unknown>;
}

// RFC 3339 with the only offset SigMF allows, Z; any number of fractional digits.
const RFC3339_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

const geoPointSchema = z.object({
  type: z.literal('Point'),
  // GeoJSON order: longitude, latitude, then optional altitude in metres.
  coordinates: z.union([
    z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)]),
    z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90), z.number()]),
  ]),
});

const truthSchema = z.looseObject({
  lat: z.number().min(-90).max(90),
  lon: z.number().min(-180).max(180),
  power_w: z.number().nonnegative().optional(),
  kind: z.string().optional(),
  offset_hz: z.number().optional(),
});

/** The reader's schema of a `.sigmf-meta` file; every writer's output is tested against it. */
export const metaSchema = z.looseObject({
  global: z.looseObject({
    'core:datatype': z.string(),
    'core:sample_rate': z.number().positive(),
    'core:num_channels': z.number().int().positive().optional(),
    'core:trailing_bytes': z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER).optional(),
    'core:geolocation': geoPointSchema.optional(),
    'heimdall:receiver_id': z.string().optional(),
  }),
  captures: z
    .array(
      z.looseObject({
        'core:sample_start': z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
        'core:frequency': z.number().optional(),
        'core:datetime': z
          .string()
          .regex(RFC3339_UTC, 'not an RFC 3339 UTC time')
          .refine((s) => parseRfc3339Split(s) !== undefined, 'not a valid date')
          .optional(),
        'core:header_bytes': z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER).optional(),
        'core:geolocation': geoPointSchema.optional(),
      }),
    )
    .default([]),
  annotations: z
    .array(
      z.looseObject({
        'core:label': z.unknown().optional(),
        'heimdall:truth': z.unknown().optional(),
      }),
    )
    .default([]),
});

function fieldPath(path: readonly PropertyKey[]): string {
  return path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`))
    .join('');
}

function corrupt(message: string, fileName: string): HeimdallError {
  return new HeimdallError('CorruptFileError', message, fileName);
}

/** Parses and checks SigMF metadata text; every problem is a HeimdallError naming the file and field. */
export function parseSigmfMeta(text: string, fileName: string): SigmfMeta {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw corrupt(`not valid JSON (${(err as Error).message})`, fileName);
  }
  const parsed = metaSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw corrupt(`SigMF field ${fieldPath(issue.path)}: ${issue.message}`, fileName);
  }
  const { global, captures, annotations } = parsed.data;
  const codec = sigmfCodec(global['core:datatype'], fileName);
  checkSampleRate(global['core:sample_rate'], fileName, 'core:sample_rate');
  if (captures.length > MAX_SIGMF_CAPTURES) {
    throw corrupt(
      `${captures.length} capture segments; at most ${MAX_SIGMF_CAPTURES} are read`,
      fileName,
    );
  }
  const channels = global['core:num_channels'] ?? 1;
  if (channels !== 1) {
    throw new HeimdallError(
      'UnsupportedFormatError',
      `${channels} interleaved channels; only 1 is supported`,
      fileName,
    );
  }
  captures.forEach((c, i) => {
    if (i > 0 && c['core:sample_start'] < captures[i - 1]['core:sample_start']) {
      throw corrupt(`captures[${i}].core:sample_start is before the previous capture's`, fileName);
    }
  });

  const truthAnnotation = annotations.find((a) => a['core:label'] === 'truth');
  let truth: Truth | undefined;
  if (truthAnnotation) {
    const t = truthSchema.safeParse(truthAnnotation['heimdall:truth']);
    if (!t.success) {
      const issue = t.error.issues[0];
      throw corrupt(
        `the truth annotation's heimdall:truth${fieldPath(['', ...issue.path])}: ${issue.message}`,
        fileName,
      );
    }
    truth = { lat: t.data.lat, lon: t.data.lon };
    if (t.data.power_w !== undefined) truth.powerW = t.data.power_w;
    if (t.data.kind !== undefined) truth.kind = t.data.kind;
    if (t.data.offset_hz !== undefined) truth.offsetHz = t.data.offset_hz;
  }

  // A capture's own position stands in when the global one is absent (SigMF allows either).
  const point =
    global['core:geolocation'] ?? captures.find((c) => c['core:geolocation'])?.['core:geolocation'];
  const geolocation: Geolocation | undefined = point && {
    lon: point.coordinates[0],
    lat: point.coordinates[1],
    ...(point.coordinates.length === 3 ? { altM: point.coordinates[2] } : {}),
  };

  const extra: Record<string, unknown> = {};
  const mapped = new Set([
    'core:datatype',
    'core:sample_rate',
    'core:geolocation',
    'heimdall:receiver_id',
  ]);
  for (const [key, value] of Object.entries(global)) if (!mapped.has(key)) extra[key] = value;
  if (truthAnnotation) extra['heimdall:truth'] = truthAnnotation['heimdall:truth'];

  const first = captures[0];
  return {
    codec,
    sampleRateHz: global['core:sample_rate'],
    centerFrequencyHz: first?.['core:frequency'],
    captureTime: first?.['core:datetime'],
    geolocation,
    receiverHint: global['heimdall:receiver_id'],
    truth,
    captures: captures.map((c) => ({
      sampleStart: c['core:sample_start'],
      headerBytes: c['core:header_bytes'] ?? 0,
      ...(c['core:datetime'] !== undefined ? { datetime: c['core:datetime'] } : {}),
    })),
    trailingBytes: global['core:trailing_bytes'] ?? 0,
    extra,
  };
}
