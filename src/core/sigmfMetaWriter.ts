/**
 * The one builder of SigMF 1.2 metadata (`.sigmf-meta`) for every writer: the simulator's scenes
 * and timed recordings, the live recorder and the TDoA result collection. What the readers
 * (src/core/readers/sigmfMeta.ts) take back is written here the same way by all of them: the
 * receiver's position as a GeoJSON Point in `core:geolocation`, its id in `heimdall:receiver_id`,
 * per-capture `core:frequency` and `core:datetime`, and a simulated transmitter as the 'truth'
 * annotation under the `heimdall` extension namespace (a generic SigMF reader ignores it).
 */
import { geoJsonPoint } from './geojson';
import type { Geolocation } from './readers/types';

export const SIGMF_VERSION = '1.2.0';

export interface SigmfExtension {
  name: string;
  version: string;
  optional: boolean;
}

/** Our own namespace (`heimdall:` fields), optional for other readers. */
export const HEIMDALL_EXTENSION: SigmfExtension = {
  name: 'heimdall',
  version: '1.0.0',
  optional: true,
};

export interface SigmfCaptureFields {
  sampleStart: number;
  frequencyHz?: number;
  /** RFC 3339 UTC (the only form SigMF allows). */
  datetime?: string;
}

export interface SigmfMetaFields {
  /** SigMF datatype, e.g. cf32_le, ci16_le. */
  datatype: string;
  sampleRateHz: number;
  description: string;
  recorder: string;
  /** `core:metadata_only`: the samples stay in the operator's own files. */
  metadataOnly?: boolean;
  /** `core:collection`: the collection this recording belongs to. */
  collection?: string;
  /** The receiver's position, written as `core:geolocation`. */
  position?: Geolocation;
  extensions: readonly SigmfExtension[];
  /** Namespaced global fields written after the core ones (heimdall:receiver_id, spatial:...). */
  global?: Record<string, unknown>;
  captures: readonly SigmfCaptureFields[];
  annotations?: readonly Record<string, unknown>[];
}

/** The metadata object; keys are written in SigMF's own order (core fields first). */
export function sigmfMeta(f: SigmfMetaFields): Record<string, unknown> {
  return {
    global: {
      'core:datatype': f.datatype,
      'core:sample_rate': f.sampleRateHz,
      'core:version': SIGMF_VERSION,
      ...(f.metadataOnly ? { 'core:metadata_only': true } : {}),
      'core:description': f.description,
      'core:recorder': f.recorder,
      ...(f.collection !== undefined ? { 'core:collection': f.collection } : {}),
      ...(f.position ? { 'core:geolocation': geoJsonPoint(f.position) } : {}),
      'core:extensions': f.extensions,
      ...f.global,
    },
    captures: f.captures.map((c) => ({
      'core:sample_start': c.sampleStart,
      ...(c.frequencyHz !== undefined ? { 'core:frequency': c.frequencyHz } : {}),
      ...(c.datetime !== undefined ? { 'core:datetime': c.datetime } : {}),
    })),
    annotations: f.annotations ?? [],
  };
}

/** The `.sigmf-meta` text: the metadata as indented JSON. */
export function sigmfMetaText(f: SigmfMetaFields): string {
  return JSON.stringify(sigmfMeta(f), null, 2);
}

/** A simulated transmitter, as the readers' `heimdall:truth` (snake_case, as SigMF names go). */
export interface SigmfTruth {
  lat: number;
  lon: number;
  powerW?: number;
  kind?: string;
  offsetHz?: number;
  snrDb?: number;
  /** Live simulation: whether the transmitter was keyed at this time. */
  keyed?: boolean;
}

/** The 'truth' annotation over samples [sampleStart, sampleStart + sampleCount). */
export function truthAnnotation(
  sampleStart: number,
  sampleCount: number,
  comment: string,
  t: SigmfTruth,
): Record<string, unknown> {
  const optional = <T>(key: string, v: T | undefined) => (v !== undefined ? { [key]: v } : {});
  return {
    'core:sample_start': sampleStart,
    'core:sample_count': sampleCount,
    'core:label': 'truth',
    'core:comment': comment,
    'heimdall:truth': {
      lat: t.lat,
      lon: t.lon,
      ...optional('power_w', t.powerW),
      ...optional('kind', t.kind),
      ...optional('offset_hz', t.offsetHz),
      ...optional('snr_db', t.snrDb),
      ...optional('keyed', t.keyed),
    },
  };
}
