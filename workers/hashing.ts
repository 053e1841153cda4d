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

const encoder = new TextEncoder();
/**
 * The message being hashed is assembled here, reused by every call: digest() copies its input
 * before it returns, so the next call may overwrite it at once. A Chromium CPU profile of 100
 * concurrent predictions (2026-12-02) had a quarter of the worker's busy time in this function,
 * most of it in TextEncoder.encode and in allocating a fresh 50 kB buffer per prediction key.
 */
let scratch = new Uint8Array(1 << 16);

function reserve(bytes: number): void {
  if (scratch.length < bytes) scratch = new Uint8Array(Math.max(bytes, scratch.length * 2));
}

/** SHA-256 of the parts concatenated (strings as UTF-8), as lowercase hex. */
export async function sha256Hex(...parts: (Bytes | string)[]): Promise<string> {
  // UTF-8 takes at most 3 bytes per UTF-16 code unit.
  reserve(parts.reduce((n, p) => n + (typeof p === 'string' ? 3 * p.length : p.byteLength), 0));
  let length = 0;
  for (const p of parts) {
    if (typeof p === 'string') {
      length += encoder.encodeInto(p, scratch.subarray(length)).written;
    } else {
      scratch.set(asBytes(p), length);
      length += p.byteLength;
    }
  }
  return hex(await crypto.subtle.digest('SHA-256', scratch.subarray(0, length)));
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

/**
 * The key of a scene's samples for InputKeys (inputKeys.ts): the windows the model's features are
 * computed from, and everything else the prediction key depends on (version, feature definition,
 * receivers). The windows all have the length the feature definition gives, so their
 * concatenation is unambiguous.
 */
export function samplesKey(
  windows: readonly Float32Array[],
  version: string,
  prepHash: string,
  receivers?: string,
): Promise<string> {
  const rest = receivers === undefined ? '' : `\u0000${receivers}`;
  return sha256Hex(...windows, `\u0000samples\u0000${version}\u0000${prepHash}${rest}`);
}
