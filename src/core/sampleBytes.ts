/**
 * Samples as the little-endian bytes SigMF's cf32_le and ci16_le name. On a little-endian host
 * (every browser and Node platform in practice) the bytes are the array's own, not a copy: a live
 * recording of hundreds of megabytes is never held twice.
 */
const LITTLE_ENDIAN_HOST = new Uint8Array(new Float32Array([1]).buffer)[3] === 0x3f;

/** The bytes of cf32_le (Float32Array) or ci16_le (Int16Array) samples. */
export function littleEndianBytes(iq: Float32Array | Int16Array): Uint8Array<ArrayBuffer> {
  // Samples here come from our own arrays and WebSocket messages: plain ArrayBuffers, never shared.
  if (LITTLE_ENDIAN_HOST)
    return new Uint8Array(iq.buffer as ArrayBuffer, iq.byteOffset, iq.byteLength);
  const out = new Uint8Array(iq.byteLength);
  const view = new DataView(out.buffer);
  if (iq instanceof Float32Array) iq.forEach((v, i) => view.setFloat32(4 * i, v, true));
  else iq.forEach((v, i) => view.setInt16(2 * i, v, true));
  return out;
}
