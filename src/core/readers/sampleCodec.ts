import { HeimdallError } from '../errors';
import type { IqDatatype } from './types';

/** How one complex sample is stored on disk, and how to turn it into floats with full scale 1.0. */
export interface SampleCodec {
  datatype: IqDatatype;
  /** Bytes of one complex sample (I and Q together). */
  bytesPerSample: number;
  /** Decodes `bytes.length / bytesPerSample` samples into `out` from complex sample `outSample` on. */
  decode(bytes: Uint8Array, out: Float32Array, outSample: number): void;
}

type Getter = (view: DataView, offset: number) => number;

// Integer scalings map the most negative code to -1.0 (ci16 / 32768, ci8 / 128) as SigMF tools
// and numpy users do; cu8 is centred on 127.5 because rtl_sdr's zero lies between two codes.
const COMPONENT: Record<IqDatatype, { bytes: number; get: Getter }> = {
  cf32_le: { bytes: 4, get: (v, o) => v.getFloat32(o, true) },
  cf32_be: { bytes: 4, get: (v, o) => v.getFloat32(o, false) },
  cf64_le: { bytes: 8, get: (v, o) => v.getFloat64(o, true) },
  cf64_be: { bytes: 8, get: (v, o) => v.getFloat64(o, false) },
  ci32_le: { bytes: 4, get: (v, o) => v.getInt32(o, true) / 2147483648 },
  ci32_be: { bytes: 4, get: (v, o) => v.getInt32(o, false) / 2147483648 },
  ci24_le: {
    bytes: 3,
    // Sign-extend the 24-bit little-endian value by shifting it into the top of an int32.
    get: (v, o) =>
      ((v.getUint8(o) | (v.getUint8(o + 1) << 8) | (v.getUint8(o + 2) << 16)) << 8) / 2147483648,
  },
  ci16_le: { bytes: 2, get: (v, o) => v.getInt16(o, true) / 32768 },
  ci16_be: { bytes: 2, get: (v, o) => v.getInt16(o, false) / 32768 },
  ci8: { bytes: 1, get: (v, o) => v.getInt8(o) / 128 },
  cu8: { bytes: 1, get: (v, o) => (v.getUint8(o) - 127.5) / 127.5 },
};

/** The platform's byte order is little-endian (typed arrays use it): every browser and Node here. */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

export function codecFor(datatype: IqDatatype): SampleCodec {
  const { bytes, get } = COMPONENT[datatype];
  return {
    datatype,
    bytesPerSample: 2 * bytes,
    decode(data, out, outSample) {
      // KiwiSDR and most SigMF recordings are ci16_le: read them through an Int16Array (the same
      // values, several times faster than a DataView getter per value) where the bytes allow it.
      if (datatype === 'ci16_le' && LITTLE_ENDIAN && data.byteOffset % 2 === 0) {
        const values = new Int16Array(data.buffer, data.byteOffset, data.byteLength >> 1);
        for (let i = 0, o = 2 * outSample; i < values.length; i++, o++) out[o] = values[i] / 32768;
        return;
      }
      const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
      const values = Math.floor(data.byteLength / bytes);
      let o = 2 * outSample;
      for (let i = 0; i < values; i++) out[o++] = get(view, i * bytes);
    },
  };
}

const SIGMF_SUPPORTED: ReadonlySet<string> = new Set<IqDatatype>([
  'cf32_le',
  'cf32_be',
  'cf64_le',
  'cf64_be',
  'ci32_le',
  'ci32_be',
  'ci16_le',
  'ci16_be',
  'ci8',
  'cu8',
]);

// SigMF dataset format: (r|c)(f32|f64|i32|i16|u32|u16|i8|u8)(_le|_be), no byte order for 8-bit.
const SIGMF_DATATYPE = /^[rc](?:(?:f32|f64|i32|i16|u32|u16)_(?:le|be)|i8|u8)$/;

/** The codec for a SigMF `core:datatype`, or a clear refusal naming the datatype. */
export function sigmfCodec(datatype: string, fileName: string): SampleCodec {
  if (SIGMF_SUPPORTED.has(datatype)) return codecFor(datatype as IqDatatype);
  if (!SIGMF_DATATYPE.test(datatype)) {
    throw new HeimdallError(
      'CorruptFileError',
      `core:datatype "${datatype}" is not a SigMF datatype`,
      fileName,
    );
  }
  const why = datatype.startsWith('r')
    ? 'real-valued samples carry no phase, and locating needs complex IQ'
    : 'this complex datatype is not one we decode';
  throw new HeimdallError(
    'UnsupportedFormatError',
    `datatype ${datatype} is not supported (${why}); supported: ${[...SIGMF_SUPPORTED].join(', ')}`,
    fileName,
  );
}
