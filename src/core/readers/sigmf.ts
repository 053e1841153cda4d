import { HeimdallError } from '../errors';
import { readExact, type ByteSource } from './byteSource';
import { segmentedRecording, type SampleSegment } from './segmentedRecording';
import { MAX_META_BYTES } from './limits';
import { parseSigmfMeta } from './sigmfMeta';
import type { IqRecording, RecordingInfo } from './types';

export async function readTextFile(source: ByteSource, what: string): Promise<string> {
  if (source.size > MAX_META_BYTES) {
    throw new HeimdallError(
      'CorruptFileError',
      `${source.size} bytes is too large for ${what} (limit ${MAX_META_BYTES})`,
      source.name,
    );
  }
  const bytes = await readExact(source, 0, source.size, what);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new HeimdallError('CorruptFileError', `${what} is not UTF-8 text`, source.name);
  }
}

/**
 * A SigMF recording from its metadata and dataset. Capture segments with `core:header_bytes`
 * (non-conforming datasets) become separate sample segments, so their headers are skipped.
 * `name` defaults to the dataset's file name.
 */
export async function openSigmfPair(
  meta: ByteSource,
  data: ByteSource,
  format: 'sigmf' | 'sigmf-archive' = 'sigmf',
  name: string = data.name,
): Promise<IqRecording> {
  const m = parseSigmfMeta(await readTextFile(meta, 'SigMF metadata'), meta.name);
  const bps = m.codec.bytesPerSample;
  const captures = m.captures.length > 0 ? m.captures : [{ sampleStart: 0, headerBytes: 0 }];
  const headerTotal = captures.reduce((sum, c) => sum + c.headerBytes, 0);
  const sampleBytes = data.size - m.trailingBytes - headerTotal;
  if (sampleBytes <= 0) {
    throw new HeimdallError(
      'CorruptFileError',
      `the dataset holds no samples (${data.size} bytes)`,
      data.name,
    );
  }
  if (sampleBytes % bps !== 0) {
    throw new HeimdallError(
      'TruncatedFileError',
      `${sampleBytes} bytes of samples is not a whole number of ${m.codec.datatype} samples (${bps} bytes each): ` +
        `the file is cut short or the datatype is wrong`,
      data.name,
    );
  }

  // Sample s of capture i lies at s * bps plus the header bytes of captures 0..i; samples before
  // the first capture (if it starts late) lie at s * bps.
  const dataEnd = data.size - m.trailingBytes;
  // As many as the dataset holds: a first capture that starts beyond the data leaves every
  // sample before it (and none after).
  const before = Math.min(captures[0].sampleStart, Math.floor(dataEnd / bps));
  const segments: SampleSegment[] = [{ byteOffset: 0, sampleCount: before }];
  let headers = 0;
  captures.forEach((c, i) => {
    headers += c.headerBytes;
    const byteOffset = c.sampleStart * bps + headers;
    const available = Math.max(0, Math.floor((dataEnd - byteOffset) / bps));
    const next = captures[i + 1]?.sampleStart ?? Infinity;
    // Captures that point past the end of the data describe nothing and are ignored (spec).
    segments.push({ byteOffset, sampleCount: Math.min(next - c.sampleStart, available) });
  });
  const totalSamples = segments.reduce((sum, s) => sum + s.sampleCount, 0);

  const info: RecordingInfo = {
    name,
    format,
    datatype: m.codec.datatype,
    sampleRateHz: m.sampleRateHz,
    totalSamples,
    extra: m.extra,
  };
  if (m.centerFrequencyHz !== undefined) info.centerFrequencyHz = m.centerFrequencyHz;
  if (m.captureTime !== undefined) info.captureTime = m.captureTime;
  // Every segment's start time, for TDoA (src/core/tdoa/sigmfTiming.ts); sample indices here are
  // indices into the recording (captures are contiguous in sample numbering).
  const timed = m.captures.filter((c) => c.datetime !== undefined);
  if (timed.length > 0)
    info.extra.captureDatetimes = timed.map((c) => ({
      sampleStart: c.sampleStart,
      datetime: c.datetime,
    }));
  if (m.geolocation) info.geolocation = m.geolocation;
  if (m.receiverHint !== undefined) info.receiverHint = m.receiverHint;
  if (m.truth) info.truth = m.truth;
  return segmentedRecording(info, data, segments, m.codec);
}
