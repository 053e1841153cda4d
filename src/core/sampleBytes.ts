/**
 * Samples as the little-endian bytes SigMF's cf32_le and ci16_le name. On a little-endian host
 * (every browser and Node platform in practice) the bytes are the array's own, not a copy: a live
 * recording of hundreds of megabytes is never held twice.
 */
const LITTLE_ENDIAN_HOST = new Uint8Array(new Float32Array([1]).buffer)[3] === 0x3f;

export function float32LeBytes(iq: Float32Array): Uint8Array<ArrayBuffer> {
  // Samples here come from our own arrays and WebSocket messages: plain ArrayBuffers, never shared.
  if (LITTLE_ENDIAN_HOST)
    return new Uint8Array(iq.buffer as ArrayBuffer, iq.byteOffset, iq.byteLength);
  const out = new Uint8Array(iq.byteLength);
  const view = new DataView(out.buffer);
  for (let i = 0; i < iq.length; i++) view.setFloat32(4 * i, iq[i], true);
  return out;
}

export function int16LeBytes(iq: Int16Array): Uint8Array<ArrayBuffer> {
  if (LITTLE_ENDIAN_HOST)
    return new Uint8Array(iq.buffer as ArrayBuffer, iq.byteOffset, iq.byteLength);
  const out = new Uint8Array(iq.byteLength);
  const view = new DataView(out.buffer);
  for (let i = 0; i < iq.length; i++) view.setInt16(2 * i, iq[i], true);
  return out;
}
