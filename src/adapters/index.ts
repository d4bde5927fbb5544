// telltale/adapters: helpers for ONNX Runtime Web, TensorFlow.js and transformers.js, kept out
// of the core bundle. They only call the client they are given, so nothing of telltale's core
// and no ML library is bundled with them.
export { monitorOnnx, type OnnxOptions } from './onnx';
export { monitorTfjs, type TfjsOptions } from './tfjs';
export { monitorPipeline, type PipelineOptions } from './transformers';
