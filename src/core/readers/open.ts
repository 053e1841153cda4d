import { HeimdallError, isHeimdallError } from '../errors';
import type { ByteSource } from './byteSource';
import { openRaw } from './raw';
import { openSigmfPair } from './sigmf';
import { openSigmfArchive } from './sigmfArchive';
import { dateKiwiRecordingsByPeers } from './kiwiWeek';
import { pairSigmf, SIGMF_DATA, SIGMF_META, type FileError } from './sigmfPairs';
import type { IqRecording, RawParams } from './types';
import { openWav } from './wav';

export type { FileError } from './sigmfPairs';

type Detected =
  | { kind: 'wav' }
  | { kind: 'sigmf-archive' }
  | { kind: 'raw'; datatype: RawParams['datatype'] | undefined };

const RAW_EXTENSIONS: Record<string, RawParams['datatype'] | undefined> = {
  '.cu8': 'cu8',
  '.cs16': 'cs16',
  '.cf32': 'cf32',
  '.cfile': 'cf32', // GNU Radio's file sink convention
  '.raw': undefined,
  '.iq': undefined,
  '.bin': undefined,
  '.dat': undefined,
};

const SUPPORTED =
  'SigMF (.sigmf-meta + .sigmf-data, or a .sigmf archive), IQ WAV (KiwiSDR, auxi, stereo), ' +
  'headerless .cu8/.cs16/.cf32 (or .raw/.iq with a datatype)';

function extensionOf(name: string): string {
  const base = name.slice(name.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot).toLowerCase() : '';
}

function ascii(bytes: Uint8Array, from: number, length: number): string {
  return String.fromCharCode(...bytes.subarray(from, from + length));
}

/**
 * The format of a single file, from its magic bytes first (a WAV or a tar is recognised under
 * any name, since raw samples never begin with those headers) and then its extension.
 */
async function detect(source: ByteSource, raw: RawParams | undefined): Promise<Detected> {
  const head = await source.read(0, 512 + 8);
  if (head.length >= 12 && /^(RIFF|RF64)$/.test(ascii(head, 0, 4)) && ascii(head, 8, 4) === 'WAVE')
    return { kind: 'wav' };
  if (head.length >= 263 && ascii(head, 257, 5) === 'ustar') return { kind: 'sigmf-archive' };
  const ext = extensionOf(source.name);
  // Checked before the extension: a gzipped .sigmf archive is not a tar with a bad checksum.
  const compressed =
    head[0] === 0x1f && head[1] === 0x8b
      ? 'gzip'
      : ascii(head, 0, 4) === 'PK\x03\x04'
        ? 'zip'
        : null;
  if (compressed) {
    throw new HeimdallError(
      'UnsupportedFormatError',
      `the file is ${compressed}-compressed; decompress it first` +
        (ext === '.sigmf' ? ' (a .sigmf archive is a plain tar)' : ''),
      source.name,
    );
  }
  if (ext === '.wav') return { kind: 'wav' }; // not RIFF: openWav says so
  if (ext === '.sigmf') return { kind: 'sigmf-archive' }; // an old-style tar: indexTar checks it
  // The caller's datatype applies to generic names only: a .txt or .png is never taken for samples.
  if (ext in RAW_EXTENSIONS) return { kind: 'raw', datatype: RAW_EXTENSIONS[ext] ?? raw?.datatype };
  if (ext === '' && raw?.datatype) return { kind: 'raw', datatype: raw.datatype };
  throw new HeimdallError(
    'UnsupportedFormatError',
    `not a recording format we read; supported: ${SUPPORTED}`,
    source.name,
  );
}

/** The recordings in one self-contained file (not half of a SigMF pair). */
async function openFile(
  source: ByteSource,
  raw: RawParams | undefined,
): Promise<{ recordings: IqRecording[]; errors: FileError[] }> {
  const detected = await detect(source, raw);
  switch (detected.kind) {
    case 'wav':
      return { recordings: [await openWav(source)], errors: [] };
    case 'sigmf-archive':
      return openSigmfArchive(source);
    case 'raw':
      if (!detected.datatype) {
        throw new HeimdallError(
          'MissingParameterError',
          'a headerless file needs its datatype (cu8, cs16 or cf32) and sampleRateHz',
          source.name,
        );
      }
      return { recordings: [openRaw(source, detected.datatype, raw)], errors: [] };
  }
}

function asFileError(err: unknown, fallbackName: string): FileError {
  if (isHeimdallError(err)) return { file: err.file ?? fallbackName, error: err };
  // A bug or an I/O failure (a file removed while open): still reported against the file.
  const message = err instanceof Error ? err.message : String(err);
  return {
    file: fallbackName,
    error: new HeimdallError('CorruptFileError', `could not be read: ${message}`, fallbackName),
  };
}

/**
 * Opens every recording in a set of files: pairs `X.sigmf-meta` with `X.sigmf-data` by base
 * name (in one folder, where the sources say their path), opens archives, WAVs and headerless
 * files (with `raw`). One bad file never prevents the others: each problem comes back in
 * `errors`, naming its file. A KiwiSDR WAV whose name has no date is dated from the others
 * (kiwiWeek.ts).
 */
export async function openRecordings(
  sources: readonly ByteSource[],
  raw?: RawParams,
): Promise<{ recordings: IqRecording[]; errors: FileError[] }> {
  const { pairs, errors, rest } = pairSigmf(
    sources,
    (s) => s.name,
    (s) => s.path ?? s.name,
  );
  const recordings: IqRecording[] = [];
  for (const { meta, data } of pairs) {
    try {
      recordings.push(await openSigmfPair(meta, data));
    } catch (err) {
      errors.push(asFileError(err, data.name));
    }
  }
  for (const source of rest) {
    try {
      const opened = await openFile(source, raw);
      recordings.push(...opened.recordings);
      errors.push(...opened.errors);
    } catch (err) {
      errors.push(asFileError(err, source.name));
    }
  }
  // A KiwiSDR file renamed without its date takes the GPS week of the files opened with it.
  dateKiwiRecordingsByPeers(recordings);
  return { recordings, errors };
}

/**
 * Opens a file that holds exactly one recording (a WAV, a headerless file, a one-recording
 * archive). Half of a SigMF pair is a MissingParameterError naming the other half.
 */
export async function openRecording(source: ByteSource, raw?: RawParams): Promise<IqRecording> {
  const lower = source.name.toLowerCase();
  if (lower.endsWith(SIGMF_META) || lower.endsWith(SIGMF_DATA)) {
    const { errors } = pairSigmf([source], (s) => s.name);
    throw errors[0].error;
  }
  const { recordings, errors } = await openFile(source, raw);
  if (recordings.length === 1 && errors.length === 0) return recordings[0];
  if (recordings.length === 0 && errors.length > 0) throw errors[0].error;
  throw new HeimdallError(
    'ConfigError',
    `holds ${recordings.length} recordings and ${errors.length} bad ones; open it with openRecordings`,
    source.name,
  );
}
