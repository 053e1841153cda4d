import { closeSync, openSync, writeSync } from 'node:fs';

/** The element types the datasets use: float32, and int16 for fixed-point log-mels. */
const DESCR = { float32: '<f4', int16: '<i2' } as const;

/** Streams a float32 (or int16) C-order array into a .npy file (format 1.0), one chunk at a time. */
export class NpyWriter {
  private readonly fd: number;
  private written = 0;
  private readonly total: number;

  constructor(
    path: string,
    readonly shape: readonly number[],
    dtype: keyof typeof DESCR = 'float32',
  ) {
    this.total = shape.reduce((a, b) => a * b, 1);
    const dict = `{'descr': '${DESCR[dtype]}', 'fortran_order': False, 'shape': (${shape.join(', ')}${
      shape.length === 1 ? ',' : ''
    }), }`;
    // Magic (6) + version (2) + header length (2) + header, padded to a multiple of 64 with '\n' last.
    const unpadded = 10 + dict.length + 1;
    const header = dict + ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
    const pre = Buffer.alloc(10);
    pre.write('\x93NUMPY', 0, 'latin1');
    pre[6] = 1;
    pre[7] = 0;
    pre.writeUInt16LE(header.length, 8);
    this.fd = openSync(path, 'w');
    writeSync(this.fd, pre);
    writeSync(this.fd, Buffer.from(header, 'latin1'));
  }

  write(values: Float32Array | Int16Array): void {
    // Typed arrays are little-endian on every platform Node runs on here (x86-64, arm64).
    writeSync(this.fd, new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
    this.written += values.length;
  }

  close(): void {
    closeSync(this.fd);
    if (this.written !== this.total) {
      throw new Error(`npy: wrote ${this.written} values, shape promises ${this.total}`);
    }
  }
}
