import { HeimdallError } from '../errors';
import { readExact, type ByteSource } from './byteSource';
import { MAX_FLOAT_SAMPLE_MAGNITUDE } from './limits';
import type { SampleCodec } from './sampleCodec';
import type { IqRecording, RecordingInfo } from './types';

/** A run of contiguous samples on disk (one WAV data chunk, one SigMF capture, a whole raw file). */
export interface SampleSegment {
  byteOffset: number;
  sampleCount: number;
}

// Segments closer than this on disk are fetched with one read: a KiwiSDR file has a 26-byte
// header between every 2 kB of samples, and one read is far cheaper than a hundred.
const COALESCE_GAP_BYTES = 4096;

/**
 * An IqRecording over samples stored in one or more segments of a ByteSource. Reads only the
 * bytes of the requested window (plus any small gaps between coalesced segments).
 */
export function segmentedRecording(
  info: RecordingInfo,
  source: ByteSource,
  allSegments: readonly SampleSegment[],
  codec: SampleCodec,
): IqRecording {
  const segments = allSegments.filter((s) => s.sampleCount > 0);
  const firstSample: number[] = [];
  let total = 0;
  for (const s of segments) {
    firstSample.push(total);
    total += s.sampleCount;
  }
  if (total !== info.totalSamples) {
    throw new Error(`reader bug: segments hold ${total} samples, info says ${info.totalSamples}`);
  }
  const bps = codec.bytesPerSample;

  /** Index of the segment holding sample `n` (binary search over segment starts). */
  function segmentOf(n: number): number {
    let lo = 0;
    let hi = segments.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (firstSample[mid] <= n) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  async function readSamples(
    start: number,
    count: number,
    into: Float32Array | undefined,
  ): Promise<Float32Array> {
    if (!Number.isSafeInteger(start) || !Number.isSafeInteger(count) || start < 0 || count < 0) {
      throw new HeimdallError(
        'ConfigError',
        `invalid sample range start=${start} count=${count}`,
        info.name,
      );
    }
    if (start + count > total) {
      throw new HeimdallError(
        'TooShortError',
        `samples ${start}..${start + count} were asked for but the recording has ${total}`,
        info.name,
      );
    }
    // Every value of `out` is written below (the pieces cover the range), so a reused array is safe.
    const out =
      into && into.length >= 2 * count ? into.subarray(0, 2 * count) : new Float32Array(2 * count);
    if (count === 0) return out;

    // The pieces of each touched segment, in order: [file offset, sample count, output sample].
    const pieces: [number, number, number][] = [];
    let done = 0;
    for (let k = segmentOf(start); done < count; k++) {
      const within = start + done - firstSample[k];
      const n = Math.min(segments[k].sampleCount - within, count - done);
      pieces.push([segments[k].byteOffset + within * bps, n, done]);
      done += n;
    }
    for (let i = 0; i < pieces.length;) {
      let j = i;
      while (
        j + 1 < pieces.length &&
        pieces[j + 1][0] - (pieces[j][0] + pieces[j][1] * bps) <= COALESCE_GAP_BYTES
      ) {
        j++;
      }
      const from = pieces[i][0];
      const bytes = await readExact(
        source,
        from,
        pieces[j][0] + pieces[j][1] * bps - from,
        'sample data',
      );
      for (let p = i; p <= j; p++) {
        const [offset, n, outSample] = pieces[p];
        codec.decode(bytes.subarray(offset - from, offset - from + n * bps), out, outSample);
      }
      i = j + 1;
    }
    return out;
  }

  const isFloat = codec.datatype.startsWith('cf');
  return {
    info,
    async readSamples(start, count, into) {
      const out = await readSamples(start, count, into);
      if (isFloat) checkFloatSamples(out, start, info);
      return out;
    },
  };
}

/**
 * Integer samples are always in range; float ones can be NaN, infinite or absurd (cf32_be
 * declared over little-endian data), and would reach the model as a non-finite output that
 * names no file. Refused here, naming the file and the sample.
 */
function checkFloatSamples(iq: Float32Array, start: number, info: RecordingInfo): void {
  for (let i = 0; i < iq.length; i++) {
    const v = iq[i];
    if (!(Math.abs(v) <= MAX_FLOAT_SAMPLE_MAGNITUDE)) {
      const sample = start + (i >> 1);
      throw new HeimdallError(
        'CorruptFileError',
        `sample ${sample} is ${v} (${i & 1 ? 'Q' : 'I'}); ${info.datatype} samples are full scale 1.0, ` +
          `so the file is damaged or its datatype (byte order) is wrong`,
        info.name,
      );
    }
  }
}
