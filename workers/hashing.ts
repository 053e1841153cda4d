/** SHA-256 through crypto.subtle (worker, browser and Node 20 alike). */
import type { Preprocessing } from '../src/core/modelMetadata';

const hex = (buffer: ArrayBuffer): string =>
  Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, '0')).join('');

type Bytes = ArrayBufferView | ArrayBuffer;

function asBytes(part: Bytes): Uint8Array {
  return part instanceof ArrayBuffer
    ? new Uint8Array(part)
    : new Uint8Array(part.buffer, part.byteOffset, part.byteLength);
}

/** SHA-256 of the parts concatenated, as lowercase hex. */
export async function sha256Hex(...parts: (Bytes | string)[]): Promise<string> {
  const encoder = new TextEncoder();
  const chunks = parts.map((p) => (typeof p === 'string' ? encoder.encode(p) : asBytes(p)));
  const total = chunks.reduce((n, c) => n + c.length, 0);
  const joined = chunks.length === 1 ? chunks[0] : new Uint8Array(total);
  if (chunks.length !== 1) {
    let offset = 0;
    for (const c of chunks) {
      joined.set(c, offset);
      offset += c.length;
    }
  }
  return hex(await crypto.subtle.digest('SHA-256', joined as Uint8Array<ArrayBuffer>));
}

/** JSON with object keys sorted, so equal settings always hash equally. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function preprocessingHash(p: Preprocessing): Promise<string> {
  return sha256Hex(canonicalJson(p));
}

/**
 * The prediction cache key: the exact model-input bytes, the model version and the feature
 * definition, and for an any-network model its other input, the receivers (ids and positions).
 * Separators keep ('1.0.0', 'ab') and ('1.0.0a', 'b') apart.
 */
export function predictionKey(
  features: Float32Array,
  version: string,
  prepHash: string,
  receivers?: string,
): Promise<string> {
  const rest = receivers === undefined ? '' : `\u0000${receivers}`;
  return sha256Hex(features, `\u0000${version}\u0000${prepHash}${rest}`);
}
