/**
 * Types shared by every IQ reader. A reader turns a file (or a pair of files) into an
 * `IqRecording`: its metadata, plus random access to windows of samples, so that a long
 * recording is never held in memory whole.
 */

/** Sample encodings we decode, named as SigMF names them (complex, interleaved I then Q). */
export type IqDatatype =
  | 'cf32_le'
  | 'cf32_be'
  | 'cf64_le'
  | 'cf64_be'
  | 'ci32_le'
  | 'ci32_be'
  | 'ci24_le' // WAV only: 24-bit PCM, as HDSDR writes it
  | 'ci16_le'
  | 'ci16_be'
  | 'ci8'
  | 'cu8';

export type RecordingFormat =
  | 'sigmf'
  | 'sigmf-archive'
  | 'kiwi-wav'
  | 'wav-auxi'
  | 'wav' // a stereo IQ WAV with neither kiwi nor auxi metadata (e.g. GNU Radio's WAV sink)
  | 'raw';

export interface Geolocation {
  lat: number;
  lon: number;
  altM?: number;
}

/** The transmitter a simulated (or surveyed) recording is known to contain. */
export interface Truth {
  lat: number;
  lon: number;
  powerW?: number;
  kind?: string;
  offsetHz?: number;
}

export interface RecordingInfo {
  /** The file name the user gave (for a pair, the data file's; in an archive, `archive/member`). Used in errors. */
  name: string;
  format: RecordingFormat;
  datatype: IqDatatype;
  sampleRateHz: number;
  centerFrequencyHz?: number;
  /** ISO 8601 UTC time of sample 0. */
  captureTime?: string;
  geolocation?: Geolocation;
  /** Receiver id or station name from metadata or the file name. */
  receiverHint?: string;
  totalSamples: number;
  truth?: Truth;
  /** Format-specific metadata worth keeping (documented per reader). */
  extra: Record<string, unknown>;
}

export interface IqRecording {
  info: RecordingInfo;
  /**
   * Samples [start, start + count) as interleaved I,Q with full scale = 1.0. Throws a
   * HeimdallError ('TooShortError') when the range runs past the end of the recording,
   * 'ConfigError' for a negative or fractional range. With `into` (room for 2 * count values),
   * the samples are written there and a view of it is returned: a caller reading a long
   * recording chunk by chunk reuses one array instead of faulting in fresh memory per chunk.
   */
  readSamples(start: number, count: number, into?: Float32Array): Promise<Float32Array>;
}

/** What the user tells us about a headerless file. */
export interface RawParams {
  datatype: 'cu8' | 'cs16' | 'cf32';
  sampleRateHz: number;
  centerFrequencyHz?: number;
  /** ISO 8601 UTC. */
  captureTime?: string;
}
