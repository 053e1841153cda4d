/**
 * The Web APIs src/core may use: the few that every place core runs provides alike (browsers, the
 * model worker, Node 20+ as globals). tsconfig.core.json compiles core without the DOM and Node
 * type libraries so that nothing else creeps in (a `document`, a `node:fs`); this file is the
 * whole list, and adding to it is a decision about every runtime at once.
 */

interface TextEncoder {
  encode(input?: string): Uint8Array<ArrayBuffer>;
}
declare const TextEncoder: { new (): TextEncoder };

interface TextDecoder {
  decode(input?: ArrayBufferView | ArrayBuffer, options?: { stream?: boolean }): string;
}
declare const TextDecoder: {
  new (label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean }): TextDecoder;
};

/** A File is a Blob: core reads both by ranges (readers/byteSource.ts). */
interface Blob {
  readonly size: number;
  slice(start?: number, end?: number): Blob;
  arrayBuffer(): Promise<ArrayBuffer>;
}

// `var`, as in TypeScript's own DOM lib: code reads it as globalThis.crypto, which a const is not.
// eslint-disable-next-line no-var
declare var crypto: {
  readonly subtle: {
    digest(algorithm: string, data: ArrayBufferView | ArrayBuffer): Promise<ArrayBuffer>;
  };
};

/** A monotonic clock in milliseconds (browsers, workers and Node alike): stage timings only. */
declare const performance: { now(): number };
