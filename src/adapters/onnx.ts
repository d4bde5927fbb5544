// ONNX Runtime Web: times `session.run`. Duck-typed: onnxruntime-web is never imported.
import type { Client, InferenceOptions } from '../types';

type Run = (feeds: Record<string, { size?: number }>, ...rest: unknown[]) => Promise<Record<string, unknown>>;

export interface OnnxOptions extends Omit<InferenceOptions<Run>, 'backend' | 'backendRequested'> {
  /** The `executionProviders` the session was created with, in order. */
  executionProviders?: (string | { name: string })[];
  /** The onnxruntime-web module: tells whether WebGPU really started (ORT falls back to WASM silently). */
  ort?: { env?: { webgpu?: { adapter?: unknown } } };
}

/** The execution provider ORT will have used: the first one asked for that could start. */
const used = (asked: string[], o: OnnxOptions): string | undefined =>
  asked.find((ep) =>
    ep == 'webgpu'
      ? o.ort
        ? !!o.ort.env?.webgpu?.adapter
        : typeof navigator == 'object' && 'gpu' in navigator
      : ep != 'webnn' || (typeof navigator == 'object' && 'ml' in navigator),
  );

/** Elements in all input tensors. */
const elements = ([feeds]: Parameters<Run>): number => {
  let n = 0;
  for (const k in feeds) n += feeds[k]?.size || 0;
  return n;
};

/**
 * Records every `session.run` of an ONNX Runtime Web InferenceSession (wrapped in place).
 * `backend` is the execution provider used, `backendRequested` the first one asked for.
 */
export const monitorOnnx = <S extends { run: Run }>(client: Client, session: S, options: OnnxOptions): S => {
  const asked = (options.executionProviders || ['wasm']).map((ep) => (typeof ep == 'string' ? ep : ep.name));
  session.run = client.wrapInference(session.run, {
    inputSize: elements,
    ...options,
    backend: used(asked, options) || asked[asked.length - 1],
    backendRequested: asked[0],
  });
  return session;
};
