// A tiny ONNX model made by hand: c = a + b over float[3] (ONNX's protobuf, encoded here).
const varint = (n: number): number[] => {
  const out: number[] = [];
  while (n > 127) out.push((n & 127) | 128), (n >>>= 7);
  return [...out, n];
};
const field = (no: number, bytes: number[]): number[] => [...varint((no << 3) | 2), ...varint(bytes.length), ...bytes];
const num = (no: number, n: number): number[] => [...varint(no << 3), ...varint(n)];
const str = (no: number, s: string) => field(no, [...Buffer.from(s)]);

/** ValueInfoProto of a float tensor of shape [3]. */
const tensor = (name: string) =>
  [...str(1, name), ...field(2, field(1, [...num(1, 1 /* FLOAT */), ...field(2, field(1, num(1, 3)))]))];

export const ADD_ONNX = new Uint8Array([
  ...num(1, 8), // ir_version
  ...field(7, [
    ...field(1, [...str(1, 'a'), ...str(1, 'b'), ...str(2, 'c'), ...str(4, 'Add')]),
    ...str(2, 'add'),
    ...field(11, tensor('a')),
    ...field(11, tensor('b')),
    ...field(12, tensor('c')),
  ]),
  ...field(8, num(2, 13)), // opset 13
]);
