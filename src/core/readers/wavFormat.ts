import { HeimdallError } from '../errors';
import { checkSampleRate } from './limits';
import { codecFor, type SampleCodec } from './sampleCodec';
import type { IqDatatype } from './types';

const WAVE_FORMAT_PCM = 1;
const WAVE_FORMAT_IEEE_FLOAT = 3;
const WAVE_FORMAT_EXTENSIBLE = 0xfffe;

export interface WavFormat {
  codec: SampleCodec;
  /** The header's rate: whole hertz (a KiwiSDR's true rate, e.g. 12001.1 Hz, is rounded). */
  sampleRateHz: number;
}

/**
 * The sample codec of an IQ WAV's `fmt ` chunk. IQ WAVs are stereo, I left and Q right: PCM
 * 8 (unsigned, WAV's convention), 16, 24 or 32 bits, or IEEE float 32/64 bits. Anything else is
 * refused by name.
 */
export function parseWavFormat(body: Uint8Array, fileName: string): WavFormat {
  if (body.length < 16) {
    throw new HeimdallError(
      'CorruptFileError',
      `the fmt chunk has ${body.length} bytes, fewer than 16`,
      fileName,
    );
  }
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  let tag = view.getUint16(0, true);
  const channels = view.getUint16(2, true);
  const sampleRateHz = view.getUint32(4, true);
  const blockAlign = view.getUint16(12, true);
  const bits = view.getUint16(14, true);
  // WAVE_FORMAT_EXTENSIBLE keeps the real format tag in the first two bytes of its SubFormat GUID.
  if (tag === WAVE_FORMAT_EXTENSIBLE && body.length >= 26) tag = view.getUint16(24, true);

  if (channels !== 2) {
    throw new HeimdallError(
      'UnsupportedFormatError',
      `${channels}-channel WAV: an IQ WAV has 2 channels (I left, Q right)`,
      fileName,
    );
  }
  let datatype: IqDatatype | undefined;
  if (tag === WAVE_FORMAT_PCM) {
    datatype = ({ 8: 'cu8', 16: 'ci16_le', 24: 'ci24_le', 32: 'ci32_le' } as const)[
      bits as 8 | 16 | 24 | 32
    ];
  } else if (tag === WAVE_FORMAT_IEEE_FLOAT) {
    datatype = ({ 32: 'cf32_le', 64: 'cf64_le' } as const)[bits as 32 | 64];
  }
  if (!datatype) {
    throw new HeimdallError(
      'UnsupportedFormatError',
      `WAV format tag ${tag} with ${bits} bits per sample is not supported (PCM 8/16/24/32 or float 32/64)`,
      fileName,
    );
  }
  const codec = codecFor(datatype);
  if (blockAlign !== codec.bytesPerSample) {
    throw new HeimdallError(
      'CorruptFileError',
      `the fmt chunk's block align is ${blockAlign}, but 2 channels of ${bits} bits need ${codec.bytesPerSample}`,
      fileName,
    );
  }
  checkSampleRate(sampleRateHz, fileName, "the fmt chunk's sample rate");
  return { codec, sampleRateHz };
}
