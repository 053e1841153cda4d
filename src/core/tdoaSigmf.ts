/**
 * A TDoA result as a SigMF collection (issue 12): one metadata file per recording (SigMF
 * `core:metadata_only`: the samples stay in the operator's files) whose annotation carries the
 * estimate as `spatial:emitter_location`, a GeoJSON Point (the SigMF `spatial` extension names
 * this field for "results of TDOA performed on an emission"), plus the `.sigmf-collection` tying
 * them together with each metadata file's SHA-512 (SigMF `core:streams`).
 */
import { HeimdallError } from './errors';
import type { RecordingInfo } from './readers/types';
import type { TdoaResult } from './tdoa/types';
import { geoJsonPoint } from './geojson';
import { SIGMF_VERSION, sigmfMetaText, type SigmfExtension } from './sigmfMetaWriter';

const SPATIAL: SigmfExtension = { name: 'spatial', version: '1.0.0', optional: true };

export interface TdoaSigmfRecording {
  info: RecordingInfo;
  /** The station it was placed at, if any. */
  station?: { id: string; lat: number; lon: number; altM?: number };
}

export interface SigmfFile {
  name: string;
  text: string;
}

/** File-name stem safe in a tar and on every file system. */
function stem(name: string): string {
  const base = name.slice(name.lastIndexOf('/') + 1).replace(/\.[^.]+$/, '');
  return base.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80) || 'recording';
}

async function sha512Hex(text: string): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-512', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** The annotation every recording's metadata carries: the result, in SigMF terms and ours. */
function annotation(result: TdoaResult, info: RecordingInfo, place?: string) {
  const used = result.stations.filter((s) => s.used).map((s) => s.id);
  const point = result.lat !== undefined && result.lon !== undefined;
  const comment = point
    ? `TDoA estimate ${result.lat?.toFixed(5)}, ${result.lon?.toFixed(5)} from ${used.join(', ')}${place ? ` (${place})` : ''}`
    : `TDoA from ${used.join(', ')}: two stations, a hyperbola and no point`;
  return {
    'core:sample_start': 0,
    'core:sample_count': info.totalSamples,
    'core:label': 'tdoa',
    'core:comment': comment,
    ...(point
      ? {
          'spatial:emitter_location': geoJsonPoint({
            lat: result.lat as number,
            lon: result.lon as number,
          }),
        }
      : {}),
    'heimdall:method': 'tdoa',
    'heimdall:scene': result.scene,
    'heimdall:ellipses': result.ellipses,
    'heimdall:pairs': result.pairs.map(({ a, b, lagUs, sigmaUs }) => ({ a, b, lagUs, sigmaUs })),
    'heimdall:stations': result.stations.map(({ id, used: u, reason }) => ({
      id,
      used: u,
      ...(reason ? { reason } : {}),
    })),
    ...(result.modes ? { 'heimdall:modes': result.modes } : {}),
    ...(result.hyperbola
      ? { 'heimdall:hyperbola': { type: 'LineString', coordinates: result.hyperbola } }
      : {}),
  };
}

/** The collection's files: `<scene>.sigmf-collection` first, then one `.sigmf-meta` per recording. */
export async function tdoaSigmfCollection(
  result: TdoaResult,
  recordings: readonly TdoaSigmfRecording[],
  place?: string,
): Promise<SigmfFile[]> {
  if (recordings.length === 0) {
    throw new HeimdallError(
      'ConfigError',
      `TDoA scene ${result.scene} has no recordings to export`,
    );
  }
  const seen = new Set<string>();
  const metas: SigmfFile[] = recordings.map(({ info, station }) => {
    let name = stem(info.name);
    while (seen.has(name)) name += '_';
    seen.add(name);
    const text = sigmfMetaText({
      datatype: info.datatype,
      sampleRateHz: info.sampleRateHz,
      metadataOnly: true,
      description: `TDoA result for ${info.name} (heimdall-web)`,
      recorder: 'heimdall-web',
      collection: stem(result.scene),
      ...(station ? { position: station } : {}),
      extensions: [SPATIAL],
      global: {
        'spatial:num_elements': 1,
        'spatial:channel_index': 0,
        ...(station ? { 'heimdall:receiver_id': station.id } : {}),
      },
      captures: [
        {
          sampleStart: 0,
          frequencyHz: info.centerFrequencyHz,
          // An empty capture time is no time (as before): leave the field out.
          datetime: info.captureTime || undefined,
        },
      ],
      annotations: [annotation(result, info, place)],
    });
    return { name: `${name}.sigmf-meta`, text: `${text}\n` };
  });
  const streams = await Promise.all(
    metas.map(async (m) => ({
      name: m.name.replace(/\.sigmf-meta$/, ''),
      hash: await sha512Hex(m.text),
    })),
  );
  const collection = {
    collection: {
      'core:version': SIGMF_VERSION,
      'core:description': `heimdall-web TDoA result for scene ${result.scene}`,
      'core:extensions': [SPATIAL],
      'core:streams': streams,
      // One antenna per recording, each at its own station: no array geometry to give.
      'spatial:element_geometry': [{ unknown: true }],
    },
  };
  return [
    {
      name: `${stem(result.scene)}.sigmf-collection`,
      text: `${JSON.stringify(collection, null, 2)}\n`,
    },
    ...metas,
  ];
}
