// Writes public/model.onnx: logistic regression, score = Sigmoid(MatMul(features, W) + B),
// features float[1, 4] → score float[1, 1]. ONNX is a protobuf; this tiny model is encoded
// by hand so the example needs no Python. Your own model comes from your training code
// (e.g. torch.onnx.export) and replaces this file.
// Run: node examples/onnx/make-model.mjs
import { writeFileSync } from 'node:fs';

const WEIGHTS = [0.9, -0.6, 0.4, -0.2];
const BIAS = 0.1;

const varint = (n) => {
  const bytes = [];
  let rest = n;
  while (rest > 127) {
    bytes.push((rest & 127) | 128);
    rest >>>= 7;
  }
  bytes.push(rest);
  return bytes;
};
/** A length-delimited field (strings, bytes, nested messages). */
const field = (number, bytes) => [...varint((number << 3) | 2), ...varint(bytes.length), ...bytes];
const int = (number, value) => [...varint(number << 3), ...varint(value)];
const text = (number, value) => field(number, [...Buffer.from(value)]);
const floats = (values) => [...new Uint8Array(new Float32Array(values).buffer)];

const FLOAT = 1;
/** ValueInfoProto: a float tensor's name and shape. */
const valueInfo = (name, dims) => [
  ...text(1, name),
  ...field(2, field(1, [...int(1, FLOAT), ...field(2, dims.flatMap((dim) => field(1, int(1, dim))))])),
];
/** TensorProto: an initializer holding float weights. */
const initializer = (name, dims, values) => [...dims.flatMap((dim) => int(1, dim)), ...int(2, FLOAT), ...text(8, name), ...field(9, floats(values))];
/** NodeProto: one operator. */
const node = (op, inputs, output) => [...inputs.flatMap((input) => text(1, input)), ...text(2, output), ...text(4, op)];

const graph = [
  ...field(1, node('MatMul', ['features', 'W'], 'z0')),
  ...field(1, node('Add', ['z0', 'B'], 'z')),
  ...field(1, node('Sigmoid', ['z'], 'score')),
  ...text(2, 'logistic'),
  ...field(5, initializer('W', [4, 1], WEIGHTS)),
  ...field(5, initializer('B', [1], [BIAS])),
  ...field(11, valueInfo('features', [1, 4])),
  ...field(12, valueInfo('score', [1, 1])),
];
const model = [...int(1, 8 /* IR version */), ...text(2, 'telltale-example'), ...field(7, graph), ...field(8, int(2, 13 /* opset */))];

writeFileSync(new URL('public/model.onnx', import.meta.url), new Uint8Array(model));
