/**
 * The smallest ONNX model there is: y = Identity(x), x and y float32 [1]. Creating a session on
 * it makes onnxruntime-web fetch, compile and instantiate its WebAssembly runtime (and start its
 * threads), which it otherwise does only on the first real session. So the runtime can start
 * loading at page load, while the model is still being fetched, instead of after it.
 *
 * Encoded by hand (a few protobuf fields of onnx.proto: ModelProto, GraphProto, NodeProto,
 * ValueInfoProto, TypeProto) rather than shipped as a file: one request fewer, and the bytes are
 * checked by tests/worker/runtime.test.ts, which runs the model.
 */

const varint = (n: number): number[] => {
  const out: number[] = [];
  while (n > 127) {
    out.push((n & 127) | 128);
    n >>>= 7;
  }
  out.push(n);
  return out;
};
const intField = (no: number, v: number) => [no << 3, ...varint(v)];
const bytesField = (no: number, payload: number[]) => [
  (no << 3) | 2,
  ...varint(payload.length),
  ...payload,
];
const strField = (no: number, s: string) => bytesField(no, [...new TextEncoder().encode(s)]);

const FLOAT = 1; // TensorProto.DataType.FLOAT
const IR_VERSION = 7;
const OPSET = 13;

/** ValueInfoProto { name, type: TypeProto { tensor_type { elem_type, shape { dim { dim_value 1 } } } } } */
const valueInfo = (name: string) => [
  ...strField(1, name),
  ...bytesField(
    2,
    bytesField(1, [...intField(1, FLOAT), ...bytesField(2, bytesField(1, intField(1, 1)))]),
  ),
];

export const TINY_INPUT = 'x';
export const TINY_OUTPUT = 'y';

export const TINY_MODEL = new Uint8Array([
  ...intField(1, IR_VERSION),
  ...bytesField(8, [...strField(1, ''), ...intField(2, OPSET)]),
  ...bytesField(7, [
    ...bytesField(1, [
      ...strField(1, TINY_INPUT),
      ...strField(2, TINY_OUTPUT),
      ...strField(4, 'Identity'),
    ]),
    ...strField(2, 'warm-up'),
    ...bytesField(11, valueInfo(TINY_INPUT)),
    ...bytesField(12, valueInfo(TINY_OUTPUT)),
  ]),
]);
