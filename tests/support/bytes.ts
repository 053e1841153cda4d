/**
 * Byte packing for test fixtures, with no test-runner import, so that scripts run by tsx (the
 * hostile corpus generator) and Vitest tests build bytes the same way.
 */
export type Part = Uint8Array | string;

export function concat(...parts: Part[]): Uint8Array<ArrayBuffer> {
  const bytes = parts.map((p) => (typeof p === 'string' ? new TextEncoder().encode(p) : p));
  const out = new Uint8Array(bytes.reduce((n, b) => n + b.length, 0));
  let at = 0;
  for (const b of bytes) {
    out.set(b, at);
    at += b.length;
  }
  return out;
}

function packer(bytesEach: number, write: (v: DataView, at: number, x: number) => void) {
  return (values: readonly number[]): Uint8Array => {
    const out = new Uint8Array(values.length * bytesEach);
    const view = new DataView(out.buffer);
    values.forEach((x, i) => write(view, i * bytesEach, x));
    return out;
  };
}

export const f32le = packer(4, (v, at, x) => v.setFloat32(at, x, true));
export const f32be = packer(4, (v, at, x) => v.setFloat32(at, x, false));
export const f64le = packer(8, (v, at, x) => v.setFloat64(at, x, true));
export const i32le = packer(4, (v, at, x) => v.setInt32(at, x, true));
export const i16le = packer(2, (v, at, x) => v.setInt16(at, x, true));
export const i16be = packer(2, (v, at, x) => v.setInt16(at, x, false));
export const i8 = packer(1, (v, at, x) => v.setInt8(at, x));
export const u8 = packer(1, (v, at, x) => v.setUint8(at, x));
export const u16le = packer(2, (v, at, x) => v.setUint16(at, x, true));
export const u32le = packer(4, (v, at, x) => v.setUint32(at, x, true));
