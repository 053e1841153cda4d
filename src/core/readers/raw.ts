import { HeimdallError } from '../errors';
import type { ByteSource } from './byteSource';
import { checkSampleRate } from './limits';
import { codecFor } from './sampleCodec';
import { segmentedRecording } from './segmentedRecording';
import type { IqDatatype, IqRecording, RawParams, RecordingInfo } from './types';

/** Headerless encodings as their tools name them (rtl_sdr cu8, HackRF/bladeRF cs16, GNU Radio cf32). */
export const RAW_DATATYPES: Record<RawParams['datatype'], IqDatatype> = {
  cu8: 'cu8',
  cs16: 'ci16_le',
  cf32: 'cf32_le',
};

/**
 * A headerless IQ file. Nothing in it says its rate, so the caller's RawParams must; the
 * datatype comes from the extension when it names one, else from RawParams.
 */
export function openRaw(
  source: ByteSource,
  datatype: RawParams['datatype'],
  params: RawParams | undefined,
): IqRecording {
  const rate = params?.sampleRateHz;
  if (rate === undefined || !Number.isFinite(rate) || rate <= 0) {
    throw new HeimdallError(
      'MissingParameterError',
      `a headerless ${datatype} file does not say its sample rate: give sampleRateHz` +
        (rate === undefined ? '' : ` (got ${rate})`),
      source.name,
    );
  }
  checkSampleRate(rate, source.name, 'sampleRateHz');
  const time = params?.captureTime;
  // A time without a zone would be read as the local time of whichever machine parses it.
  if (
    time !== undefined &&
    (!/(Z|[+-]\d{2}:?\d{2})$/.test(time) || Number.isNaN(Date.parse(time)))
  ) {
    throw new HeimdallError(
      'ConfigError',
      `captureTime "${time}" is not an ISO 8601 time with a zone (Z for UTC)`,
      source.name,
    );
  }
  const codec = codecFor(RAW_DATATYPES[datatype]);
  if (source.size === 0)
    throw new HeimdallError('CorruptFileError', 'the file is empty', source.name);
  if (source.size % codec.bytesPerSample !== 0) {
    throw new HeimdallError(
      'TruncatedFileError',
      `${source.size} bytes is not a whole number of ${datatype} samples (${codec.bytesPerSample} bytes each): ` +
        'the file is cut short or the datatype is wrong',
      source.name,
    );
  }
  const totalSamples = source.size / codec.bytesPerSample;
  const info: RecordingInfo = {
    name: source.name,
    format: 'raw',
    datatype: codec.datatype,
    sampleRateHz: rate,
    totalSamples,
    extra: {},
  };
  if (params?.centerFrequencyHz !== undefined) info.centerFrequencyHz = params.centerFrequencyHz;
  if (time !== undefined) info.captureTime = new Date(time).toISOString();
  return segmentedRecording(info, source, [{ byteOffset: 0, sampleCount: totalSamples }], codec);
}
